package dev.phiguard.eval;

import com.carrotsearch.hppc.LongIntHashMap;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networking.k8s.io/v1 NetworkPolicy tier: a subject selected by at least one policy for a
 * direction is governed, and then the union of those policies' rules allows and everything else
 * is denied. A subject no policy selects passes.
 */
final class NetworkPolicyTier implements Tier {
    private final ClusterIndex index;
    /** One decision per allowed set, so deciding allocates nothing. */
    // rows of an analysis may be computed on several threads at once
    private final Map<Integer, Decision> decisions = new ConcurrentHashMap<>();
    private final Map<Object, Decision> decidedFor = new ConcurrentHashMap<>();
    /**
     * Per direction and class, the peer classes its rules admit, outside of which it is denied
     * everything (null when no policy isolates it): a row examines only these.
     */
    private final BitSet[][] onlyAllowed;
    /** Per direction and class, the number of its (shared) array of rules in the direction, or -1 when not isolated. */
    private final int[][] rulesNumber;
    private final int[] arrays = new int[Direction.values().length];
    private final PeerSets[] peerSets = new PeerSets[Direction.values().length];
    /**
     * Per direction, the classes whose rules differ from those of the tier this one was made after
     * (by identity: arrays no change touched are taken from index to index), or null when this
     * tier was made on its own or after one over other classes.
     */
    private final BitSet[] changedRules;
    /** How many rows were computed rule by rule, while the peer sets were not worth arranging. */
    private final java.util.concurrent.atomic.AtomicInteger directRows =
            new java.util.concurrent.atomic.AtomicInteger();

    NetworkPolicyTier(ClusterIndex index) {
        this(index, null);
    }

    /**
     * A tier that can mend the rows of an {@code earlier} one (null for none) over the same
     * classes: after a change to a few policies, a row changes only where the rules of its subject
     * or of the other class changed.
     */
    NetworkPolicyTier(ClusterIndex index, NetworkPolicyTier earlier) {
        this.index = index;
        this.changedRules = earlier == null ? null : changedSince(index, earlier.index);
        this.onlyAllowed = new BitSet[Direction.values().length][index.classes.size()];
        this.rulesNumber = new int[Direction.values().length][index.classes.size()];
        // classes selected by the same policies share their array of rules, and so this answer
        Map<CompiledRule[], BitSet> peersOfRules = new IdentityHashMap<>();
        for (Direction direction : Direction.values()) {
            Map<CompiledRule[], Integer> numbers = new IdentityHashMap<>();
            for (int subject = 0; subject < index.classes.size(); subject++) {
                CompiledRule[] rules = index.rules(direction, subject);
                rulesNumber[direction.ordinal()][subject] = rules == null ? -1
                        : numbers.computeIfAbsent(rules, key -> numbers.size());
                if (rules != null && changedRules != null && !changedRules[direction.ordinal()].get(subject)) {
                    // the very rules of before: what they admit too
                    onlyAllowed[direction.ordinal()][subject] = earlier.onlyAllowed[direction.ordinal()][subject];
                } else if (rules != null) {
                    onlyAllowed[direction.ordinal()][subject] = peersOfRules.computeIfAbsent(rules, key -> {
                        BitSet peers = new BitSet(index.classes.size());
                        for (CompiledRule rule : key) {
                            peers.or(rule.peerClasses);
                        }
                        return peers;
                    });
                }
            }
            arrays[direction.ordinal()] = numbers.size();
            // the same arrays of rules, numbered alike: the earlier arrangement holds for this tier too
            if (changedRules != null && changedRules[direction.ordinal()].isEmpty()) {
                peerSets[direction.ordinal()] = earlier.arranged(direction);
            }
        }
    }

    /** The peer sets of a direction, if they were arranged. */
    private synchronized PeerSets arranged(Direction direction) {
        return peerSets[direction.ordinal()];
    }

    private static BitSet[] changedSince(ClusterIndex index, ClusterIndex earlier) {
        if (earlier.classes != index.classes || earlier.table != index.table) {
            return null;
        }
        BitSet[] changed = new BitSet[Direction.values().length];
        int count = 0;
        for (Direction direction : Direction.values()) {
            changed[direction.ordinal()] = new BitSet(index.classes.size());
            for (int c = 0; c < index.classes.size(); c++) {
                if (index.rules(direction, c) != earlier.rules(direction, c)) {
                    changed[direction.ordinal()].set(c);
                    count++;
                }
            }
        }
        // a mended row decides the links with every changed class: past this, about what computing it does
        return count <= Math.max(index.classes.size() / 2, 64) ? changed : null;
    }

