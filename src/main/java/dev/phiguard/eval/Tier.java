package dev.phiguard.eval;

import dev.phiguard.model.Direction;

/**
 * One layer of policy, consulted in order: what a tier neither allows nor denies passes to the
 * next one, and what no tier decides is allowed. Kubernetes NetworkPolicy is one tier; admin
 * and baseline admin policies, and CNI-specific ones, are others.
 */
interface Tier {

    /**
     * Decides traffic of {@code subject} in {@code direction}: for ingress, traffic from
     * {@code peer} to the subject; for egress, traffic from the subject to {@code peer}.
     */
    TierDecision decide(Direction direction, EndpointClass subject, Target peer);
}
