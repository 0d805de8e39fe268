package dev.phiguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code audit --hygiene} in the machine formats: phiguard lint's findings carried beside the
 * audit's, never among them. In JSON, lint's whole document under {@code hygiene}; in SARIF, a
 * second run, told apart from the audit's by its automation id (code scanning keeps one
 * category per run of a tool).
 */
public final class AuditHygiene {
    static final String AUDIT_RUN = "phiguard/audit/";
    static final String LINT_RUN = "phiguard/lint/";

    private AuditHygiene() {
    }

    /** The audit's JSON document with lint's under {@code hygiene}. */
    public static String json(AuditReport audit, LintReport lint) {
        ObjectNode document = new AuditJsonFormatter().tree(audit);
        document.set("hygiene", new LintJsonFormatter().tree(lint));
        return AuditJsonFormatter.write(document);
    }

    /** The audit's SARIF log with lint's run after the audit's. */
    public static String sarif(AuditReport audit, LintReport lint) {
        ObjectNode log = new AuditSarifFormatter().tree(audit);
        ArrayNode runs = (ArrayNode) log.get("runs");
        ((ObjectNode) runs.get(0)).putObject("automationDetails").put("id", AUDIT_RUN);
        ObjectNode lintRun = (ObjectNode) new LintSarifFormatter().tree(lint).get("runs").get(0);
        lintRun.putObject("automationDetails").put("id", LINT_RUN);
        runs.add(lintRun);
        return AuditJsonFormatter.write(log);
    }
}