    /**
     * Rows computed rule by rule in a tier made after another, before the peer sets are
     * arranged: an update asks for a few rows, and arranging them cost more than those rows.
     */
    private static final int DIRECT_ROWS_UP_TO = 256;

    @Override
    public Decision decide(Direction direction, int subject, int peer, boolean external) {
        CompiledRule[] rules = index.rules(direction, subject);
        if (rules == null) {
            return Decision.PASS;
        }
        // what decides is which rules admit the peer and the destination's named ports: decide each case once
        Object key = evidenceKey(direction, subject, peer, external);
        if (key != null) {
            Decision known = decidedFor.get(key);
            if (known == null) {
                known = computeDecision(direction, rules, subject, peer, external);
                decidedFor.put(key, known);
            }
            return known;
        }
        return computeDecision(direction, rules, subject, peer, external);
    }

    /**
     * One class's row in one direction: {@code [other, allowed, way, ...]} for every class it can
     * exchange traffic with, in order, where {@code allowed} is what both sides allow (the same
     * answer as {@link #decide} on each side) and {@code way} numbers, within the row, the distinct
     * cases of the subject's own side ({@link #evidenceKey}: which of its rules admit the other,
     * and the destination's named ports), so that peers the subject treats alike share a number.
     *
     * <p>This is the audit's inner loop, run for millions of pairs: each case of either side is
     * decided once per row under a primitive key, instead of once per pair under a key object in
     * the memo every thread shares. The far side's case is the same for every class that shares
     * its array of rules (which of them admit the subject does not depend on the class).
     */
    int[] row(Direction direction, int subject) {
        return row(direction, subject, null);
    }

    /**
     * As {@link #row(Direction, int)}, mended from the subject's row {@code before} (null when
     * not known) in the tier this one was made after, when the subject's own rules are the same:
     * only the links with classes whose rules changed are decided again. Links are the same as
     * a row computed here; their ways may be numbered otherwise, splitting the classes alike.
     */
    int[] row(Direction direction, int subject, int[] before) {
        if (changedRules != null) {
            if (before != null && !changedRules[direction.ordinal()].get(subject)) {
                return mendedRow(direction, subject, before);
            }
            // a row reads the far side through its peer sets: arranging them costs more than a few rows
            if (arranged(opposite(direction)) == null && directRows.incrementAndGet() <= DIRECT_ROWS_UP_TO) {
                return directRow(direction, subject);
            }
        }
        Direction opposite = opposite(direction);
        // everything a row reads of its subject: classes alike in these have equal rows (at 50k, 4,770
        // distinct among the 6,812 rows of PHI classes), and PHI workloads alike are judged close together
        List<Object> alike = List.of(direction, rulesNumber[direction.ordinal()][subject],
                index.classes.get(subject).namedPorts, peerSets(opposite).admittingOf(subject));
        return rowsAlike.get(alike, key -> computeRow(direction, subject));
    }

    private static Direction opposite(Direction direction) {
        return direction == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS;
    }

