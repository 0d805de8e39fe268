package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.phiguard.compliance.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SARIF of a change: valid SARIF 2.1.0 holding the findings the change introduces, and only those. */
class DiffSarifFormatterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = DiffSarifFormatterTest.class.getResourceAsStream("/sarif/sarif-2.1.0.json")) {
            assertThat(in).as("the SARIF schema resource").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private static List<String> fingerprints(JsonNode sarif) {
        List<String> ids = new ArrayList<>();
        sarif.get("runs").get(0).get("results").forEach(result -> ids.add(
                result.get("partialFingerprints").get(AuditSarifFormatter.FINGERPRINT).asText()));
        return ids;
    }

    @Test
    void testSarifFollowsTheSarifSchema() {
        for (DiffReport report : new DiffReport[] {DiffScenarios.fixesUndone(), DiffScenarios.fixesApplied()}) {
            assertThat(schema.validate(new DiffSarifFormatter().format(report), InputFormat.JSON)).isEmpty();
        }
    }

    @Test
    void testSarifHoldsOnlyTheNewFindings() throws IOException {
        DiffReport undone = DiffScenarios.fixesUndone();
        JsonNode sarif = MAPPER.readTree(new DiffSarifFormatter().format(undone));
        List<String> appeared = undone.change().findings().appeared().stream().map(Finding::id).toList();
        assertThat(appeared).hasSize(7);
        assertThat(fingerprints(sarif)).isEqualTo(appeared);
        List<String> remaining = undone.change().findings().remaining().stream().map(Finding::id).toList();
        assertThat(remaining).hasSize(1);
        assertThat(fingerprints(sarif)).doesNotContainAnyElementsOf(remaining);
        JsonNode first = sarif.get("runs").get(0).get("results").get(0);
        assertThat(first.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
                .startsWith("examples/clinic/");

        JsonNode applied = MAPPER.readTree(new DiffSarifFormatter().format(DiffScenarios.fixesApplied()));
        assertThat(applied.get("runs").get(0).get("results")).as("a change that only resolves flags nothing").isEmpty();
        assertThat(applied.get("runs").get(0).get("properties").get("resolvedFindings")).hasSize(7);
    }

    @Test
    void testRunPropertiesDescribeTheChange() throws IOException {
        JsonNode run = MAPPER.readTree(new DiffSarifFormatter().format(DiffScenarios.fixesUndone())).get("runs").get(0);
        JsonNode properties = run.get("properties");
        assertThat(properties.get("kind").asText()).isEqualTo("diff");
        assertThat(properties.get("before").asText()).isEqualTo("examples/clinic + " + DiffScenarios.FIXES);
        assertThat(properties.get("after").asText()).isEqualTo("examples/clinic");
        assertThat(properties.get("result").asText()).isEqualTo("fail");
        assertThat(properties.get("connections").get("added").asInt()).isEqualTo(13);
        assertThat(run.get("tool").get("driver").get("rules")).as("the whole catalogue, as in the audit's SARIF")
                .hasSize(13);
    }

    @Test
    void testSarifMatchesGolden() {
        Golden.assertMatches("diff/clinic-fixes-undone.sarif", new DiffSarifFormatter()
                .format(DiffScenarios.fixesUndone()));
    }
}
