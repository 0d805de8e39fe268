package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import java.util.List;
import java.util.Map;

/**
 * One layer of policy, consulted in order: what a tier neither allows nor denies passes to the
 * next one, and what no tier decides is allowed. Kubernetes NetworkPolicy is one tier; admin
 * and baseline admin policies, and CNI-specific ones, are others. Decisions are over endpoint
 * classes and address ranges of one {@link ClusterIndex}, with connection sets as ids of its
 * {@link ConnectionTable}.
 */
interface Tier {

    /**
     * What a tier decides for one side of traffic.
     *
     * @param governs true when the tier applies to the subject at all (for NetworkPolicy: a
     *     policy selects it for the direction)
     * @param allowed the connections it allows, as a table id
     * @param denied the connections it denies, as a table id; the rest passes
     */
    record Decision(boolean governs, int allowed, int denied) {
        static final Decision PASS = new Decision(false, ConnectionTable.NONE, ConnectionTable.NONE);
    }

    /**
     * Decides traffic of class {@code subject} in {@code direction} with {@code peer}: a class,
     * or, when {@code external}, an index into the analysis's address ranges of that direction.
     */
    Decision decide(Direction direction, int subject, int peer, boolean external);

    /**
     * A value equal for two calls exactly when {@link #decide} and {@link #reasons} answer them
     * alike, so that evidence can be shared; null when the tier cannot tell cheaply.
     */
    default Object evidenceKey(Direction direction, int subject, int peer, boolean external) {
        return null;
    }

    /** The rules of this tier that allow part of that traffic, each with what it allows: the evidence. */
    List<Map.Entry<RuleRef, ConnectionSet>> reasons(Direction direction, int subject, int peer, boolean external);
}
