package dev.phiguard.compliance;

import dev.phiguard.model.Direction;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import java.util.ArrayList;
import java.util.EnumSet;
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
            NetworkPolicy fix = PolicyFixes.defaultDeny(context, namespace.name(),
                    EnumSet.of(Direction.INGRESS, Direction.EGRESS));
            findings.add(Finding.of(INFO, phi ? Severity.HIGH : Severity.LOW, namespace.name(),
                    "namespace " + namespace.name() + (phi ? ", which holds PHI," : "")
                            + " has no NetworkPolicy: all traffic to and from its pods is allowed",
                    namespace.name(), List.of(), List.of(), List.of(), Checks.location(context, namespace.name()),
                    new Remediation("Start from a default-deny policy for " + namespace.name() + " and add one allow"
                            + " policy per workload for the connections it needs. The default deny alone blocks"
                            + " everything: review before applying.", List.of(fix)),
                    List.of()));
        }
        return ControlResult.assessed(INFO, findings, evidence);
    }
}
