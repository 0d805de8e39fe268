package dev.phiguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code audit --hygiene} in the machine formats: phiguard lint's findings carried beside the
 * audit's, never among them. In JSON, lint's whole document under {@code hygiene}; in SARIF, a
 * second run, told apart from the audit's by its automation id (code scanning keeps one
 * category per run of a tool).
 */
public final class AuditHygiene {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String AUDIT_RUN = "phiguard/audit/";
    static final String LINT_RUN = "phiguard/lint/";

    private AuditHygiene() {
    }

    /** The audit's JSON document with lint's under {@code hygiene}. */
    public static String json(String auditJson, LintReport lint) {
        ObjectNode audit = read(auditJson);
        audit.set("hygiene", read(new LintJsonFormatter().format(lint)));
        return AuditJsonFormatter.write(audit);
    }

    /** The audit's SARIF log with lint's run after the audit's. */
    public static String sarif(String auditSarif, LintReport lint) {
        ObjectNode audit = read(auditSarif);
        ArrayNode runs = (ArrayNode) audit.get("runs");
        ((ObjectNode) runs.get(0)).putObject("automationDetails").put("id", AUDIT_RUN);
        ObjectNode lintRun = (ObjectNode) read(new LintSarifFormatter().format(lint)).get("runs").get(0);
        lintRun.putObject("automationDetails").put("id", LINT_RUN);
        runs.add(lintRun);
        return AuditJsonFormatter.write(audit);
    }

    private static ObjectNode read(String document) {
        try {
            return (ObjectNode) MAPPER.readTree(document);
        } catch (JsonProcessingException e) {
            // both documents come from this package's formatters: not reading them back is a defect
            throw new IllegalStateException("a formatter wrote JSON that does not parse", e);
        }
    }
}
