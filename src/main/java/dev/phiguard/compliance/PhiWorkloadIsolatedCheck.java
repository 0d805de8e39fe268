package dev.phiguard.compliance;

import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** PG002: every PHI workload is isolated for ingress and for egress. */
final class PhiWorkloadIsolatedCheck extends PhiWorkloadCheck {
    static final ControlInfo INFO = new ControlInfo("PG002", "phi-workload-isolated",
            "Every PHI workload is isolated for ingress and for egress", Severity.HIGH,
            List.of(Citations.ACCESS_CONTROL, Citations.TRANSMISSION_SECURITY, Citations.NIST_EGRESS,
                    Citations.NIST66_ACCESS),
            "A pod that no NetworkPolicy selects for a direction accepts, or opens, every connection in that"
                    + " direction: for a PHI workload, that means any pod or address can read from it, or it can"
                    + " send data anywhere.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    /** The sides no policy isolates, whose current connections the proposed fix keeps. */
    @Override
    Set<Direction> sidesRead(AuditContext context, Workload workload) {
        Set<Direction> open = EnumSet.noneOf(Direction.class);
        for (Direction direction : Direction.values()) {
            if (context.selecting(workload, direction).isEmpty()) {
                open.add(direction);
            }
        }
        return open;
    }

    /** Both: which policies isolate each side is what it reports, open or not. */
    @Override
    Set<Direction> ownPoliciesRead(AuditContext context, Workload workload) {
        return EnumSet.allOf(Direction.class);
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        Set<Direction> open = EnumSet.noneOf(Direction.class);
        List<String> isolatedBy = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            List<NetworkPolicy> selecting = context.selecting(workload, direction);
            if (selecting.isEmpty()) {
                open.add(direction);
            } else {
                isolatedBy.add(direction.kubernetesName() + " by "
                        + String.join(", ", selecting.stream().map(NetworkPolicy::namespacedName).toList()));
            }
        }
        if (open.isEmpty()) {
            evidence.add(id + " is isolated: " + String.join("; ", isolatedBy));
            return;
        }
        findings.add(finding(context, workload, open));
    }

    private static Finding finding(AuditContext context, Workload workload, Set<Direction> open) {
        List<NetworkPolicy> fixes = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Direction direction : open) {
            String name = direction.kubernetesName().toLowerCase(Locale.ROOT);
            fixes.add(PolicyFixes.defaultDeny(context, workload.namespace(), EnumSet.of(direction)));
            PolicyFixes.CurrentAllowance allowance = PolicyFixes.allowCurrentInShort(context, workload, direction);
            allowance.policy().ifPresent(fixes::add);
            text.append("Isolate its ").append(name).append(": a default-deny ").append(name)
                    .append(" policy for namespace ").append(workload.namespace());
            if (allowance.policy().isPresent()) {
                text.append(", and a policy keeping the ").append(name).append(" the profile accepts (")
                        .append(allowance.kept()).append(")");
            }
            text.append(". ");
            if (allowance.stopped().isPresent()) {
                text.append("This stops ").append(allowance.stopped().get())
                        .append(" — add a rule for any of these that is needed. ");
            }
        }
        String what = open.size() == 2 ? "ingress or egress"
                : open.iterator().next().kubernetesName().toLowerCase(Locale.ROOT);
        return Finding.of(INFO, INFO.severity(), workload.namespace(),
                "PHI workload " + workload.id() + " is not isolated for " + what + ": no NetworkPolicy selects it, so"
                        + (open.contains(Direction.INGRESS) ? " anything can connect to it" : "")
                        + (open.size() == 2 ? " and" : "")
                        + (open.contains(Direction.EGRESS) ? " it can connect anywhere" : ""),
                workload.id() + "|" + open, List.of(workload.id()), List.of(), List.of(), workload.source(),
                new Remediation(text.toString().trim(), fixes), List.of());
    }
}
