package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The diff JSON follows its published schema, which is strict enough to notice a change of shape. */
class DiffJsonSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = DiffJsonFormatter.class.getResourceAsStream("/schema/diff-v1.json")) {
            assertThat(in).as("schema resource").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void testDiffJsonFollowsItsSchema() {
        for (DiffReport report : new DiffReport[] {DiffScenarios.fixesUndone(), DiffScenarios.fixesApplied(),
            DiffScenarios.identical()}) {
            String json = new DiffJsonFormatter().format(report);
            assertThat(schema.validate(json, InputFormat.JSON)).as(report.before().label() + " -> "
                    + report.after().label()).isEmpty();
        }
    }

    @Test
    void testSchemaRejectsAnUnknownResultAndAMissingField() throws IOException {
        ObjectNode document = (ObjectNode) MAPPER.readTree(new DiffJsonFormatter().format(DiffScenarios.fixesUndone()));
        document.put("result", "mostly-fine");
        assertThat(schema.validate(document)).as("a schema that accepts anything proves nothing").isNotEmpty();

        ObjectNode other = (ObjectNode) MAPPER.readTree(new DiffJsonFormatter().format(DiffScenarios.fixesUndone()));
        ((ObjectNode) other.get("connections").get("added").get(0)).remove("gained");
        assertThat(schema.validate(other)).isNotEmpty();
    }

    @Test
    void testCountsAndListsAgree() throws IOException {
        JsonNode document = MAPPER.readTree(new DiffJsonFormatter().format(DiffScenarios.fixesUndone()));
        assertThat(document.get("result").asText()).isEqualTo("fail");
        assertThat(document.get("failOn").asText()).isEqualTo("high");
        JsonNode summary = document.get("summary");
        assertThat(summary.get("findings").get("new").asInt()).isEqualTo(document.get("findings").get("new").size())
                .isEqualTo(7);
        assertThat(summary.get("findings").get("failing").asInt()).isEqualTo(6);
        for (String kind : new String[] {"added", "removed", "changed"}) {
            assertThat(summary.get("connections").get(kind).asInt()).as(kind)
                    .isEqualTo(document.get("connections").get(kind).size());
        }
        for (JsonNode change : document.get("connections").get("added")) {
            assertThat(change.get("before").get("connections").asText()).isEqualTo("No Connections");
            assertThat(change.get("gained")).isEqualTo(change.get("after"));
            assertThat(change.get("lost").get("protocols")).isEmpty();
        }
    }

    @Test
    void testFindingsHaveTheShapeOfTheAuditJson() throws IOException {
        DiffReport report = DiffScenarios.fixesUndone();
        JsonNode diff = MAPPER.readTree(new DiffJsonFormatter().format(report));
        AuditReport audit = new AuditReport(report.change().findings().after(), report.after().inputs(),
                report.profileSource(), "test", Optional.empty());
        ArrayNode auditFindings = (ArrayNode) MAPPER.readTree(new AuditJsonFormatter().format(audit)).get("findings");
        ArrayNode expected = MAPPER.createArrayNode();
        auditFindings.forEach(finding -> {
            if (!finding.get("control").asText().equals("PG009")) {
                expected.add(finding);
            }
        });
        assertThat(diff.get("findings").get("new")).isEqualTo(expected);
    }
}
