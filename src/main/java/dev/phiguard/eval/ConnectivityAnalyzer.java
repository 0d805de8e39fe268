package dev.phiguard.eval;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes which workload and which address range outside the cluster can open which
 * connections to which other, under networking.k8s.io/v1 NetworkPolicy semantics. Pure: no I/O,
 * no clock, no global state.
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
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(options, "options");
        ClusterIndex index = ClusterIndex.of(cluster);
        List<Tier> tiers = List.of(index.networkPolicyTier);
        List<Workload> workloads = cluster.workloads();

        // IPv6 is listed only when a policy or a boundary names it, as np-guard lists only IPv4
        Set<IpFamily> families = EnumSet.of(IpFamily.IPV4);
        if (index.mentions(IpFamily.IPV6)
                || options.boundaries().stream().anyMatch(boundary -> boundary.hasFamily(IpFamily.IPV6))) {
            families.add(IpFamily.IPV6);
        }
        List<IpSet> sourceBlocks = new ArrayList<>(index.ipBlocks(Direction.INGRESS));
        sourceBlocks.addAll(options.boundaries());
        List<IpSet> destinationBlocks = new ArrayList<>(index.ipBlocks(Direction.EGRESS));
        destinationBlocks.addAll(options.boundaries());
        List<IpRange> sources = AddressCut.cut(sourceBlocks, families);
        List<IpRange> destinations = AddressCut.cut(destinationBlocks, families);

        boolean[] focused = new boolean[workloads.size()];
        for (int w = 0; w < workloads.size(); w++) {
            focused[w] = options.focus().isEmpty() || options.focus().contains(workloads.get(w).id());
        }

        Map<List<Object>, Connection> byPair = new HashMap<>();
        for (EndpointClass source : index.classes) {
            for (EndpointClass destination : index.classes) {
                if (!anyPair(source, destination, focused)) {
                    continue;
                }
                Side egress = verdict(tiers, Direction.EGRESS, source, new Target.Pods(destination));
                if (egress.allowed().isEmpty()) {
                    continue;
                }
                Side ingress = verdict(tiers, Direction.INGRESS, destination, new Target.Pods(source));
                ConnectionSet allowed = egress.allowed().intersect(ingress.allowed());
                if (allowed.isEmpty()) {
                    continue;
                }
                DirectionVerdict egressVerdict = egress.toVerdict(allowed);
                DirectionVerdict ingressVerdict = ingress.toVerdict(allowed);
                for (int s : source.members) {
                    for (int d : destination.members) {
                        if (s != d && (focused[s] || focused[d])) {
                            record(byPair, peer(workloads.get(s)), peer(workloads.get(d)), allowed, egressVerdict,
                                    ingressVerdict);
                        }
                    }
                }
            }
        }
        if (options.includeExternal()) {
            for (EndpointClass endpointClass : index.classes) {
                if (!anyFocused(endpointClass, focused)) {
                    continue;
                }
                for (IpRange range : sources) {
                    Side ingress = verdict(tiers, Direction.INGRESS, endpointClass, new Target.Addresses(range));
                    DirectionVerdict ingressVerdict = ingress.toVerdict(ingress.allowed());
                    for (int d : endpointClass.members) {
                        if (focused[d]) {
                            record(byPair, new Peer.ExternalPeer(range), peer(workloads.get(d)), ingress.allowed(),
                                    DirectionVerdict.OUTSIDE, ingressVerdict);
                        }
                    }
                }
                for (IpRange range : destinations) {
                    Side egress = verdict(tiers, Direction.EGRESS, endpointClass, new Target.Addresses(range));
                    DirectionVerdict egressVerdict = egress.toVerdict(egress.allowed());
                    for (int s : endpointClass.members) {
                        if (focused[s]) {
                            record(byPair, peer(workloads.get(s)), new Peer.ExternalPeer(range), egress.allowed(),
                                    egressVerdict, DirectionVerdict.OUTSIDE);
                        }
                    }
                }
            }
        }
        List<WorkloadId> ids = workloads.stream().map(Workload::id).toList();
        return new ConnectivityMap(new ArrayList<>(byPair.values()), ids,
                options.includeExternal() ? sources : List.of(),
                options.includeExternal() ? destinations : List.of());
    }

    private static boolean anyPair(EndpointClass source, EndpointClass destination, boolean[] focused) {
        for (int s : source.members) {
            for (int d : destination.members) {
                if (s != d && (focused[s] || focused[d])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyFocused(EndpointClass endpointClass, boolean[] focused) {
        for (int member : endpointClass.members) {
            if (focused[member]) {
                return true;
            }
        }
        return false;
    }

    private static Peer peer(Workload workload) {
        return new Peer.WorkloadPeer(workload.id());
    }

    /** Adds a connection, merging with what other pod variants of the same workloads allow. */
    private static void record(Map<List<Object>, Connection> byPair, Peer source, Peer destination,
            ConnectionSet allowed, DirectionVerdict egress, DirectionVerdict ingress) {
        if (allowed.isEmpty()) {
            return;
        }
        byPair.merge(List.of(source, destination),
                new Connection(source, destination, allowed, egress, ingress),
                (previous, next) -> new Connection(source, destination,
                        previous.connections().union(next.connections()),
                        merge(previous.egress(), next.egress()), merge(previous.ingress(), next.ingress())));
    }

    private static DirectionVerdict merge(DirectionVerdict a, DirectionVerdict b) {
        TreeSet<RuleRef> rules = new TreeSet<>(a.allowedBy());
        rules.addAll(b.allowedBy());
        DirectionVerdict.Isolation isolation = a.isolation() == DirectionVerdict.Isolation.ISOLATED
                || b.isolation() == DirectionVerdict.Isolation.ISOLATED
                ? DirectionVerdict.Isolation.ISOLATED : a.isolation();
        return new DirectionVerdict(isolation, a.allowed().union(b.allowed()), new ArrayList<>(rules));
    }

    /**
     * Runs the tiers in order for one side of traffic: each decides part of what the previous
     * ones passed; what none decides is allowed.
     */
    private static Side verdict(List<Tier> tiers, Direction direction, EndpointClass subject, Target peer) {
        ConnectionSet undecided = ConnectionSet.ALL;
        ConnectionSet allowed = ConnectionSet.NONE;
        boolean isolated = false;
        List<Map.Entry<RuleRef, ConnectionSet>> contributions = new ArrayList<>();
        for (Tier tier : tiers) {
            TierDecision decision = tier.decide(direction, subject, peer);
            isolated |= decision.isolating();
            ConnectionSet open = undecided;
            decision.contributions().forEach(contribution -> {
                ConnectionSet effective = contribution.getValue().intersect(open);
                if (!effective.isEmpty()) {
                    contributions.add(Map.entry(contribution.getKey(), effective));
                }
            });
            ConnectionSet newlyAllowed = decision.allowed().intersect(undecided);
            allowed = allowed.union(newlyAllowed);
            undecided = undecided.minus(newlyAllowed).minus(decision.denied());
            if (undecided.isEmpty()) {
                break;
            }
        }
        return new Side(isolated, allowed.union(undecided), contributions);
    }

    /** One side's decision before it is paired with the other side's. */
    private record Side(boolean isolated, ConnectionSet allowed, List<Map.Entry<RuleRef, ConnectionSet>> contributions) {

        /** The verdict as it bears on the connections finally allowed: only rules that grant some of them. */
        DirectionVerdict toVerdict(ConnectionSet finallyAllowed) {
            TreeSet<RuleRef> rules = new TreeSet<>();
            for (Map.Entry<RuleRef, ConnectionSet> contribution : contributions) {
                if (contribution.getValue().intersects(finallyAllowed)) {
                    rules.add(contribution.getKey());
                }
            }
            return new DirectionVerdict(
                    isolated ? DirectionVerdict.Isolation.ISOLATED : DirectionVerdict.Isolation.NOT_ISOLATED,
                    allowed.intersect(finallyAllowed), new ArrayList<>(rules));
        }
    }
}
