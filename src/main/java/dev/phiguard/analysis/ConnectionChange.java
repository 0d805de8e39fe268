package dev.phiguard.analysis;

import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Peer;
import java.util.List;
import java.util.Objects;

/**
 * What a change does to one ordered pair of peers: the connections allowed before and after,
 * and the policy rules (of either side) that allowed them.
 *
 * @param beforeRules the rules that allowed {@code before}, sorted; empty when a side was not isolated
 * @param afterRules the rules that allow {@code after}, sorted
 */
public record ConnectionChange(Peer source, Peer destination, ConnectionSet before, ConnectionSet after,
        List<RuleRef> beforeRules, List<RuleRef> afterRules) {

    /** Whether the pair starts to connect, stops, or connects on other ports. */
    public enum Kind {
        /** The pair could not connect at all before. */
        ADDED,
        /** The pair cannot connect at all after. */
        REMOVED,
        /** The pair connects before and after, on different connections. */
        CHANGED
    }

    public ConnectionChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        beforeRules = List.copyOf(beforeRules);
        afterRules = List.copyOf(afterRules);
        if (before.equals(after)) {
            throw new IllegalArgumentException("Not a change: " + source + " => " + destination + " : " + before);
        }
    }

    public Kind kind() {
        if (before.isEmpty()) {
            return Kind.ADDED;
        }
        return after.isEmpty() ? Kind.REMOVED : Kind.CHANGED;
    }

    /** The connections allowed after and not before. */
    public ConnectionSet gained() {
        return after.minus(before);
    }

    /** The connections allowed before and not after. */
    public ConnectionSet lost() {
        return before.minus(after);
    }

    /** The same pair seen from the other side of the change: before and after swapped. */
    public ConnectionChange reversed() {
        return new ConnectionChange(source, destination, after, before, afterRules, beforeRules);
    }

    /** {@code src => dst : before -> after}, with {@code No Connections} for a side that allows none. */
    @Override
    public String toString() {
        return source + " => " + destination + " : " + before + " -> " + after;
    }
}
