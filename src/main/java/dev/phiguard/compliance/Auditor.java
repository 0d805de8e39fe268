package dev.phiguard.compliance;

import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.Profile;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a cluster against a profile: computes its connectivity, runs every control, and
 * proposes the NetworkPolicies that fix what can be fixed by one. Pure: no I/O, no clock.
 */
public final class Auditor {
    private Auditor() {
    }

    public static AuditResult audit(Cluster cluster, Profile profile) {
        return audit(cluster, profile, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #audit(Cluster, Profile)}, judging PHI workloads on up to {@code threads}
     * threads; the result is the same for any number.
     */
    public static AuditResult audit(Cluster cluster, Profile profile, int threads) {
        return audit(cluster, profile, threads, Optional.empty()).result();
    }

    /**
     * An audit, with what the next audit of a changed cluster can take from it.
     *
     * @param judged how many PHI workloads this audit judged; the others' judgements were taken
     *     from the earlier audit
     * @param connectivity the connectivity the audit judged, cut at the profile's address ranges
     *     too (see {@link #boundaries})
     * @param phi which workloads and namespaces the audit took to hold PHI
     * @param reachableFromOutsideZone the PHI workloads that a workload of a namespace holding no
     *     PHI, or an address outside the cluster, can connect to (as the PHI posture counts them)
     */
    public record Audit(AuditResult result, AuditMemory memory, int judged, ConnectivityMap connectivity,
            PhiScope phi, java.util.Set<WorkloadId> reachableFromOutsideZone) {
    }

    /**
     * The address sets of the profile, at whose edges the audit's connectivity cuts the outside
     * too, so that the profile's lists are whole ranges in the answer; none, and the audit's
     * connectivity is the one {@code phiguard connectivity} prints.
     */
    public static List<IpSet> boundaries(Profile profile) {
        List<IpSet> boundaries = new ArrayList<>();
        profile.externalDestinations().forEach(destination -> boundaries.add(destination.addresses()));
        profile.gateways().forEach(gateway -> boundaries.add(gateway.from()));
        return boundaries;
    }

    /**
     * As {@link #audit(Cluster, Profile, int)}, taking again from an {@code earlier} audit the
     * judgements of PHI workloads that the change since cannot have altered (see
     * {@link AuditMemory}); the result is the one a whole audit gives.
     */
    public static Audit audit(Cluster cluster, Profile profile, int threads, Optional<AuditMemory> earlier) {
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster,
                ConnectivityAnalyzer.Options.DEFAULT.withBoundaries(boundaries(profile)),
                earlier.map(AuditMemory::connectivity));
        AuditMemory.Reuse reuse = earlier.map(memory -> memory.reuse(cluster, profile, map))
                .orElse(AuditMemory.Reuse.NOTHING);
        AuditContext context = new AuditContext(cluster, map, profile, reuse);
        // the controls judged per PHI workload run together, one workload at a time; the others on their own
        List<PhiWorkloadCheck> perWorkload = new ArrayList<>();
        for (Control control : Controls.all()) {
            if (control instanceof PhiWorkloadCheck check) {
                perWorkload.add(check);
            }
        }
        PhiWorkloadCheck.Judgement judgement = PhiWorkloadCheck.judgeAll(context, perWorkload, threads,
                reuse.judged()::get, reuse.changedSides(), reuse.ownPoliciesChanged());
        Iterator<ControlResult> judged = judgement.results().iterator();
        List<ControlResult> results = new ArrayList<>();
        for (Control control : Controls.all()) {
            results.add(control instanceof PhiWorkloadCheck ? judged.next() : control.check(context));
        }
        results = FixPlanner.plan(context, results, threads);
        Map<WorkloadId, String> phi = new LinkedHashMap<>();
        for (WorkloadId id : context.phi().workloads()) {
            phi.put(id, context.phi().reason(id).orElseThrow());
        }
        AuditResult.Scope scope = new AuditResult.Scope(cluster.namespaces().size(), cluster.workloads().size(),
                cluster.policies().size(), context.phi().namespaces().size(), phi.size());
        return new Audit(new AuditResult(profile, results, phi, scope, profile.failOn()),
                new AuditMemory(cluster, profile, context, judgement.byWorkload()), judgement.judged(), map,
                context.phi(), judgement.reachableFromOutsideZone());
    }
}
