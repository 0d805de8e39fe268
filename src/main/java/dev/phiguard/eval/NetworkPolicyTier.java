package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final Map<Integer, Decision> decisions = new HashMap<>();

    NetworkPolicyTier(ClusterIndex index) {
        this.index = index;
    }

    @Override
    public Decision decide(Direction direction, int subject, int peer, boolean external) {
        CompiledRule[] rules = index.rules(direction, subject);
        if (rules == null) {
            return Decision.PASS;
        }
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
