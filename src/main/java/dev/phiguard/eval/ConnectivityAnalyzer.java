package dev.phiguard.eval;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Computes which workload and which address range outside the cluster can open which
 * connections to which other, under networking.k8s.io/v1 NetworkPolicy semantics. Pure: no I/O,
 * no clock, no global state.
 *
 * <p>The work is done on endpoint classes (see {@link ClusterIndex}); the map it returns
 * expands to workloads only for what is asked of it, so a question about one workload costs a
 * row of classes, not the whole cluster squared.
 */
public final class ConnectivityAnalyzer {

    /**
     * What to compute.
     *
     * @param focus when not empty, only connections from or to these workloads
     * @param includeExternal whether to list connections from and to addresses outside the cluster
     * @param boundaries address sets at whose edges external ranges are cut too, besides the
     *     policies' ipBlocks, so that a question about those sets (a profile's allowlist, the
     *     other side of a diff) has whole ranges for answers; an IPv6 set lists the IPv6 space
     */
    public record Options(Set<WorkloadId> focus, boolean includeExternal, List<IpSet> boundaries) {
        public static final Options DEFAULT = new Options(Set.of(), true, List.of());

        public Options {
            focus = Set.copyOf(focus);
            boundaries = List.copyOf(boundaries);
        }

        public Options withFocus(Set<WorkloadId> newFocus) {
            return new Options(newFocus, includeExternal, boundaries);
        }

        public Options withBoundaries(List<IpSet> newBoundaries) {
            return new Options(focus, includeExternal, newBoundaries);
        }
    }

    private ConnectivityAnalyzer() {
    }

    public static ConnectivityMap analyze(Cluster cluster) {
        return analyze(cluster, Options.DEFAULT);
    }

    public static ConnectivityMap analyze(Cluster cluster, Options options) {
        return analyze(cluster, options, Optional.empty());
    }

    /**
     * As {@link #analyze(Cluster, Options)}, taking from the analysis of a cluster this one
     * changed from ({@code earlier}) what the change left as it was; the answer is the same.
     */
    public static ConnectivityMap analyze(Cluster cluster, Options options, Optional<ConnectivityMap> earlier) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(options, "options");
        // IPv6 is listed only when a policy or a boundary names it, as np-guard lists only IPv4
        Set<IpFamily> families = EnumSet.of(IpFamily.IPV4);
        List<IpSet> sourceBlocks = new ArrayList<>(ClusterIndex.ipBlocks(cluster, Direction.INGRESS));
        List<IpSet> destinationBlocks = new ArrayList<>(ClusterIndex.ipBlocks(cluster, Direction.EGRESS));
        if (java.util.stream.Stream.of(sourceBlocks, destinationBlocks, options.boundaries()).flatMap(List::stream)
                .anyMatch(block -> block.hasFamily(IpFamily.IPV6))) {
            families.add(IpFamily.IPV6);
        }
        sourceBlocks.addAll(options.boundaries());
        destinationBlocks.addAll(options.boundaries());
        List<IpRange> sources = options.includeExternal() ? AddressCut.cut(sourceBlocks, families) : List.of();
        List<IpRange> destinations = options.includeExternal()
                ? AddressCut.cut(destinationBlocks, families) : List.of();
        // rules compiled before were cut at the ranges of then: taken again only where those are the same
        boolean sameRanges = earlier.isPresent() && earlier.get().externalSources().equals(sources)
                && earlier.get().externalDestinations().equals(destinations);
        ClusterIndex index = ClusterIndex.of(cluster, earlier.map(ConnectivityMap::index).orElse(null), sameRanges);
        index.cutRanges(Direction.INGRESS, sources);
        index.cutRanges(Direction.EGRESS, destinations);
        NetworkPolicyTier earlierTier = earlier.map(ConnectivityMap::networkPolicyTier).orElse(null);
        return new ConnectivityMap(index, List.of(new NetworkPolicyTier(index, earlierTier)), sources, destinations,
                options.focus(), earlier.orElse(null));
    }
}
