package dev.phiguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.analysis.ConnectionChange;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Severity;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The change as JSON, following {@code schema/diff-v1.json} (documented in docs/diff-json.md):
 * the verdict and counts, the new and resolved findings in the shape of {@code audit -o json},
 * and every pair whose connections the change adds, removes or alters, with the ports before,
 * after, gained and lost and the rules that allow them on each side of the change.
 */
public final class DiffJsonFormatter implements DiffFormatter {
    public static final String SCHEMA_VERSION = "phiguard.dev/diff/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String format(DiffReport report) {
        ChangeReport change = report.change();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA_VERSION);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", "phiguard");
        tool.put("version", report.toolVersion());
        root.set("before", side(report.before()));
        root.set("after", side(report.after()));
        ObjectNode profile = root.putObject("profile");
        profile.put("name", change.profile().name());
        profile.put("source", report.profileSource());
        root.put("failOn", change.failOn().map(Severity::label).orElse("none"));
        root.put("result", change.failed() ? "fail" : "pass");

        ObjectNode summary = root.putObject("summary");
        ObjectNode findingCounts = summary.putObject("findings");
        findingCounts.put("new", change.findings().appeared().size());
        findingCounts.put("failing", change.findings().failing().size());
        findingCounts.put("resolved", change.findings().disappeared().size());
        findingCounts.put("remaining", change.findings().remaining().size());
        ObjectNode connectionCounts = summary.putObject("connections");
        connectionCounts.put("added", change.connectivity().added().size());
        connectionCounts.put("removed", change.connectivity().removed().size());
        connectionCounts.put("changed", change.connectivity().changed().size());

        ObjectNode findings = root.putObject("findings");
        findings.set("new", findings(change.findings().after(), change.findings().appeared()));
        findings.set("resolved", findings(change.findings().before(), change.findings().disappeared()));

        ObjectNode connections = root.putObject("connections");
        connections.set("added", changes(change.connectivity().added()));
        connections.set("removed", changes(change.connectivity().removed()));
        connections.set("changed", changes(change.connectivity().changed()));
        return ConnectivityJsonFormatter.write(root);
    }

    private static ObjectNode side(DiffReport.Side side) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("label", side.label());
        ArrayNode inputs = node.putArray("inputs");
        side.inputs().forEach(input -> {
            ObjectNode item = inputs.addObject();
            item.put("path", input.path());
            item.put("sha256", input.sha256());
        });
        return node;
    }

    /** The findings exactly as {@code audit -o json} writes them, so one reader serves both. */
    private static ArrayNode findings(AuditResult audit, List<Finding> findings) {
        if (findings.isEmpty()) {
            return MAPPER.createArrayNode();
        }
        AuditReport part = new AuditReport(DiffReport.only(audit, findings), List.of(), "", "", Optional.empty());
        try {
            return (ArrayNode) MAPPER.readTree(new AuditJsonFormatter().format(part)).get("findings");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArrayNode changes(List<ConnectionChange> changes) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ConnectionChange change : changes) {
            ObjectNode node = array.addObject();
            node.set("source", ConnectivityJsonFormatter.peer(change.source()));
            node.set("destination", ConnectivityJsonFormatter.peer(change.destination()));
            node.set("before", connections(change.before()));
            node.set("after", connections(change.after()));
            node.set("gained", connections(change.gained()));
            node.set("lost", connections(change.lost()));
            node.set("beforeAllowedBy", rules(change.beforeRules()));
            node.set("afterAllowedBy", rules(change.afterRules()));
        }
        return array;
    }

    private static ObjectNode connections(ConnectionSet connections) {
        ObjectNode node = MAPPER.createObjectNode();
        ConnectivityJsonFormatter.connections(node, connections);
        return node;
    }

    private static ArrayNode rules(List<RuleRef> rules) {
        ArrayNode array = MAPPER.createArrayNode();
        for (RuleRef rule : rules) {
            ObjectNode item = array.addObject();
            item.put("policy", rule.policyName());
            item.put("namespace", rule.namespace());
            item.put("name", rule.policy());
            item.put("rule", (rule.direction() == Direction.INGRESS ? "ingress[" : "egress[") + rule.index() + "]");
            item.set("location", ConnectivityJsonFormatter.location(rule.ruleSource()));
        }
        return array;
    }
}
