package dev.phiguard.report;

import dev.phiguard.analysis.Explanation;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * An explanation for people: the verdict first, then each side with the policies that isolate
 * it and every rule: what it allows, or why it allows nothing here.
 */
public final class ExplanationTextFormatter {

    public String format(Explanation explanation) {
        StringBuilder out = new StringBuilder();
        out.append(verdict(explanation)).append("\n");
        side(out, explanation.egress(), explanation);
        side(out, explanation.ingress(), explanation);
        return out.toString();
    }

    static String verdict(Explanation explanation) {
        String pair = explanation.source() + " => " + explanation.destination();
        boolean any = explanation.asked().isAll();
        ConnectionSet allowed = explanation.allowed();
        String on = any ? "" : " on " + explanation.asked();
        if (allowed.isEmpty()) {
            return pair + on + ": denied by " + deniers(explanation);
        }
        if (any) {
            return pair + ": allowed " + allowed;
        }
        return pair + on + (explanation.fullyAllowed() ? ": allowed" : ": partly allowed, " + allowed
                + "; the rest denied by " + deniers(explanation));
    }

    /**
     * Which sides refuse part of what was asked: a side that refuses what the other side would
     * allow; when the two allow nothing in common, each side that refuses anything.
     */
    private static String deniers(Explanation explanation) {
        ConnectionSet asked = explanation.asked();
        ConnectionSet egress = explanation.egress().allowed();
        ConnectionSet ingress = explanation.ingress().allowed();
        List<String> sides = new ArrayList<>();
        if (!asked.intersect(ingress).minus(egress).isEmpty()) {
            sides.add("the egress of " + explanation.source());
        }
        if (!asked.intersect(egress).minus(ingress).isEmpty()) {
            sides.add("the ingress of " + explanation.destination());
        }
        if (sides.isEmpty()) {
            if (!egress.containsAll(asked)) {
                sides.add("the egress of " + explanation.source());
            }
            if (!ingress.containsAll(asked)) {
                sides.add("the ingress of " + explanation.destination());
            }
        }
        return String.join(" and ", sides);
    }

    private static void side(StringBuilder out, Explanation.Side side, Explanation explanation) {
        String title = (side.direction() == Direction.EGRESS ? "Egress of " : "Ingress of ") + side.subject();
        out.append('\n').append(title).append(": ");
        switch (side.isolation()) {
            case OUTSIDE_CLUSTER -> {
                out.append("outside the cluster; no policy governs it\n");
                return;
            }
            case NOT_ISOLATED -> {
                out.append("allows everything; no NetworkPolicy selects it for ")
                        .append(side.direction() == Direction.EGRESS ? "egress" : "ingress").append('\n');
                return;
            }
            case ISOLATED -> {
                ConnectionSet allowed = side.allowed().intersect(explanation.asked());
                out.append(allowed.isEmpty() ? "denies" : "allows " + allowed).append('\n');
            }
            default -> throw new IllegalStateException(side.isolation().toString());
        }
        out.append("  isolated by ");
        List<String> policies = new ArrayList<>();
        for (NetworkPolicy policy : side.isolatingPolicies()) {
            policies.add(policy.namespacedName() + " (" + policy.source() + ")");
        }
        out.append(String.join(", ", policies)).append('\n');
        String other = side.direction() == Direction.EGRESS ? explanation.destination().toString()
                : explanation.source().toString();
        if (side.rules().isEmpty()) {
            out.append("  no rule: these policies allow nothing in this direction\n");
        }
        for (Explanation.RuleMatch rule : side.rules()) {
            out.append(rule.outcome() == Explanation.Outcome.GRANTS ? "  + " : "  - ")
                    .append(rule.rule()).append(" (").append(rule.rule().ruleSource()).append("): ")
                    .append(describe(rule, other)).append('\n');
        }
    }

    static String describe(Explanation.RuleMatch rule, String other) {
        String peer = rule.matchingPeer().map(p -> " by " + p).orElse(" (it admits every peer)");
        String ports = rule.ports().isEmpty() ? "its ports mean nothing towards this destination"
                : "it allows " + rule.ports();
        return switch (rule.outcome()) {
            case GRANTS -> "allows " + rule.granted() + "; admits " + other + peer;
            case PEER_ONLY -> "admits " + other + peer + ", but not on these ports (" + ports + ")";
            case PORTS_ONLY -> "covers the ports (" + rule.ports() + "), but does not admit " + other;
            case NEITHER -> "admits neither " + other + " nor these ports (" + ports + ")";
        };
    }
}
