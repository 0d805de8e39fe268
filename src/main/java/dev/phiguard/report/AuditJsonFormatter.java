package dev.phiguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadId;
import java.util.Map;

/**
 * The audit as JSON, following {@code schema/audit-v1.json}: the verdict, every control with
 * its status, citations and evidence, and every finding with its proof and fix. Finding ids are
 * stable: the same input gives the same ids.
 */
public final class AuditJsonFormatter implements AuditFormatter {
    public static final String SCHEMA_VERSION = "phiguard.dev/audit/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String format(AuditReport report) {
        return ConnectivityJsonFormatter.write(tree(report));
    }

    @Override
    public void write(AuditReport report, java.io.Writer out) throws java.io.IOException {
        ConnectivityJsonFormatter.write(tree(report), out);
    }

    /** The document, before it is written: what {@link AuditHygiene} puts beside another. */
    ObjectNode tree(AuditReport report) {
        AuditResult result = report.result();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA_VERSION);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", "phiguard");
        tool.put("version", report.toolVersion());
        report.date().ifPresent(date -> root.put("date", date));
        ObjectNode profile = root.putObject("profile");
        profile.put("name", result.profile().name());
        profile.put("source", report.profileSource());
        root.put("failOn", result.failOn().map(Severity::label).orElse("none"));
        root.put("result", result.failed() ? "fail" : "pass");
        ObjectNode summary = root.putObject("summary");
        ObjectNode bySeverity = summary.putObject("findings");
        result.countBySeverity().forEach((severity, count) -> bySeverity.put(severity.label(), count));
        ObjectNode byStatus = summary.putObject("controls");
        byStatus.put("pass", result.count(ControlResult.Status.PASS));
        byStatus.put("fail", result.count(ControlResult.Status.FAIL));
        byStatus.put("notAssessed", result.count(ControlResult.Status.NOT_ASSESSED));
        ObjectNode scope = root.putObject("scope");
        scope.put("namespaces", result.scope().namespaces());
        scope.put("workloads", result.scope().workloads());
        scope.put("networkPolicies", result.scope().policies());
        scope.put("phiNamespaces", result.scope().phiNamespaces());
        scope.put("phiWorkloads", result.scope().phiWorkloads());
        ArrayNode inputs = root.putArray("inputs");
        report.inputs().forEach(input -> {
            ObjectNode item = inputs.addObject();
            item.put("path", input.path());
            item.put("sha256", input.sha256());
        });
        ArrayNode phi = root.putArray("phiWorkloads");
        for (Map.Entry<WorkloadId, String> entry : result.phiWorkloads().entrySet()) {
            ObjectNode item = phi.addObject();
            item.put("id", entry.getKey().toString());
            item.put("reason", entry.getValue());
        }
        ArrayNode controls = root.putArray("controls");
        for (ControlResult control : result.controls()) {
            ObjectNode item = control(control.control());
            item.put("status", control.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            if (!control.reason().isEmpty()) {
                item.put("reason", control.reason());
            }
            ArrayNode evidence = item.putArray("evidence");
            control.evidence().forEach(evidence::add);
            ArrayNode ids = item.putArray("findings");
            control.findings().forEach(finding -> ids.add(finding.id()));
            controls.add(item);
        }
        ArrayNode findings = root.putArray("findings");
        NetworkPolicyYaml.Rendered rendered = new NetworkPolicyYaml.Rendered();
        for (Finding finding : result.findings()) {
            findings.add(finding(finding, rendered));
        }
        return root;
    }

    /** A control's catalogue entry as JSON. */
    public static ObjectNode controlJson(ControlInfo info) {
        return control(info);
    }

    /** Pretty-prints JSON as every phiguard format does. */
    public static String write(ObjectNode root) {
        return ConnectivityJsonFormatter.write(root);
    }

    static ObjectNode control(ControlInfo info) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", info.id());
        item.put("name", info.name());
        item.put("title", info.title());
        item.put("severity", info.severity().label());
        item.put("needsCluster", info.needsCluster());
        ArrayNode citations = item.putArray("citations");
        for (Citation citation : info.citations()) {
            ObjectNode cite = citations.addObject();
            cite.put("framework", citation.framework().displayName());
            cite.put("reference", citation.reference());
            cite.put("title", citation.title());
        }
        item.put("rationale", info.rationale());
        return item;
    }

    private static ObjectNode finding(Finding finding, NetworkPolicyYaml.Rendered rendered) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", finding.id());
        item.put("control", finding.controlId());
        item.put("severity", finding.severity().label());
        item.put("namespace", finding.namespace());
        item.put("message", finding.message());
        item.set("location", ConnectivityJsonFormatter.location(finding.location()));
        ArrayNode workloads = item.putArray("workloads");
        finding.workloads().forEach(id -> workloads.add(id.toString()));
        ArrayNode connections = item.putArray("connections");
        for (Connection connection : finding.connections()) {
            ObjectNode evidence = connections.addObject();
            evidence.put("source", connection.source().toString());
            evidence.put("destination", connection.destination().toString());
            ConnectivityJsonFormatter.connections(evidence, connection.connections());
        }
        ArrayNode rules = item.putArray("rules");
        for (RuleRef rule : finding.rules()) {
            ObjectNode ref = rules.addObject();
            ref.put("policy", rule.policyName());
            ref.put("rule", (rule.direction() == dev.phiguard.model.Direction.INGRESS ? "ingress[" : "egress[")
                    + rule.index() + "]");
            ref.set("location", ConnectivityJsonFormatter.location(rule.ruleSource()));
        }
        ObjectNode remediation = item.putObject("remediation");
        remediation.put("text", finding.remediation().text());
        rendered.addTo(remediation.putArray("policies"), finding.remediation().policies());
        return item;
    }
}
