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

    /**
     * Orders by the printed policy name, then direction and index, without building the names:
     * evidence is sorted for every pair of a large cluster.
     */
    @Override
    public int compareTo(RuleRef other) {
        int byPolicy = namespace.equals(other.namespace) ? policy.compareTo(other.policy)
                : comparePrinted(other);
        if (byPolicy != 0) {
            return byPolicy;
        }
        int byDirection = direction.compareTo(other.direction);
        return byDirection != 0 ? byDirection : Integer.compare(index, other.index);
    }

    /** As {@code policyName().compareTo(other.policyName())}. */
    private int comparePrinted(RuleRef other) {
        int length = namespace.length() + 1 + policy.length();
        int otherLength = other.namespace.length() + 1 + other.policy.length();
        for (int i = 0, n = Math.min(length, otherLength); i < n; i++) {
            char mine = printedCharAt(i);
            char theirs = other.printedCharAt(i);
            if (mine != theirs) {
                return mine - theirs;
            }
        }
        return length - otherLength;
    }

    private char printedCharAt(int index) {
        if (index < namespace.length()) {
            return namespace.charAt(index);
        }
        return index == namespace.length() ? '/' : policy.charAt(index - namespace.length() - 1);
    }

    /** {@code namespace/name ingress[0]}. */
    @Override
    public String toString() {
        return policyName() + " " + (direction == Direction.INGRESS ? "ingress[" : "egress[") + index + "]";
    }
}
