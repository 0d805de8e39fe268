package dev.phiguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.analysis.LintCheck;
import dev.phiguard.analysis.LintFinding;
import dev.phiguard.analysis.LintResult;
import dev.phiguard.analysis.Redundancy;

/** {@code phiguard lint -o json}: findings, redundancy with what covers it, and the sprawl figures. */
public final class LintJsonFormatter {
    public static final String SCHEMA_VERSION = "phiguard.dev/lint/v1";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public String format(LintReport report) {
        return AuditJsonFormatter.write(tree(report));
    }

    /** The document, before it is written: what {@link AuditHygiene} puts beside another. */
    ObjectNode tree(LintReport report) {
        LintResult result = report.result();
        ObjectNode root = JSON.objectNode();
        root.put("schema", SCHEMA_VERSION);
        root.put("toolVersion", report.toolVersion());
        ArrayNode inputs = root.putArray("inputs");
        report.inputs().forEach(inputs::add);
        ObjectNode summary = root.putObject("summary");
        for (LintCheck.Level level : LintCheck.Level.values()) {
            summary.put(level.label(), result.count(level));
        }
        ArrayNode findings = root.putArray("findings");
        for (LintFinding finding : result.findings()) {
            ObjectNode item = findings.addObject();
            item.put("check", finding.check().id());
            item.put("name", finding.check().slug());
            item.put("level", finding.check().level().label());
            item.put("object", finding.object());
            source(item, finding.source());
            item.put("message", finding.message());
        }
        ObjectNode redundancy = root.putObject("redundancy");
        ArrayNode rules = redundancy.putArray("rules");
        for (Redundancy.RedundantRule rule : result.redundancy().rules()) {
            ObjectNode item = rules.addObject();
            item.put("policy", rule.rule().policyName());
            item.put("rule", rule.rule().toString().substring(rule.rule().policyName().length() + 1));
            source(item, rule.rule().ruleSource());
            item.put("reason", rule.reason().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode covered = item.putArray("coveredBy");
            rule.coveredBy().forEach(covered::add);
        }
        ArrayNode policies = redundancy.putArray("policies");
        for (Redundancy.RedundantPolicy policy : result.redundancy().policies()) {
            ObjectNode item = policies.addObject();
            item.put("policy", policy.policy());
            source(item, policy.source());
            item.put("reason", policy.reason().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode covered = item.putArray("coveredBy");
            policy.coveredBy().forEach(covered::add);
        }
        ArrayNode relations = redundancy.putArray("relations");
        for (Redundancy.PolicyRelation relation : result.redundancy().relations()) {
            ObjectNode item = relations.addObject();
            item.put("policy", relation.first());
            item.put(relation.equivalent() ? "equivalentTo" : "contains", relation.second());
        }
        LintResult.Sprawl sprawl = result.sprawl();
        ObjectNode figures = root.putObject("sprawl");
        figures.put("policies", sprawl.policies());
        figures.put("rules", sprawl.rules());
        figures.put("redundantRules", sprawl.redundantRules());
        figures.put("redundantPolicies", sprawl.redundantPolicies());
        figures.put("overlappingPolicyPairs", sprawl.overlappingPairs());
        figures.put("containedPolicies", sprawl.containedPolicies());
        ObjectNode perPolicy = figures.putObject("workloadsPerPolicy");
        perPolicy.put("min", sprawl.workloadsPerPolicy()[0]);
        perPolicy.put("median", sprawl.workloadsPerPolicy()[1]);
        perPolicy.put("max", sprawl.workloadsPerPolicy()[2]);
        ArrayNode namespaces = figures.putArray("namespaces");
        for (LintResult.NamespaceFigures row : sprawl.namespaces()) {
            ObjectNode item = namespaces.addObject();
            item.put("namespace", row.namespace());
            item.put("workloads", row.workloads());
            item.put("policies", row.policies());
            item.put("rules", row.rules());
            item.put("redundantRules", row.redundantRules());
            item.put("redundantPolicies", row.redundantPolicies());
        }
        return root;
    }

    private static void source(ObjectNode item, dev.phiguard.model.SourceRef source) {
        if (!source.file().isEmpty()) {
            ObjectNode where = item.putObject("source");
            where.put("file", source.file());
            if (source.hasLine()) {
                where.put("line", source.line());
                where.put("column", source.column());
            }
        }
    }
}
