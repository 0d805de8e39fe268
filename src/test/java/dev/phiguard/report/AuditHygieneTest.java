package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.phiguard.analysis.Linter;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code audit --hygiene} in JSON and SARIF: lint's findings beside the audit's, each document still valid. */
class AuditHygieneTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static AuditReport audit;
    private static LintReport lint;

    @BeforeAll
    static void clinic() {
        IngestResult in = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        Profile profile = in.profiles().get(0);
        AuditResult result = Auditor.audit(in.cluster(), profile);
        audit = new AuditReport(result, in.inputs().stream().map(i -> new AuditReport.Input(i.path(), i.sha256()))
                .toList(), profile.source().file(), "test", Optional.empty());
        lint = new LintReport(Linter.lint(in.cluster(), new Linter.Options(profile.dns())),
                in.inputs().stream().map(IngestResult.Input::path).toList(), "test");
    }

    private static Schema schema(String resource) throws IOException {
        try (InputStream in = AuditHygieneTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void testJsonCarriesLintsDocumentUnderHygieneAndKeepsTheAuditsCounts() throws IOException {
        String plain = new AuditJsonFormatter().format(audit);
        String json = AuditHygiene.json(audit, lint);
        assertThat(schema("/schema/audit-v1.json").validate(json, InputFormat.JSON)).isEmpty();
        JsonNode document = MAPPER.readTree(json);
        assertThat(document.get("hygiene")).isEqualTo(MAPPER.readTree(new LintJsonFormatter().format(lint)));
        assertThat(schema("/schema/lint-v1.json").validate(document.get("hygiene").toString(), InputFormat.JSON))
                .isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) document).remove("hygiene");
        assertThat(document).as("the audit's own document is untouched").isEqualTo(MAPPER.readTree(plain));
    }

    @Test
    void testSarifHasLintAsASecondRunOfItsOwnCategory() throws IOException {
        String sarif = AuditHygiene.sarif(audit, lint);
        assertThat(schema("/sarif/sarif-2.1.0.json").validate(sarif, InputFormat.JSON)).isEmpty();
        JsonNode runs = MAPPER.readTree(sarif).get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).at("/automationDetails/id").asText()).isEqualTo("phiguard/audit/");
        assertThat(runs.get(1).at("/automationDetails/id").asText()).isEqualTo("phiguard/lint/");
        assertThat(runs.get(0).get("results")).hasSize(audit.result().findings().size());
        assertThat(runs.get(1).get("results")).hasSize(lint.result().findings().size()).isNotEmpty();
        assertThat(runs.get(1).get("results").get(0).get("ruleId").asText()).startsWith("PL");
    }
}
