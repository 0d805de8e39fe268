package dev.phiguard.eval;

import com.carrotsearch.hppc.LongIntHashMap;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who can reach whom: for every ordered pair of peers, the connections the source may open to
 * the destination. Answers are computed on endpoint classes and expanded to workloads when
 * asked: {@link #inbound} and {@link #outbound} cost one row of classes, {@link #connections}
 * the whole cluster. Results are remembered; safe to share between threads, which compute rows
 * side by side.
 */
public final class ConnectivityMap {

    private final ClusterIndex index;
    private final List<Tier> tiers;
    private final List<IpRange> externalSources;
    private final List<IpRange> externalDestinations;
    // per direction (ingress: sources), a list of one peer per range: one object per range, shared by every fan
    // that reaches it, as a class's list of members is
    private final List<List<List<Peer>>> externalPeers;
    private final Set<WorkloadId> focus;
    private final List<WorkloadId> workloads;
    private final Map<WorkloadId, Integer> workloadIndex;
    private List<Connection> all;
    private final RecentAnswers<Integer, int[]> ingressRows = new RecentAnswers<>(ROWS_KEPT);
    private final RecentAnswers<Integer, int[]> egressRows = new RecentAnswers<>(ROWS_KEPT);
    /** Per direction, the rows the map this one was made after had computed, by class; null when none. */
    private final List<Map<Integer, int[]>> earlierRows;
    // per class, asked for every link of every row: arrays, filled when first asked
    private final List<Peer>[] memberPeers;
    private final int[][] variantMembers;
    // evidence is asked for by the threads of an audit side by side: a concurrent map, no lock
    private final Map<List<Object>, DirectionVerdict> verdicts = new java.util.concurrent.ConcurrentHashMap<>();

    ConnectivityMap(ClusterIndex index, List<Tier> tiers, List<IpRange> externalSources,
            List<IpRange> externalDestinations, Set<WorkloadId> focus) {
        this(index, tiers, externalSources, externalDestinations, focus, null);
    }

    /**
     * A map that takes from an {@code earlier} one (null for none) what depends on the endpoint
     * classes alone, when its index took them from the earlier index.
     */
    ConnectivityMap(ClusterIndex index, List<Tier> tiers, List<IpRange> externalSources,
            List<IpRange> externalDestinations, Set<WorkloadId> focus, ConnectivityMap earlier) {
        this.index = index;
        this.tiers = List.copyOf(tiers);
        this.externalSources = List.copyOf(externalSources);
        this.externalDestinations = List.copyOf(externalDestinations);
        this.externalPeers = List.of(asPeers(this.externalSources), asPeers(this.externalDestinations));
        this.focus = Set.copyOf(focus);
        if (earlier != null && earlier.index.classes == index.classes) {
            // rows of the earlier map, to be mended when first asked here, then let go
            this.earlierRows = List.of(earlier.ingressRows.snapshot(), earlier.egressRows.snapshot());
            this.workloadIndex = earlier.workloadIndex;
            this.workloads = earlier.workloads;
            this.memberPeers = earlier.memberPeers;
            this.variantMembers = earlier.variantMembers;
            return;
        }
        this.earlierRows = null;
        this.workloadIndex = new HashMap<>();
        List<Workload> list = index.cluster.workloads();
        for (int w = 0; w < list.size(); w++) {
            workloadIndex.put(list.get(w).id(), w);
        }
        this.workloads = list.stream().map(Workload::id).sorted().toList();
        @SuppressWarnings("unchecked")
        List<Peer>[] peers = new List[index.classes.size()];
        this.memberPeers = peers;
        this.variantMembers = new int[index.classes.size()][];
        // filled now, not when first asked: fans read them outside the lock
        for (int endpointClass = 0; endpointClass < index.classes.size(); endpointClass++) {
            memberPeers[endpointClass] = membersOfOnlyThisClass(endpointClass);
            variantMembers[endpointClass] = membersOfOtherClassesToo(endpointClass);
        }
    }

    private static final int ROWS_KEPT = 256;
    /** Ints per link of a row: the other class, what both sides allow, the subject's case. */
    static final int LINK = 3;

    /** How many endpoint classes the map has: {@link ConnectionFan.Part#sharedClass} numbers them from 0. */
    public int classes() {
        return index.classes.size();
    }

    /** Whether this map and another number the same endpoint classes, of the same workloads. */
    public boolean sharesClassesWith(ConnectivityMap other) {
        return other.index.classes == index.classes;
    }

    /** The map's only tier, when that is the NetworkPolicy tier; null otherwise. */
    NetworkPolicyTier networkPolicyTier() {
        return tiers.size() == 1 && tiers.get(0) instanceof NetworkPolicyTier only ? only : null;
    }

    /** What the map was computed from. */
    ClusterIndex index() {
        return index;
    }

    /** Every workload analysed, sorted. */
    public List<WorkloadId> workloads() {
        return workloads;
    }

    /** The ranges outside the cluster that sources are cut into. */
    public List<IpRange> externalSources() {
        return externalSources;
    }

    /** The ranges outside the cluster that destinations are cut into. */
    public List<IpRange> externalDestinations() {
        return externalDestinations;
    }

    /**
     * Every allowed connection (only those of the focused workloads when the analysis had a
     * focus), sorted by source then destination as printed. On a large open cluster this is a
     * very long list; prefer {@link #inbound} and {@link #outbound}.
     */
    public synchronized List<Connection> connections() {
        if (all == null) {
            all = focus.isEmpty() ? everything() : focused();
        }
        return all;
    }

    /** The connections into a workload, sorted by source. */
    public synchronized List<Connection> inbound(WorkloadId workload) {
        return row(workload, Direction.INGRESS);
    }

    /** The connections out of a workload, sorted by destination. */
    public synchronized List<Connection> outbound(WorkloadId workload) {
        return row(workload, Direction.EGRESS);
    }

    /**
     * The connections into a workload, as fans: one per class of sources and one per address
     * range. Cheaper than {@link #inbound} by the size of the classes.
     */
    public List<ConnectionFan> inboundFans(WorkloadId workload) {
        return fans(workload, Direction.INGRESS);
    }

    /** The connections out of a workload, as fans: one per class of destinations and one per address range. */
    public List<ConnectionFan> outboundFans(WorkloadId workload) {
        return fans(workload, Direction.EGRESS);
    }

    /** The connection from one peer to another, if any is allowed. */
    public synchronized Optional<Connection> between(Peer source, Peer destination) {
        if (source instanceof Peer.WorkloadPeer from && destination instanceof Peer.WorkloadPeer to) {
            if (from.id().equals(to.id())) {
                return Optional.empty();
            }
            Accumulator accumulator = new Accumulator();
            for (int s : classesOf(from.id())) {
                for (int d : classesOf(to.id())) {
                    accumulator.add(source, destination, pair(s, d), s, false, d, false);
                }
            }
            return accumulator.single();
        }
        if (source instanceof Peer.ExternalPeer from && destination instanceof Peer.WorkloadPeer to) {
            int range = externalSources.indexOf(from.range());
            if (range < 0) {
                return Optional.empty();
            }
            Accumulator accumulator = new Accumulator();
            for (int d : classesOf(to.id())) {
                accumulator.add(source, destination, side(Direction.INGRESS, d, range, true), range, true, d, false);
            }
            return accumulator.single();
        }
        if (source instanceof Peer.WorkloadPeer from && destination instanceof Peer.ExternalPeer to) {
            int range = externalDestinations.indexOf(to.range());
            if (range < 0) {
                return Optional.empty();
            }
            Accumulator accumulator = new Accumulator();
            for (int s : classesOf(from.id())) {
                accumulator.add(source, destination, side(Direction.EGRESS, s, range, true), s, false, range, true);
            }
            return accumulator.single();
        }
        return Optional.empty();
    }

    /**
     * Whether a workload can open a connection to any of {@code destinations}, or accept one from
     * any of {@code sources} (a workload among them too, when they can reach each other): what a
     * change to the ingress policies of {@code destinations} and the egress policies of
     * {@code sources} can reach. Decided on pairs of classes when asked, remembered per class;
     * safe to ask from several threads.
     */
    public java.util.function.Predicate<WorkloadId> reachesOrReachedBy(java.util.Collection<WorkloadId> destinations,
            java.util.Collection<WorkloadId> sources) {
        return reachesOrReachedBy(destinations, sources, ConnectionSet.ALL);
    }

    /**
     * As {@link #reachesOrReachedBy(java.util.Collection, java.util.Collection)}, counting only
     * connections on {@code ports}: what a change confined to those ports can reach.
     */
    public java.util.function.Predicate<WorkloadId> reachesOrReachedBy(java.util.Collection<WorkloadId> destinations,
            java.util.Collection<WorkloadId> sources, ConnectionSet ports) {
        BitSet towards = classesOf(destinations);
        BitSet from = classesOf(sources);
        return reachesOrReachedBy(towards, from, index.table.id(ports),
                towards.cardinality() + from.cardinality() <= CLASSES_READ_BY_ROW);
    }

    /**
     * As {@link #reachesOrReachedBy(java.util.Collection, java.util.Collection, ConnectionSet)},
     * by rows or by pairs.
     */
    java.util.function.Predicate<WorkloadId> reachesOrReachedBy(java.util.Collection<WorkloadId> destinations,
            java.util.Collection<WorkloadId> sources, ConnectionSet ports, boolean byRows) {
        return reachesOrReachedBy(classesOf(destinations), classesOf(sources), index.table.id(ports), byRows);
    }

    private java.util.function.Predicate<WorkloadId> reachesOrReachedBy(BitSet towards, BitSet from, int on,
            boolean byRows) {
        if (byRows) {
            // few classes changed: their rows name every class linked with them at once, decided a row at a time
            BitSet linked = new BitSet(index.classes.size());
            towards.stream().forEach(d -> linkedOnRow(classRow(d, Direction.INGRESS), on, linked));
            from.stream().forEach(s -> linkedOnRow(classRow(s, Direction.EGRESS), on, linked));
            return workload -> {
                for (int endpointClass : classesOf(workload)) {
                    if (linked.get(endpointClass)) {
                        return true;
                    }
                }
                return false;
            };
        }
        Map<Integer, Boolean> decided = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.IntPredicate linked = other -> decided.computeIfAbsent(other, key -> {
            for (int d = towards.nextSetBit(0); d >= 0; d = towards.nextSetBit(d + 1)) {
                if (index.table.intersect(pair(other, d), on) != ConnectionTable.NONE) {
                    return true;
                }
            }
            for (int s = from.nextSetBit(0); s >= 0; s = from.nextSetBit(s + 1)) {
                if (index.table.intersect(pair(s, other), on) != ConnectionTable.NONE) {
                    return true;
                }
            }
            return false;
        });
        return workload -> {
            for (int endpointClass : classesOf(workload)) {
                if (linked.test(endpointClass)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Up to this many classes changed, {@link #reachesOrReachedBy} reads their rows; past it, a
     * pair at a time for the classes asked about, fewer than a row each then.
     */
    private static final int CLASSES_READ_BY_ROW = 128;

    private void linkedOnRow(int[] row, int on, BitSet linked) {
        for (int link = 0; link < row.length; link += LINK) {
            if (index.table.intersect(row[link + 1], on) != ConnectionTable.NONE) {
                linked.set(row[link]);
            }
        }
    }

    private BitSet classesOf(java.util.Collection<WorkloadId> workloads) {
        BitSet classes = new BitSet();
        for (WorkloadId workload : workloads) {
            for (int endpointClass : classesOf(workload)) {
                classes.set(endpointClass);
            }
        }
        return classes;
    }

    private int[] classesOf(WorkloadId workload) {
        Integer w = workloadIndex.get(workload);
        if (w == null) {
            throw new IllegalArgumentException("No workload " + workload);
        }
        return index.classesOfWorkload.get(w);
    }

    /**
     * Takes the map's lock only for the few workloads whose pods fall in several classes: rows, the
     * sorting of a row into fans and their evidence run side by side on the threads of an audit.
     */
    private List<ConnectionFan> fans(WorkloadId workload, Direction direction) {
        int[] own = classesOf(workload);
        List<ConnectionFan> fans = new ArrayList<>();
        if (own.length > 1) {
            // pods of one workload in several classes: merge pair by pair, exactly as the printed answer does
            for (Connection connection : direction == Direction.INGRESS ? inbound(workload) : outbound(workload)) {
                fans.add(ConnectionFan.of(workload, direction, connection));
            }
            return fans;
        }
        int subject = own[0];
        Peer self = new Peer.WorkloadPeer(workload);
        boolean inbound = direction == Direction.INGRESS;
        Direction opposite = inbound ? Direction.EGRESS : Direction.INGRESS;
        List<Peer> ownClassPeers = new ArrayList<>(singleClassPeers(subject));
        ownClassPeers.remove(self);
        // classes the workload's own side treats alike (same connections, same rules) share a fan: number the
        // ways first and count their parts, then fill arrays of the right size (a way may have thousands)
        LongIntHashMap wayNumbers = new LongIntHashMap();
        int[] links = classRow(subject, direction);
        int[] wayOfLink = new int[links.length / LINK];
        int[] partsOfWay = new int[16];
        int[] firstLinkOf = new int[16];
        int ways = 0;
        TreeSet<Integer> variants = new TreeSet<>();
        for (int link = 0; link < links.length; link += LINK) {
            int other = links[link];
            boolean hasPeers = other == subject ? !ownClassPeers.isEmpty() : !singleClassPeers(other).isEmpty();
            int number = -1;
            if (hasPeers) {
                long way = (long) links[link + 1] << Integer.SIZE | links[link + 2];
                int slot = wayNumbers.indexOf(way);
                if (slot >= 0) {
                    number = wayNumbers.indexGet(slot);
                } else {
                    number = ways++;
                    wayNumbers.indexInsert(slot, way, number);
                    if (number == partsOfWay.length) {
                        partsOfWay = Arrays.copyOf(partsOfWay, number * 2);
                        firstLinkOf = Arrays.copyOf(firstLinkOf, number * 2);
                    }
                    firstLinkOf[number] = link;
                }
                partsOfWay[number]++;
            }
            wayOfLink[link / LINK] = number;
            for (int member : variantMembers(other)) {
                variants.add(member);
            }
        }
        ConnectionFan.Part[][] partsByWay = new ConnectionFan.Part[ways][];
        int[] filled = new int[ways];
        for (int number = 0; number < ways; number++) {
            partsByWay[number] = new ConnectionFan.Part[partsOfWay[number]];
        }
        for (int link = 0; link < links.length; link += LINK) {
            int number = wayOfLink[link / LINK];
            if (number >= 0) {
                int other = links[link];
                partsByWay[number][filled[number]++] = new ConnectionFan.Part(
                        other == subject ? ownClassPeers : singleClassPeers(other), other == subject ? -1 : other,
                        sideEvidence, opposite, other, subject, links[link + 1]);
            }
        }
        for (int number = 0; number < ways; number++) {
            int first = firstLinkOf[number];
            int other = links[first];
            int allowed = links[first + 1];
            fans.add(new ConnectionFan(workload, direction, index.table.set(allowed),
                    () -> verdictOfTable(direction, subject, other, false, allowed), partsByWay[number]));
        }
        for (int member : variants) {
            Peer peer = new Peer.WorkloadPeer(index.cluster.workloads().get(member).id());
            if (!peer.equals(self)) {
                (inbound ? between(peer, self) : between(self, peer))
                        .ifPresent(connection -> fans.add(ConnectionFan.of(workload, direction, connection)));
            }
        }
        List<IpRange> ranges = inbound ? externalSources : externalDestinations;
        externalFans(workload, direction, subject, ranges, fans);
        return fans;
    }

    private void externalFans(WorkloadId workload, Direction direction, int subject, List<IpRange> ranges,
            List<ConnectionFan> fans) {
        for (int range = 0; range < ranges.size(); range++) {
            int allowed = side(direction, subject, range, true);
            if (allowed == ConnectionTable.NONE) {
                continue;
            }
            int r = range;
            fans.add(new ConnectionFan(workload, direction, index.table.set(allowed),
                    () -> verdictOfTable(direction, subject, r, true, allowed),
                    List.of(new ConnectionFan.Part(externalPeers.get(direction.ordinal()).get(range),
                            () -> DirectionVerdict.OUTSIDE))));
        }
    }

    private static List<List<Peer>> asPeers(List<IpRange> ranges) {
        List<List<Peer>> peers = new ArrayList<>();
        ranges.forEach(range -> peers.add(List.of(new Peer.ExternalPeer(range))));
        return List.copyOf(peers);
    }

    /** The evidence of a side between two classes, for parts of fans. */
    private final ConnectionFan.SideEvidence sideEvidence = (direction, subject, peer, allowed) ->
            verdictOfTable(direction, subject, peer, false, allowed);

    private DirectionVerdict verdictOfTable(Direction direction, int subject, int peer, boolean external,
            int finallyAllowed) {
        return verdict(direction, subject, peer, external, index.table.set(finallyAllowed));
    }

    /** The members of a class that have pods in other classes too. */
    private int[] variantMembers(int endpointClass) {
        return variantMembers[endpointClass];
    }

    private int[] membersOfOtherClassesToo(int endpointClass) {
        return index.classes.get(endpointClass).members.stream()
                .filter(member -> index.classesOfWorkload.get(member).length > 1).mapToInt(Integer::intValue)
                .toArray();
    }

    /** The members of a class whose pods are all of it, as peers. */
    private List<Peer> singleClassPeers(int endpointClass) {
        return memberPeers[endpointClass];
    }

    private List<Peer> membersOfOnlyThisClass(int endpointClass) {
        List<Peer> peers = new ArrayList<>();
        for (int member : index.classes.get(endpointClass).members) {
            if (index.classesOfWorkload.get(member).length == 1) {
                peers.add(new Peer.WorkloadPeer(index.cluster.workloads().get(member).id()));
            }
        }
        return List.copyOf(peers);
    }

    /**
     * The classes a class can exchange traffic with in a direction, each with what both sides
     * allow and the number of the subject's own case within the row (equal for classes its side
     * treats alike): {@code [other, allowed, way, other, allowed, way, ...]}. Remembered.
     */
    private int[] classRow(int subject, Direction direction) {
        return (direction == Direction.INGRESS ? ingressRows : egressRows)
                .get(subject, key -> computeRow(subject, direction));
    }

    private int[] computeRow(int subject, Direction direction) {
        if (tiers.size() == 1 && tiers.get(0) instanceof NetworkPolicyTier only) {
            return only.row(direction, subject,
                    earlierRows == null ? null : earlierRows.get(direction.ordinal()).remove(subject));
        }
        // several tiers: pair by pair, each side through every tier
        Map<List<Object>, Integer> ways = new HashMap<>();
        int[] links = new int[LINK * 16];
        int size = 0;
        for (int other = 0; other < index.classes.size(); other++) {
            int allowed = direction == Direction.INGRESS ? pair(other, subject) : pair(subject, other);
            if (allowed == ConnectionTable.NONE) {
                continue;
            }
            List<Object> way = new ArrayList<>(tiers.size());
            for (Tier tier : tiers) {
                Object key = tier.evidenceKey(direction, subject, other, false);
                // without a key the tier cannot say two classes are alike: keep the class to itself
                way.add(key == null ? new Object() : key);
            }
            if (size + LINK > links.length) {
                links = Arrays.copyOf(links, links.length * 2);
            }
            links[size++] = other;
            links[size++] = allowed;
            links[size++] = ways.computeIfAbsent(way, key -> ways.size());
        }
        return Arrays.copyOf(links, size);
    }

    /**
     * How much the map holds: endpoint classes, the ordered pairs of classes that can connect,
     * and the ordered pairs of distinct workloads they stand for (a workload whose pods fall in
     * several classes counts once per class). Computed class by class, without listing a
     * connection and without remembering the rows: the measure of a whole cluster's connectivity.
     */
    public record Size(int classes, long classPairs, long workloadPairs) {
    }

    public Size size() {
        // rows are independent and computed without a lock: on every core
        long[][] counts = java.util.stream.IntStream.range(0, index.classes.size()).parallel().mapToObj(source -> {
            int[] links = computeRow(source, Direction.EGRESS);
            long members = index.classes.get(source).members.size();
            long workloadPairs = 0;
            for (int link = 0; link < links.length; link += LINK) {
                int destination = links[link];
                workloadPairs += destination == source ? members * (members - 1)
                        : members * index.classes.get(destination).members.size();
            }
            return new long[] {links.length / LINK, workloadPairs};
        }).toArray(long[][]::new);
        long classPairs = 0;
        long workloadPairs = 0;
        for (long[] count : counts) {
            classPairs += count[0];
            workloadPairs += count[1];
        }
        return new Size(index.classes.size(), classPairs, workloadPairs);
    }

    /** What both sides allow between two classes, as a table id. */
    private int pair(int source, int destination) {
        int egress = side(Direction.EGRESS, source, destination, false);
        if (egress == ConnectionTable.NONE) {
            return egress;
        }
        return index.table.intersect(egress, side(Direction.INGRESS, destination, source, false));
    }

    /**
     * Runs the tiers in order for one side of traffic: each decides part of what the previous
     * ones passed; what none decides is allowed.
     */
    private int side(Direction direction, int subject, int peer, boolean external) {
        ConnectionTable table = index.table;
        int undecided = ConnectionTable.ALL;
        int allowed = ConnectionTable.NONE;
        for (Tier tier : tiers) {
            Tier.Decision decision = tier.decide(direction, subject, peer, external);
            if (!decision.governs()) {
                continue;
            }
            allowed = table.union(allowed, table.intersect(decision.allowed(), undecided));
            undecided = table.minus(undecided, table.union(decision.allowed(), decision.denied()));
            if (undecided == ConnectionTable.NONE) {
                break;
            }
        }
        return table.union(allowed, undecided);
    }

    /** The evidence for one side, as it bears on the connections finally allowed. */
    private DirectionVerdict verdict(Direction direction, int subject, int peer, boolean external,
            ConnectionSet finallyAllowed) {
        // the same evidence recurs for every pair a tier cannot tell apart: work it out once
        List<Object> key = new ArrayList<>(tiers.size() + 1);
        for (Tier tier : tiers) {
            Object evidenceKey = tier.evidenceKey(direction, subject, peer, external);
            if (evidenceKey == null) {
                return computeVerdict(direction, subject, peer, external, finallyAllowed);
            }
            key.add(evidenceKey);
        }
        key.add(finallyAllowed);
        DirectionVerdict known = verdicts.get(key);
        if (known == null) {
            known = computeVerdict(direction, subject, peer, external, finallyAllowed);
            verdicts.put(key, known);
        }
        return known;
    }

    private DirectionVerdict computeVerdict(Direction direction, int subject, int peer, boolean external,
            ConnectionSet finallyAllowed) {
        boolean governed = false;
        TreeSet<RuleRef> rules = new TreeSet<>();
        for (Tier tier : tiers) {
            governed |= tier.decide(direction, subject, peer, external).governs();
            for (Map.Entry<RuleRef, ConnectionSet> reason : tier.reasons(direction, subject, peer, external)) {
                if (reason.getValue().intersects(finallyAllowed)) {
                    rules.add(reason.getKey());
                }
            }
        }
        return new DirectionVerdict(governed ? DirectionVerdict.Isolation.ISOLATED
                : DirectionVerdict.Isolation.NOT_ISOLATED, finallyAllowed, new ArrayList<>(rules));
    }

    /**
     * Collects the connections of workload pairs, merging what pod variants of the same
     * workloads allow.
     */
    private final class Accumulator {
        private final Map<List<Peer>, Connection> byPair = new LinkedHashMap<>();

        void add(Peer source, Peer destination, int allowed, int sourceIndex, boolean sourceExternal,
                int destinationIndex, boolean destinationExternal) {
            if (allowed == ConnectionTable.NONE) {
                return;
            }
            add(connection(source, destination, allowed, sourceIndex, sourceExternal, destinationIndex,
                    destinationExternal));
        }

        void add(Connection connection) {
            byPair.merge(List.of(connection.source(), connection.destination()), connection, ConnectivityMap::merge);
        }

        Optional<Connection> single() {
            return byPair.values().stream().findFirst();
        }

        List<Connection> sorted() {
            List<Connection> list = new ArrayList<>(byPair.values());
            sort(list);
            return list;
        }
    }

    /** One connection with the evidence of both sides, for a non-empty table id. */
    private Connection connection(Peer source, Peer destination, int allowed, int sourceIndex,
            boolean sourceExternal, int destinationIndex, boolean destinationExternal) {
        ConnectionSet connections = index.table.set(allowed);
        DirectionVerdict egress = sourceExternal ? DirectionVerdict.OUTSIDE
                : verdict(Direction.EGRESS, sourceIndex, destinationIndex, destinationExternal, connections);
        DirectionVerdict ingress = destinationExternal ? DirectionVerdict.OUTSIDE
                : verdict(Direction.INGRESS, destinationIndex, sourceIndex, sourceExternal, connections);
        return new Connection(source, destination, connections, egress, ingress);
    }

    /**
     * Sorts by source then destination as printed. Each name is formatted once, not once per
     * comparison: formatting addresses dominated the cost of large rows.
     */
    private static void sort(List<Connection> connections) {
        Map<Peer, String> names = new HashMap<>();
        List<Map.Entry<String, Connection>> keyed = new ArrayList<>(connections.size());
        for (Connection connection : connections) {
            // NUL sorts before every character of a name, so this orders by source, then destination
            String key = names.computeIfAbsent(connection.source(), Peer::toString) + '\0'
                    + names.computeIfAbsent(connection.destination(), Peer::toString);
            keyed.add(Map.entry(key, connection));
        }
        keyed.sort(Map.Entry.comparingByKey());
        for (int i = 0; i < keyed.size(); i++) {
            connections.set(i, keyed.get(i).getValue());
        }
    }

    private static Connection merge(Connection a, Connection b) {
        return new Connection(a.source(), a.destination(), a.connections().union(b.connections()),
                merge(a.egress(), b.egress()), merge(a.ingress(), b.ingress()));
    }

    private static DirectionVerdict merge(DirectionVerdict a, DirectionVerdict b) {
        TreeSet<RuleRef> rules = new TreeSet<>(a.allowedBy());
        rules.addAll(b.allowedBy());
        DirectionVerdict.Isolation isolation = a.isolation() == DirectionVerdict.Isolation.ISOLATED
                || b.isolation() == DirectionVerdict.Isolation.ISOLATED
                ? DirectionVerdict.Isolation.ISOLATED : a.isolation();
        return new DirectionVerdict(isolation, a.allowed().union(b.allowed()), new ArrayList<>(rules));
    }

    /** The connections into (ingress) or out of (egress) one workload. */
    private List<Connection> row(WorkloadId workload, Direction direction) {
        Accumulator accumulator = new Accumulator();
        Peer self = new Peer.WorkloadPeer(workload);
        List<Workload> list = index.cluster.workloads();
        for (int own : classesOf(workload)) {
            int[] links = classRow(own, direction);
            for (int link = 0; link < links.length; link += LINK) {
                int other = links[link];
                int allowed = links[link + 1];
                // the evidence is the same for every member of the class: build it once
                Connection template = null;
                for (int member : index.classes.get(other).members) {
                    Peer peer = new Peer.WorkloadPeer(list.get(member).id());
                    if (peer.equals(self)) {
                        continue;
                    }
                    if (template == null) {
                        template = direction == Direction.INGRESS
                                ? connection(peer, self, allowed, other, false, own, false)
                                : connection(self, peer, allowed, own, false, other, false);
                    }
                    accumulator.add(direction == Direction.INGRESS
                            ? new Connection(peer, self, template.connections(), template.egress(), template.ingress())
                            : new Connection(self, peer, template.connections(), template.egress(),
                                    template.ingress()));
                }
            }
            List<IpRange> ranges = direction == Direction.INGRESS ? externalSources : externalDestinations;
            for (int range = 0; range < ranges.size(); range++) {
                Peer peer = new Peer.ExternalPeer(ranges.get(range));
                int allowed = side(direction, own, range, true);
                if (direction == Direction.INGRESS) {
                    accumulator.add(peer, self, allowed, range, true, own, false);
                } else {
                    accumulator.add(self, peer, allowed, own, false, range, true);
                }
            }
        }
        return accumulator.sorted();
    }

    private List<Connection> focused() {
        Accumulator accumulator = new Accumulator();
        for (WorkloadId workload : focus) {
            row(workload, Direction.INGRESS).forEach(accumulator::add);
            row(workload, Direction.EGRESS).forEach(accumulator::add);
        }
        return List.copyOf(accumulator.sorted());
    }

    /** Every pair: each class pair once, expanded to the workloads of the two classes. */
    private List<Connection> everything() {
        List<Workload> list = index.cluster.workloads();
        List<Connection> result = new ArrayList<>();
        // workloads with several pod variants are the only ones whose pairs need merging
        Accumulator variants = new Accumulator();
        int classes = index.classes.size();
        for (int s = 0; s < classes; s++) {
            EndpointClass source = index.classes.get(s);
            for (int d = 0; d < classes; d++) {
                int allowed = pair(s, d);
                if (allowed == ConnectionTable.NONE) {
                    continue;
                }
                EndpointClass destination = index.classes.get(d);
                ConnectionSet connections = index.table.set(allowed);
                DirectionVerdict egress = null;
                DirectionVerdict ingress = null;
                for (int from : source.members) {
                    for (int to : destination.members) {
                        if (from == to) {
                            continue;
                        }
                        Peer sourcePeer = new Peer.WorkloadPeer(list.get(from).id());
                        Peer destinationPeer = new Peer.WorkloadPeer(list.get(to).id());
                        if (egress == null) {
                            egress = verdict(Direction.EGRESS, s, d, false, connections);
                            ingress = verdict(Direction.INGRESS, d, s, false, connections);
                        }
                        Connection connection = new Connection(sourcePeer, destinationPeer, connections, egress,
                                ingress);
                        if (index.classesOfWorkload.get(from).length > 1 || index.classesOfWorkload.get(to).length > 1) {
                            variants.add(connection);
                        } else {
                            result.add(connection);
                        }
                    }
                }
            }
            for (int range = 0; range < externalSources.size(); range++) {
                expandExternal(result, variants, source, range, true);
            }
            for (int range = 0; range < externalDestinations.size(); range++) {
                expandExternal(result, variants, source, range, false);
            }
        }
        result.addAll(variants.sorted());
        sort(result);
        return List.copyOf(result);
    }

    private void expandExternal(List<Connection> result, Accumulator variants, EndpointClass endpointClass, int range,
            boolean inbound) {
        Direction direction = inbound ? Direction.INGRESS : Direction.EGRESS;
        int allowed = side(direction, endpointClass.index, range, true);
        if (allowed == ConnectionTable.NONE) {
            return;
        }
        ConnectionSet connections = index.table.set(allowed);
        DirectionVerdict verdict = verdict(direction, endpointClass.index, range, true, connections);
        Peer external = new Peer.ExternalPeer((inbound ? externalSources : externalDestinations).get(range));
        for (int member : endpointClass.members) {
            Peer workload = new Peer.WorkloadPeer(index.cluster.workloads().get(member).id());
            Connection connection = inbound
                    ? new Connection(external, workload, connections, DirectionVerdict.OUTSIDE, verdict)
                    : new Connection(workload, external, connections, verdict, DirectionVerdict.OUTSIDE);
            if (index.classesOfWorkload.get(member).length > 1) {
                variants.add(connection);
            } else {
                result.add(connection);
            }
        }
    }
}
