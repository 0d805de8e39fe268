package dev.phiguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.analysis.Explanation;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import java.util.Locale;

/** An explanation as JSON: the verdict, and for each side its isolation and every rule's outcome. */
public final class ExplanationJsonFormatter {
    public static final String SCHEMA_VERSION = "phiguard.dev/explain/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String format(Explanation explanation) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA_VERSION);
        root.set("source", ConnectivityJsonFormatter.peer(explanation.source()));
        root.set("destination", ConnectivityJsonFormatter.peer(explanation.destination()));
        ObjectNode asked = root.putObject("asked");
        ConnectivityJsonFormatter.connections(asked, explanation.asked());
        root.put("verdict", explanation.allowed().isEmpty() ? "denied"
                : explanation.fullyAllowed() ? "allowed" : "partly-allowed");
        ObjectNode allowed = root.putObject("allowed");
        ConnectivityJsonFormatter.connections(allowed, explanation.allowed());
        root.put("summary", ExplanationTextFormatter.verdict(explanation));
        root.set("egress", side(explanation.egress()));
        root.set("ingress", side(explanation.ingress()));
        return ConnectivityJsonFormatter.write(root);
    }

    private static ObjectNode side(Explanation.Side side) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("direction", side.direction() == Direction.EGRESS ? "egress" : "ingress");
        node.put("subject", side.subject().toString());
        node.put("isolation", side.isolation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        ObjectNode allowed = node.putObject("allowed");
        ConnectivityJsonFormatter.connections(allowed, side.allowed());
        ArrayNode policies = node.putArray("isolatingPolicies");
        for (NetworkPolicy policy : side.isolatingPolicies()) {
            ObjectNode item = policies.addObject();
            item.put("policy", policy.namespacedName());
            item.set("location", ConnectivityJsonFormatter.location(policy.source()));
        }
        ArrayNode rules = node.putArray("rules");
        for (Explanation.RuleMatch match : side.rules()) {
            ObjectNode item = rules.addObject();
            item.put("policy", match.rule().policyName());
            item.put("rule", (match.rule().direction() == Direction.INGRESS ? "ingress[" : "egress[")
                    + match.rule().index() + "]");
            item.set("location", ConnectivityJsonFormatter.location(match.rule().ruleSource()));
            item.put("outcome", match.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            match.matchingPeer().ifPresent(peer -> item.put("matchingPeer", peer.toString()));
            item.put("ports", match.ports().toString());
            item.put("granted", match.granted().toString());
        }
        return node;
    }
}
