package dev.phiguard.compliance;

import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PG009: every namespace has at least one NetworkPolicy. */
final class NamespaceHasPolicyCheck implements Control {
    static final ControlInfo INFO = new ControlInfo("PG009", "namespace-has-policy",
            "Every namespace has at least one NetworkPolicy", Severity.LOW,
            List.of(Citations.CIS_NAMESPACES, Citations.ACCESS_CONTROL, Citations.NIST_SEPARATION),
            "A namespace without any NetworkPolicy allows all traffic to and from its pods. Outside the PHI zone"
                    + " this is a hygiene finding (low); in a namespace holding PHI it is high.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    public ControlResult check(AuditContext context) {
        List<Finding> findings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        Map<String, List<NetworkPolicy>> byNamespace = context.cluster().policiesByNamespace();
        for (Namespace namespace : context.cluster().namespaces()) {
            List<NetworkPolicy> policies = byNamespace.getOrDefault(namespace.name(), List.of());
            if (!policies.isEmpty()) {
                evidence.add("namespace " + namespace.name() + ": " + policies.size() + " NetworkPolicy object(s)");
                continue;
            }
            boolean phi = context.phi().isPhiNamespace(namespace.name());
            // no policy is proposed: which of today's connections are needed is not in the manifests, and a
            // default deny alone would cut them all; PHI namespaces get their fixes from PG001 and PG002
            findings.add(Finding.of(INFO, phi ? Severity.HIGH : Severity.LOW, namespace.name(),
                    "namespace " + namespace.name() + (phi ? ", which holds PHI," : "")
                            + " has no NetworkPolicy: all traffic to and from its pods is allowed",
                    namespace.name(), List.of(), List.of(), List.of(), Checks.location(context, namespace.name()),
                    Remediation.text("Add a default-deny policy for " + namespace.name() + " (podSelector: {},"
                            + " policyTypes [Ingress, Egress], no rules) together with one allow policy per"
                            + " workload for the connections it needs; `phiguard connectivity --focus` shows what"
                            + " each workload uses today." + (phi ? " The fixes of PG001 and PG002 do this for"
                            + " its PHI workloads." : "")),
                    List.of()));
        }
        return ControlResult.assessed(INFO, findings, evidence);
    }
}
