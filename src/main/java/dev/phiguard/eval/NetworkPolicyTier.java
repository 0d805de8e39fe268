package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The networking.k8s.io/v1 NetworkPolicy tier: a subject selected by at least one policy for a
 * direction is isolated, and then only the union of those policies' rules allows; everything
 * else is denied. A subject no policy selects passes.
 */
final class NetworkPolicyTier implements Tier {

    /** For each direction, for each class index: the rules that apply, or null when not isolated. */
    private final Map<Direction, List<List<CompiledRule>>> rulesByClass;

    NetworkPolicyTier(Map<Direction, List<List<CompiledRule>>> rulesByClass) {
        this.rulesByClass = new EnumMap<>(rulesByClass);
    }

    boolean isIsolated(Direction direction, EndpointClass subject) {
        return rulesByClass.get(direction).get(subject.index) != null;
    }

    List<CompiledRule> rules(Direction direction, EndpointClass subject) {
        List<CompiledRule> rules = rulesByClass.get(direction).get(subject.index);
        return rules == null ? List.of() : rules;
    }

    @Override
    public TierDecision decide(Direction direction, EndpointClass subject, Target peer) {
        List<CompiledRule> rules = rulesByClass.get(direction).get(subject.index);
        if (rules == null) {
            return TierDecision.PASS;
        }
        ConnectionSet allowed = ConnectionSet.NONE;
        List<Map.Entry<RuleRef, ConnectionSet>> contributions = new ArrayList<>();
        for (CompiledRule rule : rules) {
            ConnectionSet granted = granted(direction, subject, peer, rule);
            if (!granted.isEmpty()) {
                allowed = allowed.union(granted);
                contributions.add(new AbstractMap.SimpleImmutableEntry<>(rule.ref, granted));
            }
        }
        return new TierDecision(true, allowed, allowed.complement(), contributions);
    }

    private static ConnectionSet granted(Direction direction, EndpointClass subject, Target peer, CompiledRule rule) {
        if (peer instanceof Target.Pods pods) {
            if (!rule.peerClasses.get(pods.endpointClass().index)) {
                return ConnectionSet.NONE;
            }
            // named ports resolve on the destination: the subject for ingress, the peer for egress
            return rule.connectionsTo(direction == Direction.INGRESS ? subject : pods.endpointClass());
        }
        Target.Addresses addresses = (Target.Addresses) peer;
        if (!rule.peerAddresses.contains(addresses.range())) {
            return ConnectionSet.NONE;
        }
        return direction == Direction.INGRESS ? rule.connectionsTo(subject) : rule.connectionsToExternal();
    }
}
