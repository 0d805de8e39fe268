package dev.phiguard.compliance;

import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** PG001: every namespace holding PHI denies ingress and egress by default. */
final class PhiNamespaceDefaultDenyCheck implements Control {
    static final ControlInfo INFO = new ControlInfo("PG001", "phi-namespace-default-deny",
            "Every namespace holding PHI has a default-deny ingress and a default-deny egress policy", Severity.HIGH,
            List.of(Citations.ACCESS_CONTROL, Citations.TRANSMISSION_SECURITY, Citations.CIS_NAMESPACES,
                    Citations.NIST_SEPARATION, Citations.NIST66_ACCESS),
            "Without a default deny, a pod added to the namespace tomorrow, or one no policy happens to select,"
                    + " accepts and opens connections with anything; access to PHI then depends on every team"
                    + " remembering every policy. A policy with an empty podSelector and no rules makes denial"
                    + " the default and every allowance explicit.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    public ControlResult check(AuditContext context) {
        List<Finding> findings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (String namespace : context.phi().namespaces()) {
            Set<Direction> missing = EnumSet.noneOf(Direction.class);
            List<String> found = new ArrayList<>();
            for (Direction direction : Direction.values()) {
                Optional<NetworkPolicy> deny = defaultDeny(context, namespace, direction);
                if (deny.isPresent()) {
                    found.add(direction.kubernetesName() + " by " + deny.get().namespacedName());
                } else {
                    missing.add(direction);
                }
            }
            if (missing.isEmpty()) {
                evidence.add("namespace " + namespace + " denies by default: " + String.join(", ", found));
                continue;
            }
            String what = missing.size() == 2 ? "ingress or egress" : missing.iterator().next().kubernetesName()
                    .toLowerCase(java.util.Locale.ROOT);
            List<NetworkPolicy> fixes = new ArrayList<>();
            fixes.add(PolicyFixes.defaultDeny(context, namespace, missing));
            List<String> notes = new ArrayList<>();
            for (Direction direction : missing) {
                fixes.addAll(PolicyFixes.companions(context, namespace, direction, notes));
            }
            findings.add(Finding.of(INFO, INFO.severity(), namespace,
                    "namespace " + namespace + " holds PHI but has no default-deny " + what + " policy",
                    namespace + "|" + missing, List.of(), List.of(), List.of(), location(context, namespace, missing),
                    new Remediation("Add a policy that selects every pod of " + namespace + " (podSelector: {}) and"
                            + " lists " + missing.stream().map(Direction::kubernetesName).toList()
                            + " in policyTypes with no rules, and, for each workload no policy isolates yet, an allow"
                            + " policy keeping what the profile accepts."
                            + (notes.isEmpty() ? "" : " Applied, " + String.join("; ", notes) + "."), fixes),
                    List.of()));
        }
        if (context.phi().namespaces().isEmpty()) {
            evidence.add("no namespace holds PHI under this profile");
        }
        return ControlResult.assessed(INFO, findings, evidence);
    }

    /**
     * Where to look: the namespace's default deny for the other direction, where the missing one
     * belongs, or else the namespace.
     */
    private static dev.phiguard.model.SourceRef location(AuditContext context, String namespace,
            Set<Direction> missing) {
        for (Direction direction : Direction.values()) {
            if (!missing.contains(direction)) {
                Optional<NetworkPolicy> deny = defaultDeny(context, namespace, direction);
                if (deny.isPresent()) {
                    return deny.get().source();
                }
            }
        }
        return Checks.location(context, namespace);
    }

    /** A policy that selects every pod, isolates the direction and allows nothing in it. */
    static Optional<NetworkPolicy> defaultDeny(AuditContext context, String namespace, Direction direction) {
        for (NetworkPolicy policy : context.policiesIn(namespace)) {
            if (policy.podSelector().isEmpty() && policy.isolates(direction)
                    && policy.rules(direction).isEmpty()) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
