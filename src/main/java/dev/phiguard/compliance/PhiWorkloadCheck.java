package dev.phiguard.compliance;

import dev.phiguard.model.Direction;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A control judged one PHI workload at a time. The auditor judges every such control for one
 * workload before it moves to the next ({@link #judgeAll}), so that what is worked out about a
 * workload (its rows of connections) is needed once and then let go: on a large cluster, the
 * rows of every PHI workload at once would not fit in memory. Checks keep no state: one
 * instance judges workloads on several threads at once.
 */
abstract class PhiWorkloadCheck implements Control {

    /** Judges one PHI workload, adding its findings, or what was checked when it passes. */
    abstract void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence);

    /**
     * The sides of a PHI workload whose connections the check reads: {@code INGRESS} for what
     * reaches it, {@code EGRESS} for what it reaches. Besides them a check reads only the
     * workload, its own policies and the profile: after a change that alters neither, nor these
     * sides, a later audit takes what it found again.
     */
    abstract Set<Direction> sidesRead(AuditContext context, Workload workload);

    /**
     * The sides whose policies selecting the workload the check reads (which policies isolate it
     * there, their rules and where they are written). A side's connections are made of the
     * workload's own policies there, so by default the sides it reads; a check that reads its own
     * policies of other sides says so.
     */
    Set<Direction> ownPoliciesRead(AuditContext context, Workload workload) {
        return sidesRead(context, workload);
    }

    /** Evidence that does not depend on a workload, added before any is judged. */
    void begin(AuditContext context, List<String> evidence) {
    }

    @Override
    public final ControlResult check(AuditContext context) {
        return judgeAll(context, List.of(this), 1, id -> null, id -> EnumSet.allOf(Direction.class),
                id -> EnumSet.allOf(Direction.class)).results().get(0);
    }

    /** One result per check, and what was found for each PHI workload, for a later audit to take again. */
    record Judgement(List<ControlResult> results, Map<WorkloadId, Judged> byWorkload, int judged) {
        /** The PHI workloads something outside the PHI zone can reach. */
        java.util.Set<WorkloadId> reachableFromOutsideZone() {
            java.util.Set<WorkloadId> reachable = new java.util.HashSet<>();
            byWorkload.forEach((id, judged) -> {
                if (judged.reachableFromOutsideZone()) {
                    reachable.add(id);
                }
            });
            return java.util.Set.copyOf(reachable);
        }
    }

    /**
     * Judges the checks workload by workload, on up to {@code threads} threads; one result per
     * check, in their order. Findings and evidence come out in the order of the PHI workloads
     * whatever the number of threads: each workload's are kept apart and joined in order. A
     * workload for which {@code earlier} has an answer (judged by an earlier audit) is judged
     * again only by the checks that read a side of it the change can have altered
     * ({@code changedSides}), or the policies of a side of its own the change altered
     * ({@code ownPoliciesChanged}, whose sides are among the changed ones); none, and it is not
     * judged again.
     */
    static Judgement judgeAll(AuditContext context, List<PhiWorkloadCheck> checks, int threads,
            Function<WorkloadId, Judged> earlier, Function<WorkloadId, Set<Direction>> changedSides,
            Function<WorkloadId, Set<Direction>> ownPoliciesChanged) {
        List<List<Finding>> findings = new ArrayList<>();
        List<List<String>> evidence = new ArrayList<>();
        for (PhiWorkloadCheck check : checks) {
            findings.add(new ArrayList<>());
            evidence.add(new ArrayList<>());
            check.begin(context, evidence.get(evidence.size() - 1));
        }
        List<WorkloadId> workloads = List.copyOf(context.phi().workloads());
        Judged[] judged = new Judged[workloads.size()];
        List<Integer> toJudge = new ArrayList<>();
        for (int w = 0; w < judged.length; w++) {
            judged[w] = earlier.apply(workloads.get(w));
            if (judged[w] == null || !changedSides.apply(workloads.get(w)).isEmpty()) {
                toJudge.add(w);
            }
        }
        context.prepareForThreads();
        // each thread takes the next workload not yet taken: workloads differ widely in cost
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int t = next.getAndIncrement(); t < toJudge.size(); t = next.getAndIncrement()) {
                int w = toJudge.get(t);
                WorkloadId id = workloads.get(w);
                judged[w] = judged[w] == null ? judge(context, checks, id, null, EnumSet.allOf(Direction.class),
                        EnumSet.allOf(Direction.class))
                        : judge(context, checks, id, judged[w], changedSides.apply(id), ownPoliciesChanged.apply(id));
            }
        };
        int used = Math.max(1, Math.min(threads, toJudge.size() / WORKLOADS_PER_THREAD));
        if (used == 1) {
            worker.run();
        } else {
            runOnThreads(worker, used);
        }
        for (Judged one : judged) {
            for (int c = 0; c < checks.size(); c++) {
                findings.get(c).addAll(one.findings.get(c));
                evidence.get(c).addAll(one.evidence.get(c));
            }
        }
        List<ControlResult> results = new ArrayList<>();
        for (int c = 0; c < checks.size(); c++) {
            if (workloads.isEmpty()) {
                evidence.get(c).add("no workload holds PHI under this profile");
            }
            results.add(ControlResult.assessed(checks.get(c).info(), findings.get(c), evidence.get(c)));
        }
        Map<WorkloadId, Judged> byWorkload = new HashMap<>();
        for (int w = 0; w < judged.length; w++) {
            byWorkload.put(workloads.get(w), judged[w]);
        }
        return new Judgement(results, byWorkload, toJudge.size());
    }

    /**
     * Below this many PHI workloads per thread, starting a thread costs more than it saves: one
     * takes about a tenth of a millisecond, judging a workload a few tenths.
     */
    private static final int WORKLOADS_PER_THREAD = 8;

    /**
     * What the checks found for one workload, each check's apart, and whether something outside
     * the PHI zone can reach it (read from the rows in hand, for the PHI posture).
     */
    record Judged(List<List<Finding>> findings, List<List<String>> evidence, boolean reachableFromOutsideZone) {
    }

    /** Judges a workload by the checks that read a changed side of it, taking the others' from {@code earlier}. */
    private static Judged judge(AuditContext context, List<PhiWorkloadCheck> checks, WorkloadId id, Judged earlier,
            Set<Direction> changedSides, Set<Direction> ownPoliciesChanged) {
        Workload workload = context.workload(id);
        List<List<Finding>> findings = new ArrayList<>(checks.size());
        List<List<String>> evidence = new ArrayList<>(checks.size());
        for (int c = 0; c < checks.size(); c++) {
            PhiWorkloadCheck check = checks.get(c);
            if (earlier != null && java.util.Collections.disjoint(check.sidesRead(context, workload), changedSides)
                    && java.util.Collections.disjoint(check.ownPoliciesRead(context, workload), ownPoliciesChanged)) {
                findings.add(earlier.findings().get(c));
                evidence.add(earlier.evidence().get(c));
                continue;
            }
            List<Finding> found = new ArrayList<>();
            List<String> checked = new ArrayList<>();
            check.check(context, workload, found, checked);
            findings.add(found);
            evidence.add(checked);
        }
        // what reaches it decides, and only its inbound rows tell
        boolean reachable = earlier != null && !changedSides.contains(Direction.INGRESS)
                ? earlier.reachableFromOutsideZone() : context.comesFromOutsideZone(id);
        // the rows were read by every check: let them go before the next workload's are worked out
        context.forgetRows(id);
        return new Judged(findings, evidence, reachable);
    }

    /** Runs the worker on the calling thread and on {@code threads - 1} others, until all are done. */
    private static void runOnThreads(Runnable worker, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "phiguard-audit");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                running.add(pool.submit(worker));
            }
            worker.run();
            for (Future<?> one : running) {
                one.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("audit interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
