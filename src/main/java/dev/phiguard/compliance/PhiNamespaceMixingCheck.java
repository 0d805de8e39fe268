package dev.phiguard.compliance;

import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;

/** PG010: PHI and non-PHI workloads do not share a namespace. */
final class PhiNamespaceMixingCheck implements Control {
    static final ControlInfo INFO = new ControlInfo("PG010", "phi-namespace-mixing",
            "PHI and non-PHI workloads do not share a namespace", Severity.MEDIUM,
            List.of(Citations.NIST_MIXING, Citations.ACCESS_CONTROL, Citations.NIST66_ACCESS),
            "A namespace is the unit of policy defaults, RBAC and quotas. Mixing sensitivity levels in one makes"
                    + " every namespace-wide rule a compromise: defaults loose enough for the non-PHI workloads"
                    + " are too loose for PHI, and access to the namespace is access to both.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    public ControlResult check(AuditContext context) {
        // the workloads, the namespaces and the profile decide it alone: an audit after a policy change takes it again
        return context.rememberedOfWorkloads(INFO.id(), () -> judge(context));
    }

    private ControlResult judge(AuditContext context) {
        List<Finding> findings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (String namespace : context.phi().namespaces()) {
            List<WorkloadId> phi = new ArrayList<>();
            List<WorkloadId> other = new ArrayList<>();
            for (Workload workload : context.workloadsIn(namespace)) {
                (context.phi().isPhi(workload.id()) ? phi : other).add(workload.id());
            }
            if (other.isEmpty()) {
                evidence.add("namespace " + namespace + " holds only PHI workloads (" + phi.size() + ")");
                continue;
            }
            List<WorkloadId> all = new ArrayList<>(phi);
            all.addAll(other);
            findings.add(Finding.of(INFO, INFO.severity(), namespace,
                    "namespace " + namespace + " mixes PHI workloads (" + join(phi) + ") with workloads that hold"
                            + " no PHI (" + join(other) + ")",
                    namespace, all, List.of(), List.of(), Checks.location(context, namespace),
                    Remediation.text("Move the workloads that hold no PHI to a namespace of their own, or, if they"
                            + " do handle PHI, mark them with the annotation phiguard.io/phi: \"true\"."),
                    List.of()));
        }
        return ControlResult.assessed(INFO, findings, evidence);
    }

    private static String join(List<WorkloadId> ids) {
        return String.join(", ", ids.stream().map(WorkloadId::toString).toList());
    }
}
