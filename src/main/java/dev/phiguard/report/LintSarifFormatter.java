package dev.phiguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.analysis.LintCheck;
import dev.phiguard.analysis.LintFinding;
import dev.phiguard.model.SourceRef;
import java.util.Optional;

/**
 * {@code phiguard lint -o sarif}: SARIF 2.1.0 with one rule per lint check and one result per
 * finding at its manifest line, paths relative to {@code %SRCROOT%} as the audit's SARIF has them.
 */
public final class LintSarifFormatter {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public String format(LintReport report) {
        return AuditJsonFormatter.write(tree(report));
    }

    /** The document, before it is written: what {@link AuditHygiene} puts beside another. */
    ObjectNode tree(LintReport report) {
        ObjectNode root = JSON.objectNode();
        root.put("$schema", AuditSarifFormatter.SCHEMA);
        root.put("version", AuditSarifFormatter.VERSION);
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "phiguard");
        driver.put("version", report.toolVersion());
        ArrayNode rules = driver.putArray("rules");
        for (LintCheck check : LintCheck.values()) {
            ObjectNode rule = rules.addObject();
            rule.put("id", check.id());
            rule.put("name", AuditSarifFormatter.pascalCase(check.slug()));
            rule.putObject("shortDescription").put("text", AuditSarifFormatter.sentence(check.title()));
            rule.putObject("fullDescription").put("text", AuditSarifFormatter.sentence(check.title()));
            rule.putObject("help").put("text", AuditSarifFormatter.sentence(check.title())
                    + " See phiguard lint --help and the README's lint section.");
            rule.putObject("defaultConfiguration").put("level", check.level().label());
            ArrayNode tags = rule.putObject("properties").putArray("tags");
            tags.add("kubernetes");
            tags.add("networkpolicy");
            tags.add("maintainability");
        }
        run.putArray("invocations").addObject().put("executionSuccessful", true);
        ArrayNode artifacts = run.putArray("artifacts");
        for (String input : report.inputs()) {
            ObjectNode artifact = artifacts.addObject();
            if (AuditSarifFormatter.isFile(input)) {
                artifact.set("location", AuditSarifFormatter.physicalLocation(SourceRef.of(input)).get("artifactLocation"));
            } else {
                artifact.putObject("description").put("text", input);
            }
            artifact.putArray("roles").add("analysisTarget");
        }
        Optional<String> fallback = report.inputs().stream().filter(AuditSarifFormatter::isFile).findFirst();
        ArrayNode results = run.putArray("results");
        for (LintFinding finding : report.result().findings()) {
            ObjectNode result = results.addObject();
            result.put("ruleId", finding.check().id());
            result.put("ruleIndex", finding.check().ordinal());
            result.put("level", finding.check().level().label());
            result.putObject("message").put("text", AuditSarifFormatter.sentence(finding.object() + ": "
                    + finding.message()));
            ObjectNode location = result.putArray("locations").addObject();
            if (AuditSarifFormatter.isFile(finding.source().file())) {
                location.set("physicalLocation", AuditSarifFormatter.physicalLocation(finding.source()));
            } else if (fallback.isPresent()) {
                location.set("physicalLocation", AuditSarifFormatter.physicalLocation(SourceRef.of(fallback.get())));
            }
            location.putArray("logicalLocations").addObject().put("fullyQualifiedName", finding.object());
        }
        run.put("columnKind", "unicodeCodePoints");
        return root;
    }
}
