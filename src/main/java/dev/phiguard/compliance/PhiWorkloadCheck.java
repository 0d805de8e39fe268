package dev.phiguard.compliance;

import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;

/** A control judged one PHI workload at a time. */
abstract class PhiWorkloadCheck implements Control {

    /** Judges one PHI workload, adding its findings, or what was checked when it passes. */
    abstract void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence);

    @Override
    public final ControlResult check(AuditContext context) {
        List<Finding> findings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (WorkloadId id : context.phi().workloads()) {
            check(context, context.workload(id), findings, evidence);
        }
        if (context.phi().workloads().isEmpty()) {
            evidence.add("no workload holds PHI under this profile");
        }
        return ControlResult.assessed(info(), findings, evidence);
    }
}
