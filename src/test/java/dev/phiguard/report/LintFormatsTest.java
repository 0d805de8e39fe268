package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.phiguard.analysis.LintCheck;
import dev.phiguard.analysis.Linter;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code phiguard lint} on examples/clinic in every format, against golden files; the SARIF against its schema. */
class LintFormatsTest {
    private static LintReport clinic;

    @BeforeAll
    static void lintClinic() {
        IngestResult ingested = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        assertThat(ingested.profiles()).as("examples/clinic carries one profile").hasSize(1);
        clinic = new LintReport(Linter.lint(ingested.cluster(), new Linter.Options(ingested.profiles().get(0).dns())),
                ingested.inputs().stream().map(IngestResult.Input::path).toList(), "test");
    }

    @Test
    void testTextMatchesGolden() {
        Golden.assertMatches("clinic/lint.txt", new LintTextFormatter().format(clinic));
    }

    @Test
    void testJsonMatchesGolden() {
        Golden.assertMatches("clinic/lint.json", new LintJsonFormatter().format(clinic));
    }

    @Test
    void testJsonFollowsItsSchema() throws IOException {
        try (InputStream in = LintJsonFormatter.class.getResourceAsStream("/schema/lint-v1.json")) {
            assertThat(in).as("the lint schema resource").isNotNull();
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            assertThat(schema.validate(new LintJsonFormatter().format(clinic), InputFormat.JSON)).isEmpty();
            // and the schema can fail: a finding with an unknown level
            String broken = new LintJsonFormatter().format(clinic).replaceFirst("\"level\": \"warning\"",
                    "\"level\": \"fatal\"");
            assertThat(schema.validate(broken, InputFormat.JSON)).isNotEmpty();
        }
    }

    @Test
    void testSarifMatchesGoldenAndFollowsTheSarifSchema() throws IOException {
        String sarif = new LintSarifFormatter().format(clinic);
        Golden.assertMatches("clinic/lint.sarif", sarif);
        try (InputStream in = LintFormatsTest.class.getResourceAsStream("/sarif/sarif-2.1.0.json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            assertThat(schema.validate(sarif, InputFormat.JSON)).isEmpty();
        }
        JsonNode run = new ObjectMapper().readTree(sarif).get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules")).hasSize(LintCheck.values().length);
        assertThat(run.get("results")).hasSize(clinic.result().findings().size());
        for (JsonNode result : run.get("results")) {
            int index = result.get("ruleIndex").asInt();
            assertThat(run.get("tool").get("driver").get("rules").get(index).get("id").asText())
                    .isEqualTo(result.get("ruleId").asText());
        }
    }

    @Test
    void testClinicFindsThePlantedSplitPeer() {
        // planted mistake 1: ehr-db-ingress splits one peer in two, so its podSelector alone looks in phi
        assertThat(clinic.result().findings()).anySatisfy(finding -> {
            assertThat(finding.check()).isEqualTo(LintCheck.PEER_SELECTS_NOTHING);
            assertThat(finding.object()).isEqualTo("NetworkPolicy phi/ehr-db-ingress");
        });
    }
}
