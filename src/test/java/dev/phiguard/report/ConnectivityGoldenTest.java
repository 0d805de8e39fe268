package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every connectivity format on examples/clinic, against reference files. */
class ConnectivityGoldenTest {
    private static ConnectivityMap clinic;

    @BeforeAll
    static void analyseClinic() {
        IngestResult result = ManifestReader.read(List.of("examples/clinic"), new ByteArrayInputStream(new byte[0]));
        assertThat(result.diagnostics()).as("examples/clinic must be free of diagnostics").isEmpty();
        clinic = ConnectivityAnalyzer.analyze(result.cluster());
    }

    @Test
    void testTxtMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.txt", new ConnectivityTxtFormatter().format(clinic));
    }

    @Test
    void testJsonMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.json", new ConnectivityJsonFormatter().format(clinic));
    }

    @Test
    void testCsvMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.csv", new ConnectivityCsvFormatter().format(clinic));
    }

    @Test
    void testMarkdownMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.md", new ConnectivityMarkdownFormatter().format(clinic));
    }

    @Test
    void testJsonFollowsItsPublishedSchema() throws IOException {
        List<Error> errors = schema().validate(new ConnectivityJsonFormatter().format(clinic), InputFormat.JSON);
        assertThat(errors).isEmpty();
    }

    @Test
    void testSchemaRejectsAnUnknownIsolationValue() throws IOException {
        JsonNode document = new ObjectMapper().readTree(new ConnectivityJsonFormatter().format(clinic));
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("connections").get(0).get("ingress"))
                .put("isolation", "half-open");
        assertThat(schema().validate(document)).isNotEmpty();
    }

    @Test
    void testFormattingIsDeterministic() {
        IngestResult again = ManifestReader.read(List.of("examples/clinic"), new ByteArrayInputStream(new byte[0]));
        ConnectivityMap second = ConnectivityAnalyzer.analyze(again.cluster());
        assertThat(new ConnectivityJsonFormatter().format(second))
                .isEqualTo(new ConnectivityJsonFormatter().format(clinic));
    }

    private static Schema schema() throws IOException {
        try (InputStream in = ConnectivityJsonFormatter.class.getResourceAsStream("/schema/connectivity-v1.json")) {
            assertThat(in).as("schema resource").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }
}
