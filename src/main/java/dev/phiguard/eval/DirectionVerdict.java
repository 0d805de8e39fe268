package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import java.util.List;
import java.util.Objects;

/**
 * What one side of a connection decided: whether policies isolate that side in that direction,
 * which connections it allows, and the rules that allow them. A side outside the cluster decides
 * nothing and allows everything.
 */
public record DirectionVerdict(Isolation isolation, ConnectionSet allowed, List<RuleRef> allowedBy) {

    public DirectionVerdict {
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(allowed, "allowed");
        allowedBy = List.copyOf(allowedBy);
    }

    public static final DirectionVerdict OUTSIDE = new DirectionVerdict(Isolation.OUTSIDE_CLUSTER, ConnectionSet.ALL,
            List.of());
    public static final DirectionVerdict OPEN = new DirectionVerdict(Isolation.NOT_ISOLATED, ConnectionSet.ALL,
            List.of());

    /** Whether NetworkPolicy constrains this side. */
    public enum Isolation {
        /** At least one policy selects the workload for this direction: only its rules allow. */
        ISOLATED,
        /** No policy selects the workload for this direction: everything is allowed. */
        NOT_ISOLATED,
        /** This side is an address outside the cluster, which no policy governs. */
        OUTSIDE_CLUSTER
    }
}