    /** A subject's row mended: see {@link #row(Direction, int, int[])}. */
    private int[] mendedRow(Direction direction, int subject, int[] before) {
        Direction opposite = opposite(direction);
        BitSet again = changedRules[opposite.ordinal()];
        CompiledRule[] own = index.rules(direction, subject);
        BitSet candidates = own == null ? null : onlyAllowed[direction.ordinal()][subject];
        // the own side's cases of the earlier row, so that a link decided again joins its case's way
        Map<Object, Integer> waysOfCases = new HashMap<>();
        BitSet seen = new BitSet();
        for (int link = 0; link < before.length; link += ConnectivityMap.LINK) {
            int way = before[link + 2];
            if (!seen.get(way)) {
                seen.set(way);
                waysOfCases.put(ownCase(direction, own, subject, before[link]), way);
            }
        }
        // a way of the earlier row may have lost its links: new cases are numbered past every earlier one
        int ways = seen.length();
        Links links = new Links(before.length / ConnectivityMap.LINK + again.cardinality());
        int link = 0;
        for (int other = again.nextSetBit(0); ; other = again.nextSetBit(other + 1)) {
            int upTo = other < 0 ? Integer.MAX_VALUE : other;
            for (; link < before.length && before[link] < upTo; link += ConnectivityMap.LINK) {
                if (!again.get(before[link])) {
                    links.add(before[link], before[link + 1], before[link + 2]);
                }
            }
            if (other < 0) {
                break;
            }
            if (candidates != null && !candidates.get(other)) {
                continue;
            }
            int allowed = farAllowed(opposite, other, subject);
            if (allowed == ConnectionTable.NONE) {
                continue;
            }
            int way = 0;
            if (own != null) {
                allowed = index.table.intersect(allowed, allowedBy(direction, own, subject, other, false));
                if (allowed == ConnectionTable.NONE) {
                    continue;
                }
                Integer known = waysOfCases.get(ownCase(direction, own, subject, other));
                if (known == null) {
                    known = ways++;
                    waysOfCases.put(ownCase(direction, own, subject, other), known);
                }
                way = known;
            }
            links.add(other, allowed, way);
        }
        return links.toArray();
    }

    /** What the far side, {@code other} in {@code direction}, allows {@code subject}, rule by rule. */
    private int farAllowed(Direction direction, int other, int subject) {
        CompiledRule[] rules = index.rules(direction, other);
        return rules == null ? ConnectionTable.ALL : allowedBy(direction, rules, other, subject, false);
    }

    /** The subject's own case for a peer class: equal for peers its side treats alike, as {@link #evidenceKey}. */
    private Object ownCase(Direction direction, CompiledRule[] own, int subject, int other) {
        return own == null ? NOT_GOVERNED : evidenceKey(direction, subject, other, false);
    }

    /**
     * A row computed rule by rule, without the peer sets: the same links and ways as
     * {@link #computeRow}, the far side decided once per array of rules (and named ports of the
     * destination), the own side's cases told apart by which rules admit the other.
     */
    private int[] directRow(Direction direction, int subject) {
        Direction opposite = opposite(direction);
        CompiledRule[] own = index.rules(direction, subject);
        BitSet candidates = own == null ? null : onlyAllowed[direction.ordinal()][subject];
        int classes = index.classes.size();
        int identities = Math.max(1, index.namedPortsIdentities);
        RowScratch[] scratch = rowScratch.get();
        RowMemo farAnswers = scratch[0].memo((long) arrays[opposite.ordinal()] * identities);
        Map<Object, Integer> ownWays = new HashMap<>();
        int[] ownAllowed = new int[8];
        Links links = new Links(16);
        for (int other = candidates == null ? 0 : candidates.nextSetBit(0); other >= 0 && other < classes;
                other = candidates == null ? other + 1 : candidates.nextSetBit(other + 1)) {
            int allowed = ConnectionTable.ALL;
            int farNumber = rulesNumber[opposite.ordinal()][other];
            if (farNumber >= 0) {
                int destination = opposite == Direction.INGRESS ? other : subject;
                long key = (long) farNumber * identities + index.classes.get(destination).namedPorts;
                allowed = farAnswers.get(key);
                if (allowed < 0) {
                    allowed = farAllowed(opposite, other, subject);
                    farAnswers.put(key, allowed);
                }
                if (allowed == ConnectionTable.NONE) {
                    continue;
                }
            }
            int way = 0;
            if (own != null) {
                Object ownCase = ownCase(direction, own, subject, other);
                Integer known = ownWays.get(ownCase);
                if (known == null) {
                    known = ownWays.size();
                    ownWays.put(ownCase, known);
                    if (known == ownAllowed.length) {
                        ownAllowed = Arrays.copyOf(ownAllowed, known * 2);
                    }
                    ownAllowed[known] = allowedBy(direction, own, subject, other, false);
                }
                way = known;
                allowed = index.table.intersect(allowed, ownAllowed[way]);
                if (allowed == ConnectionTable.NONE) {
                    continue;
                }
            }
            links.add(other, allowed, way);
        }
        return links.toArray();
    }

    /** Rows by what they read of their subject, the most recently asked. */
    private final RecentAnswers<List<Object>, int[]> rowsAlike = new RecentAnswers<>(ROWS_ALIKE_KEPT);
    private static final int ROWS_ALIKE_KEPT = 256;

