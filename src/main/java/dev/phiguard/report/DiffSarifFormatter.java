package dev.phiguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.compliance.Finding;
import dev.phiguard.model.Severity;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The change as SARIF 2.1.0 holding only the findings it introduces, so that code scanning on a
 * pull request flags what the pull request adds and nothing that was there before. Everything
 * else follows {@link AuditSarifFormatter}: one rule per control, results at the manifest line of
 * the AFTER side, the finding id as the {@code phiguard/v1} partial fingerprint, the AFTER files
 * as artifacts. The run's properties say what was compared and what the change resolved.
 */
public final class DiffSarifFormatter implements DiffFormatter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String format(DiffReport report) {
        ChangeReport change = report.change();
        AuditReport introduced = new AuditReport(DiffReport.only(change.findings().after(),
                change.findings().appeared()), report.after().inputs(), report.profileSource(), report.toolVersion(),
                Optional.empty());
        ObjectNode root;
        try {
            root = (ObjectNode) MAPPER.readTree(new AuditSarifFormatter().format(introduced));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode run = (ObjectNode) root.get("runs").get(0);
        ObjectNode properties = MAPPER.createObjectNode();
        properties.put("kind", "diff");
        properties.put("before", report.before().label());
        properties.put("after", report.after().label());
        ObjectNode profile = properties.putObject("profile");
        profile.put("name", change.profile().name());
        profile.put("source", report.profileSource());
        properties.put("failOn", change.failOn().map(Severity::label).orElse("none"));
        properties.put("result", change.failed() ? "fail" : "pass");
        ArrayNode resolved = properties.putArray("resolvedFindings");
        for (Finding finding : change.findings().disappeared()) {
            resolved.add(finding.id());
        }
        ObjectNode connections = properties.putObject("connections");
        connections.put("added", change.connectivity().added().size());
        connections.put("removed", change.connectivity().removed().size());
        connections.put("changed", change.connectivity().changed().size());
        run.set("properties", properties);
        return AuditJsonFormatter.write(root);
    }
}
