package dev.phiguard.compliance;

import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;

/**
 * A control judged one PHI workload at a time. The auditor judges every such control for one
 * workload before it moves to the next ({@link #judgeAll}), so that what is worked out about a
 * workload (its rows of connections) is needed once and then let go: on a large cluster, the
 * rows of every PHI workload at once would not fit in memory.
 */
abstract class PhiWorkloadCheck implements Control {

    /** Judges one PHI workload, adding its findings, or what was checked when it passes. */
    abstract void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence);

    /** Evidence that does not depend on a workload, added before any is judged. */
    void begin(AuditContext context, List<String> evidence) {
    }

    @Override
    public final ControlResult check(AuditContext context) {
        return judgeAll(context, List.of(this)).get(0);
    }

    /** Judges the checks workload by workload; one result per check, in their order. */
    static List<ControlResult> judgeAll(AuditContext context, List<PhiWorkloadCheck> checks) {
        List<List<Finding>> findings = new ArrayList<>();
        List<List<String>> evidence = new ArrayList<>();
        for (PhiWorkloadCheck check : checks) {
            findings.add(new ArrayList<>());
            evidence.add(new ArrayList<>());
            check.begin(context, evidence.get(evidence.size() - 1));
        }
        for (WorkloadId id : context.phi().workloads()) {
            Workload workload = context.workload(id);
            for (int c = 0; c < checks.size(); c++) {
                checks.get(c).check(context, workload, findings.get(c), evidence.get(c));
            }
            context.forgetRows(id);
        }
        List<ControlResult> results = new ArrayList<>();
        for (int c = 0; c < checks.size(); c++) {
            if (context.phi().workloads().isEmpty()) {
                evidence.get(c).add("no workload holds PHI under this profile");
            }
            results.add(ControlResult.assessed(checks.get(c).info(), findings.get(c), evidence.get(c)));
        }
        return results;
    }
}