    private int[] computeRow(Direction direction, int subject) {
        Direction opposite = opposite(direction);
        ConnectionTable table = index.table;
        EndpointClass subjectClass = index.classes.get(subject);
        CompiledRule[] own = index.rules(direction, subject);
        BitSet candidates = own == null ? null : onlyAllowed[direction.ordinal()][subject];
        int classes = index.classes.size();
        int identities = Math.max(1, index.namedPortsIdentities);
        PeerSets far = peerSets(opposite);
        // the far side's answer depends on the other class only through its array of rules, and through
        // its named ports when it is the destination and its rules name ports
        int farStride = opposite == Direction.INGRESS ? identities : 1;
        RowScratch[] scratch = rowScratch.get();
        RowMemo farAnswers = scratch[0].memo((long) arrays[opposite.ordinal()] * farStride);
        // the own side's case, as in evidenceKey: which of its rules admit the other, and for egress the
        // other's named ports
        int ownStride = direction == Direction.EGRESS ? identities : 1;
        int[] admitting = own == null ? null
                : admittingSets(ownPeerSets(direction, subject, own), classes);
        RowMemo ownWays = scratch[1].memo(own == null ? 0 : (long) (admitting[classes] + 1) * ownStride);
        int[] ownAllowed = new int[8];
        int ways = 0;
        Links links = new Links(16);
        for (int other = candidates == null ? 0 : candidates.nextSetBit(0); other >= 0 && other < classes;
                other = candidates == null ? other + 1 : candidates.nextSetBit(other + 1)) {
            int allowed = ConnectionTable.ALL;
            int farNumber = rulesNumber[opposite.ordinal()][other];
            if (farNumber >= 0) {
                long key = (long) farNumber * farStride + (farStride > 1 && far.namesPorts(farNumber)
                        ? index.classes.get(other).namedPorts : 0);
                allowed = farAnswers.get(key);
                if (allowed < 0) {
                    allowed = far.allowed(farNumber, subject,
                            opposite == Direction.INGRESS ? index.classes.get(other) : subjectClass, table);
                    farAnswers.put(key, allowed);
                }
                if (allowed == ConnectionTable.NONE) {
                    continue;
                }
            }
            int way = 0;
            if (own != null) {
                long key = (long) admitting[other] * ownStride + (ownStride > 1 ? index.classes.get(other).namedPorts : 0);
                way = ownWays.get(key);
                if (way < 0) {
                    way = ways++;
                    ownWays.put(key, way);
                    if (way == ownAllowed.length) {
                        ownAllowed = Arrays.copyOf(ownAllowed, way * 2);
                    }
                    ownAllowed[way] = allowedBy(direction, own, subject, other, false);
                }
                allowed = table.intersect(allowed, ownAllowed[way]);
                if (allowed == ConnectionTable.NONE) {
                    continue;
                }
            }
            links.add(other, allowed, way);
        }
        return links.toArray();
    }

    /** A row's links as they are found, in order: {@code [other, allowed, way, ...]}. */
    private static final class Links {
        private int[] values;
        private int size;

        Links(int expected) {
            values = new int[ConnectivityMap.LINK * Math.max(expected, 1)];
        }

