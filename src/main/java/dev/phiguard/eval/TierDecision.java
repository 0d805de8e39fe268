package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import java.util.List;
import java.util.Map;

/**
 * What one policy tier decides for traffic of a subject in one direction: connections it
 * allows, connections it denies, and by elimination those it passes to the next tier. Each
 * allowing rule comes with the connections it contributes.
 *
 * @param isolating true when the tier applies to the subject at all (for NetworkPolicy: the
 *     subject is selected for that direction)
 */
record TierDecision(boolean isolating, ConnectionSet allowed, ConnectionSet denied,
        List<Map.Entry<RuleRef, ConnectionSet>> contributions) {

    static final TierDecision PASS = new TierDecision(false, ConnectionSet.NONE, ConnectionSet.NONE, List.of());

    TierDecision {
        if (allowed.intersects(denied)) {
            throw new IllegalArgumentException("A tier cannot both allow and deny " + allowed.intersect(denied));
        }
        contributions = List.copyOf(contributions);
    }
}
