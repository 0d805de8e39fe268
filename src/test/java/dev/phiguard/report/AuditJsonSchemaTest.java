package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit JSON follows its published schema, and the schema is strict enough to notice a change. */
class AuditJsonSchemaTest {

    private static String clinicJson(Optional<String> date) {
        IngestResult in = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        AuditResult result = Auditor.audit(in.cluster(), in.profiles().get(0));
        AuditReport report = new AuditReport(result,
                in.inputs().stream().map(i -> new AuditReport.Input(i.path(), i.sha256())).toList(),
                in.profiles().get(0).source().file(), "test", date);
        return new AuditJsonFormatter().format(report);
    }

    private static Schema schema() throws IOException {
        try (InputStream in = AuditJsonFormatter.class.getResourceAsStream("/schema/audit-v1.json")) {
            assertThat(in).as("schema resource").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void testAuditJsonFollowsItsSchema() throws IOException {
        assertThat(schema().validate(clinicJson(Optional.empty()), InputFormat.JSON)).isEmpty();
        assertThat(schema().validate(clinicJson(Optional.of("2026-01-15")), InputFormat.JSON)).isEmpty();
    }

    @Test
    void testSchemaRejectsAnUnknownStatus() throws IOException {
        ObjectNode document = (ObjectNode) new ObjectMapper().readTree(clinicJson(Optional.empty()));
        ((ObjectNode) document.get("controls").get(0)).put("status", "mostly-fine");
        assertThat(schema().validate(document)).isNotEmpty();
    }

    @Test
    void testDateAppearsOnlyWhenAsked() {
        assertThat(clinicJson(Optional.empty())).doesNotContain("\"date\"");
        assertThat(clinicJson(Optional.of("2026-01-15"))).contains("\"date\": \"2026-01-15\"");
    }
}