        void add(int other, int allowed, int way) {
            if (size + ConnectivityMap.LINK > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = other;
            values[size++] = allowed;
            values[size++] = way;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /**
     * Non-negative ints remembered for one row under keys below a bound: in an array when the
     * bound is small enough, else in a map. The array is the thread's own, reused from row to
     * row: a value counts only under the current row's stamp, so nothing is cleared between rows
     * (a row's memo ran to hundreds of kilobytes, allocated and zeroed for each of thousands of rows).
     */
    private static final class RowMemo {
        private static final long DENSE = 1 << 18;
        private final int[] values;
        private final int[] stamps;
        private final int stamp;
        private final LongIntHashMap sparse;

        private RowMemo(int[] values, int[] stamps, int stamp) {
            this.values = values;
            this.stamps = stamps;
            this.stamp = stamp;
            this.sparse = null;
        }

        private RowMemo() {
            this.values = null;
            this.stamps = null;
            this.stamp = 0;
            this.sparse = new LongIntHashMap();
        }

        /** The value under the key, or -1. */
        int get(long key) {
            if (sparse != null) {
                return sparse.getOrDefault(key, -1);
            }
            return stamps[(int) key] == stamp ? values[(int) key] : -1;
        }

        void put(long key, int value) {
            if (sparse != null) {
                sparse.put(key, value);
            } else {
                values[(int) key] = value;
                stamps[(int) key] = stamp;
            }
        }
    }

    /** One thread's arrays for the memos of the rows it computes, one at a time. */
    private static final class RowScratch {
        private int[] values = new int[0];
        private int[] stamps = new int[0];
        private int stamp;

        /** A memo for keys below {@code keys}, empty: what earlier rows stored is under older stamps. */
        RowMemo memo(long keys) {
            if (keys > RowMemo.DENSE) {
                return new RowMemo();
            }
            if (values.length < keys) {
                values = new int[(int) keys];
                stamps = new int[(int) keys];
                stamp = 0;
            }
            stamp++;
            if (stamp == 0) {
                // after 2^32 rows on one thread the stamps come round: start them afresh
                Arrays.fill(stamps, 0);
                stamp = 1;
            }
            return new RowMemo(values, stamps, stamp);
        }
    }

    /** Per thread, one scratch for the far side's memo and one for the own side's. */
    private final ThreadLocal<RowScratch[]> rowScratch =
            ThreadLocal.withInitial(() -> new RowScratch[] {new RowScratch(), new RowScratch()});

    /** The rules of a direction arranged for rows, made when a row first asks. */
    private synchronized PeerSets peerSets(Direction direction) {
        if (peerSets[direction.ordinal()] == null) {
            peerSets[direction.ordinal()] = new PeerSets(index, direction, rulesNumber[direction.ordinal()],
                    arrays[direction.ordinal()]);
        }
        return peerSets[direction.ordinal()];
    }

    /**
     * The distinct peer sets of a subject's rules: from the arranged peer sets of the direction,
     * or, when those are not arranged (a row of a tier made after another, whose far side is), from
     * the rules themselves. The order of the sets does not change the numbers of {@link #admittingSets}.
     */
    private List<BitSet> ownPeerSets(Direction direction, int subject, CompiledRule[] own) {
        PeerSets arranged = arranged(direction);
        if (arranged != null || changedRules == null) {
            return peerSets(direction).peerSets(rulesNumber[direction.ordinal()][subject]);
        }
        java.util.Set<BitSet> distinct = new java.util.LinkedHashSet<>();
        for (CompiledRule rule : own) {
            distinct.add(rule.peerClasses);
        }
        return new ArrayList<>(distinct);
    }

    /**
     * Numbers every class by which of {@code peerSets} admit it: equal numbers exactly for equal
     * sets, from 0 in order of first appearance, with how many numbers there are after the last
     * class. The partition is refined set after set, walking only the peers each admits, so the
     * work is in what the rules admit, not in classes times rules.
     */
    private static int[] admittingSets(List<BitSet> peerSets, int classes) {
        int[] setOf = new int[classes + 1];
        int sets = 1;
        // per set, the set its members admitted by the current peer set move to, and for which that was made
        int[] movedTo = new int[16];
        int[] movedFor = new int[16];
        for (int p = 0; p < peerSets.size(); p++) {
            BitSet peers = peerSets.get(p);
            for (int c = peers.nextSetBit(0); c >= 0 && c < classes; c = peers.nextSetBit(c + 1)) {
                int set = setOf[c];
                if (movedFor[set] != p + 1) {
                    if (sets == movedTo.length) {
                        movedTo = Arrays.copyOf(movedTo, sets * 2);
                        movedFor = Arrays.copyOf(movedFor, sets * 2);
                    }
                    movedFor[set] = p + 1;
                    movedTo[set] = sets++;
                }
                setOf[c] = movedTo[set];
            }
        }
        // renumbered densely, so that a row can remember its cases in an array
        int[] renumbered = new int[sets];
        int used = 0;
        for (int c = 0; c < classes; c++) {
            if (renumbered[setOf[c]] == 0) {
                renumbered[setOf[c]] = ++used;
            }
            setOf[c] = renumbered[setOf[c]] - 1;
        }
        setOf[classes] = used;
        return setOf;
    }

    private Decision computeDecision(Direction direction, CompiledRule[] rules, int subject, int peer,
            boolean external) {
        int allowed = allowedBy(direction, rules, subject, peer, external);
        Decision known = decisions.get(allowed);
        if (known == null) {
            known = new Decision(true, allowed, index.table.complement(allowed));
            decisions.put(allowed, known);
        }
        return known;
    }

    /** What the rules of a subject isolated in the direction allow, as a table id. */
    private int allowedBy(Direction direction, CompiledRule[] rules, int subject, int peer, boolean external) {
        ConnectionTable table = index.table;
        int allowed = ConnectionTable.NONE;
        for (CompiledRule rule : rules) {
            if (admits(rule, peer, external)) {
                allowed = table.union(allowed, ports(direction, rule, subject, peer, external));
            }
        }
        return allowed;
    }

    /**
     * What decides the answer: the subject's rules (arrays are shared by classes the same
     * policies select), which of them admit the peer, and the named ports of the destination.
     */
    @Override
    public Object evidenceKey(Direction direction, int subject, int peer, boolean external) {
        CompiledRule[] rules = index.rules(direction, subject);
        if (rules == null) {
            return NOT_GOVERNED;
        }
        int destinationPorts = direction == Direction.INGRESS ? index.classes.get(subject).namedPorts
                : external ? -1 : index.classes.get(peer).namedPorts;
        if (rules.length > Long.SIZE) {
            BitSet admitting = new BitSet(rules.length);
            for (int r = 0; r < rules.length; r++) {
                if (admits(rules[r], peer, external)) {
                    admitting.set(r);
                }
            }
            return new WideEvidenceKey(direction, rules, admitting, destinationPorts);
        }
        long admitting = 0;
        for (int r = 0; r < rules.length; r++) {
            if (admits(rules[r], peer, external)) {
                admitting |= 1L << r;
            }
        }
        return new EvidenceKey(direction, rules, admitting, destinationPorts);
    }

    private static final Object NOT_GOVERNED = new Object();

    /**
     * Compares {@code rules} by identity, as records do arrays; hashes all of it well, since
     * millions of these may be looked up and the default record hash folds masks onto each other.
     */
    private record EvidenceKey(Direction direction, CompiledRule[] rules, long admitting, int destinationPorts) {
        @Override
        public int hashCode() {
            long where = PairKey.of(System.identityHashCode(rules), destinationPorts * 2 + direction.ordinal());
            long which = admitting * 0x9E3779B97F4A7C15L;
            return Long.hashCode(PairKey.of(Long.hashCode(where), Long.hashCode(which)));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EvidenceKey key && key.rules == rules && key.admitting == admitting
                    && key.destinationPorts == destinationPorts && key.direction == direction;
        }
    }

    /** {@link EvidenceKey} for arrays of more rules than a long has bits. */
    private record WideEvidenceKey(Direction direction, CompiledRule[] rules, BitSet admitting, int destinationPorts) {
        @Override
        public int hashCode() {
            return 31 * (31 * System.identityHashCode(rules) + admitting.hashCode()) + destinationPorts * 2
                    + direction.ordinal();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WideEvidenceKey key && key.rules == rules && key.admitting.equals(admitting)
                    && key.destinationPorts == destinationPorts && key.direction == direction;
        }
    }

    @Override
    public List<Map.Entry<RuleRef, ConnectionSet>> reasons(Direction direction, int subject, int peer,
            boolean external) {
        CompiledRule[] rules = index.rules(direction, subject);
        List<Map.Entry<RuleRef, ConnectionSet>> reasons = new ArrayList<>();
        if (rules == null) {
            return reasons;
        }
        for (CompiledRule rule : rules) {
            if (admits(rule, peer, external)) {
                int granted = ports(direction, rule, subject, peer, external);
                if (granted != ConnectionTable.NONE) {
                    reasons.add(Map.entry(rule.ref, index.table.set(granted)));
                }
            }
        }
        return reasons;
    }

    private static boolean admits(CompiledRule rule, int peer, boolean external) {
        return external ? rule.peerRanges.get(peer) : rule.peerClasses.get(peer);
    }

    /** Named ports resolve on the destination: the subject for ingress, the peer for egress. */
    private int ports(Direction direction, CompiledRule rule, int subject, int peer, boolean external) {
        if (direction == Direction.INGRESS) {
            return rule.connectionsTo(index.classes.get(subject), index.table);
        }
        return external ? rule.connectionsToExternal() : rule.connectionsTo(index.classes.get(peer), index.table);
    }
}
