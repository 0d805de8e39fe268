package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import java.util.ArrayList;
import java.util.BitSet;
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
    /** Per direction and class, {@link #onlyAllows}: asked for every candidate pair, so an array, filled up front. */
    private final BitSet[][] onlyAllowed;

    NetworkPolicyTier(ClusterIndex index) {
        this.index = index;
        this.onlyAllowed = new BitSet[Direction.values().length][index.classes.size()];
        // classes selected by the same policies share their array of rules, and so this answer
        Map<CompiledRule[], BitSet> peersOfRules = new IdentityHashMap<>();
        for (Direction direction : Direction.values()) {
            for (int subject = 0; subject < index.classes.size(); subject++) {
                CompiledRule[] rules = index.rules(direction, subject);
                if (rules != null) {
                    onlyAllowed[direction.ordinal()][subject] = peersOfRules.computeIfAbsent(rules, key -> {
                        BitSet peers = new BitSet(index.classes.size());
                        for (CompiledRule rule : key) {
                            peers.or(rule.peerClasses);
                        }
                        return peers;
                    });
                }
            }
        }
    }

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

    private Decision computeDecision(Direction direction, CompiledRule[] rules, int subject, int peer,
            boolean external) {
        ConnectionTable table = index.table;
        int allowed = ConnectionTable.NONE;
        for (CompiledRule rule : rules) {
            if (admits(rule, peer, external)) {
                allowed = table.union(allowed, ports(direction, rule, subject, peer, external));
            }
        }
        Decision known = decisions.get(allowed);
        if (known == null) {
            known = new Decision(true, allowed, table.complement(allowed));
            decisions.put(allowed, known);
        }
        return known;
    }

    /** A governed subject is denied everything its rules do not allow: only their peers can matter. */
    @Override
    public BitSet onlyAllows(Direction direction, int subject) {
        return onlyAllowed[direction.ordinal()][subject];
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
        if (rules.length > Long.SIZE) {
            return null;
        }
        long admitting = 0;
        for (int r = 0; r < rules.length; r++) {
            if (admits(rules[r], peer, external)) {
                admitting |= 1L << r;
            }
        }
        int destinationPorts = direction == Direction.INGRESS ? index.classes.get(subject).namedPorts
                : external ? -1 : index.classes.get(peer).namedPorts;
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
