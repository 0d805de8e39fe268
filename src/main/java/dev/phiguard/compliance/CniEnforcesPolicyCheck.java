package dev.phiguard.compliance;

import dev.phiguard.model.Platform;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * PG011: the network plugin enforces NetworkPolicy. Recognised by its agent DaemonSet or its
 * custom resource types; flannel or kindnet with no enforcing plugin beside them (Canal is
 * flannel with Calico) is critical, since every policy is then decoration. A plugin phiguard does
 * not know is not assessed rather than guessed either way.
 */
final class CniEnforcesPolicyCheck extends ClusterOnlyCheck {

    CniEnforcesPolicyCheck() {
        super(Controls.CNI_ENFORCES);
    }

    @Override
    ControlResult judge(AuditContext context, Platform platform) {
        List<String> evidence = new ArrayList<>();
        List<NetworkPlugins> enforcing = new ArrayList<>();
        List<NetworkPlugins> notEnforcing = new ArrayList<>();
        for (NetworkPlugins plugin : NetworkPlugins.values()) {
            List<String> found = plugin.evidence(platform);
            if (found.isEmpty()) {
                continue;
            }
            evidence.add(plugin.title + (plugin.enforces ? " (enforces NetworkPolicy): " : " (does not enforce"
                    + " NetworkPolicy): ") + String.join(", ", found));
            (plugin.enforces ? enforcing : notEnforcing).add(plugin);
        }
        if (!enforcing.isEmpty()) {
            return ControlResult.assessed(info(), List.of(), evidence);
        }
        if (notEnforcing.isEmpty()) {
            String unread = platform.unread("DaemonSet").or(() -> platform.unread("CustomResourceDefinition"))
                    .map(why -> "; " + why).orElse("");
            return ControlResult.notAssessed(info(), "no network plugin phiguard recognises was found (it knows"
                    + " Calico, Cilium, Antrea, Weave Net, kube-router and OVN-Kubernetes, which enforce"
                    + " NetworkPolicy, and flannel and kindnet, which do not)" + unread);
        }
        String names = String.join(" and ", notEnforcing.stream().map(plugin -> plugin.title).toList());
        SourceRef where = notEnforcing.stream().flatMap(plugin -> plugin.agents(platform).stream())
                .map(Platform.Agent::source).findFirst().orElse(platform.source());
        int policies = context.cluster().policies().size();
        Finding finding = Finding.of(info(), Severity.CRITICAL, "", "the network plugin is " + names
                + " alone, which does not enforce NetworkPolicy: the " + policies + " NetworkPolic"
                + (policies == 1 ? "y" : "ies") + " here are decoration, and every pod can reach every other",
                "cni:" + names, List.of(), List.of(), List.of(), where,
                Remediation.text("Run a plugin that enforces NetworkPolicy: add Calico in policy-only mode beside"
                        + " flannel (Canal), or move to Calico, Cilium or Antrea; on kind, create the cluster with"
                        + " disableDefaultCNI: true and install Calico or Cilium. Then audit again with --cluster."),
                List.of());
        return ControlResult.assessed(info(), List.of(finding), evidence);
    }
}
