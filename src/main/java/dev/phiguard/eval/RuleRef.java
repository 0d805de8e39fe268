package dev.phiguard.eval;

import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.SourceRef;
import java.util.Objects;

/** Names one rule of one policy, with where each was written. */
public record RuleRef(String namespace, String policy, Direction direction, int index, SourceRef policySource,
        SourceRef ruleSource) implements Comparable<RuleRef> {

    public RuleRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(policySource, "policySource");
        Objects.requireNonNull(ruleSource, "ruleSource");
    }

    public static RuleRef of(NetworkPolicy policy, PolicyRule rule) {
        return new RuleRef(policy.namespace(), policy.name(), rule.direction(), rule.index(), policy.source(),
                rule.source());
    }

    /** {@code namespace/name}. */
    public String policyName() {
        return namespace + "/" + policy;
    }

    @Override
    public int compareTo(RuleRef other) {
        int byPolicy = policyName().compareTo(other.policyName());
        if (byPolicy != 0) {
            return byPolicy;
        }
        int byDirection = direction.compareTo(other.direction);
        return byDirection != 0 ? byDirection : Integer.compare(index, other.index);
    }

    /** {@code namespace/name ingress[0]}. */
    @Override
    public String toString() {
        return policyName() + " " + (direction == Direction.INGRESS ? "ingress[" : "egress[") + index + "]";
    }
}
