package dev.phiguard.compliance;

import dev.phiguard.model.Platform;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PG013: network flow logging is on: Cilium's Hubble ({@code enable-hubble: "true"} in the
 * cilium-config ConfigMap, or a hubble-relay Deployment) or Calico's flow logs (a
 * FelixConfiguration with {@code flowLogsFileEnabled: true}, or Calico's Goldmane flow
 * aggregator). Settings that could not be read leave it not assessed rather than failed.
 */
final class FlowLoggingCheck extends ClusterOnlyCheck {

    FlowLoggingCheck() {
        super(Controls.FLOW_LOGS);
    }

    @Override
    ControlResult judge(AuditContext context, Platform platform) {
        List<String> on = new ArrayList<>();
        List<String> off = new ArrayList<>();
        SourceRef where = platform.source();
        for (Platform.Setting setting : platform.settings()) {
            String described = setting.kind() + " " + (setting.namespace().isEmpty() ? "" : setting.namespace() + "/")
                    + setting.name();
            Optional<String> value = setting.kind().equals("ConfigMap") ? setting.value("enable-hubble")
                    : setting.value("flowLogsFileEnabled");
            String key = setting.kind().equals("ConfigMap") ? "enable-hubble" : "flowLogsFileEnabled";
            if (value.filter("true"::equalsIgnoreCase).isPresent()) {
                on.add((setting.kind().equals("ConfigMap") ? "Cilium Hubble" : "Calico flow logs") + ": " + described
                        + " sets " + key + " to true");
            } else {
                off.add(described + " sets " + key + " to " + value.map(v -> "'" + v + "'").orElse("nothing"));
                where = where.equals(platform.source()) ? setting.source() : where;
            }
        }
        for (Platform.Agent agent : platform.agents()) {
            if (agent.id().kind().equals("Deployment") && agent.id().name().equals("hubble-relay")) {
                on.add("Cilium Hubble: Deployment " + agent.id().namespace() + "/hubble-relay runs");
            }
            if (agent.id().kind().equals("Deployment") && agent.id().name().equals("goldmane")) {
                on.add("Calico flow logs: Deployment " + agent.id().namespace() + "/goldmane (flow aggregator) runs");
            }
        }
        if (!on.isEmpty()) {
            return ControlResult.assessed(info(), List.of(), on);
        }
        List<String> unread = new ArrayList<>();
        platform.unread().forEach((fact, why) -> {
            if (fact.startsWith("ConfigMap") || fact.equals("FelixConfiguration")) {
                unread.add(why);
            }
        });
        if (!unread.isEmpty()) {
            return ControlResult.notAssessed(info(), String.join("; ", unread));
        }
        boolean cilium = !NetworkPlugins.CILIUM.evidence(platform).isEmpty();
        boolean calico = !NetworkPlugins.CALICO.evidence(platform).isEmpty();
        String found = cilium || calico ? (cilium ? "Cilium runs without Hubble" : "Calico runs without flow logs")
                + (off.isEmpty() ? "" : " (" + String.join("; ", off) + ")")
                : "no flow logging found: phiguard recognises Cilium Hubble and Calico flow logs, and the cluster runs"
                        + " neither Cilium nor Calico";
        Finding finding = Finding.of(info(), Severity.MEDIUM, "", found, "flow-logs", List.of(), List.of(),
                List.of(), where, Remediation.text(cilium
                        ? "Enable Hubble: `cilium hubble enable` (or Helm values hubble.enabled=true and"
                                + " hubble.relay.enabled=true), and export its flows to your log store."
                        : calico ? "Turn on flow logs: set flowLogsFileEnabled: true in the default FelixConfiguration"
                                + " (Calico Enterprise/Cloud), or install Calico 3.30+'s Goldmane and Whisker."
                        : "Record network flows with the plugin's flow logs (Cilium Hubble, Calico), or your"
                                + " cloud's VPC flow logs, and keep them as audit records."),
                List.of());
        return ControlResult.assessed(info(), List.of(finding), off);
    }
}
