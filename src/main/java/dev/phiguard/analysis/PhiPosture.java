package dev.phiguard.analysis;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Three numbers that tell how well PHI is fenced in, for dashboards and alerts: how many PHI
 * workloads there are, how many of them some direction leaves unisolated (no NetworkPolicy
 * selects them for ingress or for egress), and how many can be reached from outside the PHI
 * zone (a workload of a namespace that holds no PHI, or an address outside the cluster). Pure.
 *
 * @param phiWorkloads the workloads the profile says hold PHI
 * @param notIsolated PHI workloads not isolated for ingress, for egress, or both
 * @param reachableFromOutsideZone PHI workloads that something outside the PHI namespaces can connect to
 */
public record PhiPosture(int phiWorkloads, int notIsolated, int reachableFromOutsideZone) {

    public static PhiPosture of(Cluster cluster, PhiScope phi, ConnectivityMap map) {
        Objects.requireNonNull(map, "map");
        return of(cluster, phi, workload -> isReachableFromOutsideZone(map, phi, workload));
    }

    /**
     * As {@link #of(Cluster, PhiScope, ConnectivityMap)}, told by {@code reachableFromOutsideZone}
     * which PHI workloads something outside the PHI namespaces can connect to (see
     * {@link #isReachableFromOutsideZone}); a caller that knows it from an earlier answer need not
     * work out every workload's connections again.
     */
    public static PhiPosture of(Cluster cluster, PhiScope phi, Predicate<WorkloadId> reachableFromOutsideZone) {
        Map<String, List<NetworkPolicy>> policies = cluster.policiesByNamespace();
        int total = 0;
        int notIsolated = 0;
        int reachable = 0;
        for (Workload workload : cluster.workloads()) {
            if (!phi.isPhi(workload.id())) {
                continue;
            }
            total++;
            List<NetworkPolicy> own = policies.getOrDefault(workload.namespace(), List.of());
            if (!isolated(workload, own, Direction.INGRESS) || !isolated(workload, own, Direction.EGRESS)) {
                notIsolated++;
            }
            if (reachableFromOutsideZone.test(workload.id())) {
                reachable++;
            }
        }
        return new PhiPosture(total, notIsolated, reachable);
    }

    private static boolean isolated(Workload workload, List<NetworkPolicy> policies, Direction direction) {
        // loops, not streams: asked for every policy of a PHI workload's namespace at every update serve makes
        for (NetworkPolicy policy : policies) {
            if (policy.isolates(direction)) {
                for (dev.phiguard.model.PodTemplate template : workload.templates()) {
                    if (policy.podSelector().matches(template.labels())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether a workload outside the PHI namespaces, or an address outside the cluster, can connect to this one. */
    public static boolean isReachableFromOutsideZone(ConnectivityMap map, PhiScope phi, WorkloadId workload) {
        return phi.comesFromOutsideZone(map.inboundFans(workload));
    }
}
