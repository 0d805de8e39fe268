package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SARIF of examples/clinic: valid SARIF 2.1.0, golden-tested, and what GitHub code scanning reads from it. */
class AuditSarifFormatterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Schema schema;
    private static AuditReport clinic;
    private static String clinicSarif;

    @BeforeAll
    static void auditClinic() throws IOException {
        try (InputStream in = AuditSarifFormatterTest.class.getResourceAsStream("/sarif/sarif-2.1.0.json")) {
            assertThat(in).as("the SARIF schema resource").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        clinic = auditClinicReport();
        clinicSarif = new AuditSarifFormatter().format(clinic);
    }

    private static AuditReport auditClinicReport() {
        IngestResult ingested = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        assertThat(ingested.diagnostics()).as("examples/clinic must be free of diagnostics").isEmpty();
        assertThat(ingested.profiles()).as("examples/clinic carries one profile").hasSize(1);
        AuditResult result = Auditor.audit(ingested.cluster(), ingested.profiles().get(0));
        List<AuditReport.Input> inputs = ingested.inputs().stream()
                .map(input -> new AuditReport.Input(input.path(), input.sha256())).toList();
        return new AuditReport(result, inputs, ingested.profiles().get(0).source().file(), "test", Optional.empty());
    }

    @Test
    void testClinicSarifFollowsTheSarifSchema() {
        assertThat(clinic.result().findings()).as("the clinic has planted mistakes").isNotEmpty();
        assertThat(schema.validate(clinicSarif, InputFormat.JSON)).isEmpty();
    }

    @Test
    void testSchemaRejectsAnUnknownLevel() {
        ObjectNode document = (ObjectNode) read(clinicSarif);
        ((ObjectNode) results(document).get(0)).put("level", "severe");
        List<Error> errors = schema.validate(document.toString(), InputFormat.JSON);
        assertThat(errors).as("a schema that accepts anything proves nothing").isNotEmpty();
    }

    @Test
    void testClinicSarifMatchesGolden() {
        Golden.assertMatches("clinic/audit.sarif", clinicSarif);
    }

    @Test
    void testFindingsWithoutLineOrFileStillFollowTheSchema() {
        AuditReport lineless = withFindings(clinic, finding -> {
            SourceRef location = finding.location();
            List<RuleRef> rules = finding.rules().stream()
                    .map(rule -> new RuleRef(rule.namespace(), rule.policy(), rule.direction(), rule.index(),
                            rule.policySource(), SourceRef.of(rule.ruleSource().file())))
                    .toList();
            return new Finding(finding.id(), finding.controlId(), finding.severity(), finding.namespace(),
                    finding.message(), finding.key(), finding.workloads(), finding.connections(), rules,
                    SourceRef.of(location.file()), finding.remediation(), finding.forbidden());
        });
        String text = new AuditSarifFormatter().format(lineless);
        assertThat(schema.validate(text, InputFormat.JSON)).isEmpty();
        for (JsonNode result : results(read(text))) {
            JsonNode physical = result.get("locations").get(0).get("physicalLocation");
            assertThat(physical.has("region")).as("a finding with line 0 has no region: %s", result).isFalse();
            assertThat(physical.get("artifactLocation").get("uri").asText()).startsWith("examples/clinic/");
            result.path("relatedLocations")
                    .forEach(related -> assertThat(related.get("physicalLocation").has("region")).isFalse());
        }
    }

    @Test
    void testFindingWithNoFilePointsAtAnInputOrItsNamespace() {
        List<String> placeholders = List.of("<generated by phiguard>", "");
        int[] next = {0};
        AuditReport fileless = withFindings(clinic, finding -> new Finding(finding.id(), finding.controlId(),
                finding.severity(), finding.namespace(), finding.message(), finding.key(), finding.workloads(),
                finding.connections(), finding.rules().stream()
                        .map(rule -> new RuleRef(rule.namespace(), rule.policy(), rule.direction(), rule.index(),
                                rule.policySource(), SourceRef.of(placeholders.get(next[0] % 2))))
                        .toList(),
                new SourceRef(placeholders.get(next[0]++ % 2), 0, 0), finding.remediation(), finding.forbidden()));

        String withInputs = new AuditSarifFormatter().format(fileless);
        assertThat(schema.validate(withInputs, InputFormat.JSON)).isEmpty();
        String firstInput = clinic.inputs().get(0).path();
        for (JsonNode result : results(read(withInputs))) {
            JsonNode location = result.get("locations").get(0);
            assertThat(location.get("physicalLocation").get("artifactLocation").get("uri").asText())
                    .isEqualTo(firstInput);
            assertThat(location.get("logicalLocations").get(0).get("name").asText())
                    .isEqualTo(result.get("properties").get("namespace").asText());
            result.path("relatedLocations").forEach(related -> assertThat(related.has("physicalLocation")).isFalse());
        }

        AuditReport noInputs = new AuditReport(fileless.result(), List.of(), "<built-in>", "test", Optional.empty());
        String withoutInputs = new AuditSarifFormatter().format(noInputs);
        assertThat(schema.validate(withoutInputs, InputFormat.JSON)).isEmpty();
        for (JsonNode result : results(read(withoutInputs))) {
            JsonNode location = result.get("locations").get(0);
            assertThat(location.has("physicalLocation")).isFalse();
            assertThat(location.get("logicalLocations").get(0).get("kind").asText()).isEqualTo("namespace");
        }
    }

    @Test
    void testEveryResultNamesARuleOfTheCatalogue() {
        JsonNode run = read(clinicSarif).get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        List<String> ruleIds = new ArrayList<>();
        rules.forEach(rule -> ruleIds.add(rule.get("id").asText()));
        assertThat(ruleIds).isEqualTo(clinic.result().controls().stream().map(c -> c.control().id()).toList());
        assertThat(new HashSet<>(ruleIds)).as("rule ids are unique").hasSize(ruleIds.size());
        assertThat(run.get("results")).isNotEmpty();
        for (JsonNode result : run.get("results")) {
            String ruleId = result.get("ruleId").asText();
            assertThat(ruleIds).contains(ruleId);
            assertThat(ruleIds.get(result.get("ruleIndex").asInt())).isEqualTo(ruleId);
        }
    }

    @Test
    void testLevelsMapFromSeverity() {
        Map<Severity, String> expected = Map.of(Severity.CRITICAL, "error", Severity.HIGH, "error",
                Severity.MEDIUM, "warning", Severity.LOW, "note", Severity.INFO, "note");
        for (Severity severity : Severity.values()) {
            assertThat(AuditSarifFormatter.level(severity)).as("%s", severity).isEqualTo(expected.get(severity));
        }
        Map<Severity, Optional<String>> scores = Map.of(Severity.CRITICAL, Optional.of("9.5"),
                Severity.HIGH, Optional.of("8.0"), Severity.MEDIUM, Optional.of("5.5"), Severity.LOW, Optional.of("3.0"),
                Severity.INFO, Optional.empty());
        for (Severity severity : Severity.values()) {
            assertThat(AuditSarifFormatter.securitySeverity(severity)).as("%s", severity)
                    .isEqualTo(scores.get(severity));
        }

        JsonNode run = read(clinicSarif).get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        List<ControlResult> controls = clinic.result().controls();
        for (int i = 0; i < controls.size(); i++) {
            Severity severity = controls.get(i).control().severity();
            assertThat(rules.get(i).get("defaultConfiguration").get("level").asText())
                    .as(controls.get(i).control().id()).isEqualTo(expected.get(severity));
            assertThat(rules.get(i).get("properties").path("security-severity").asText(null))
                    .isEqualTo(scores.get(severity).orElse(null));
        }
        List<Finding> findings = clinic.result().findings();
        JsonNode results = run.get("results");
        assertThat(results).hasSize(findings.size());
        Set<String> levels = new HashSet<>();
        for (int i = 0; i < findings.size(); i++) {
            assertThat(results.get(i).get("level").asText()).as(findings.get(i).id())
                    .isEqualTo(expected.get(findings.get(i).severity()));
            levels.add(results.get(i).get("level").asText());
        }
        assertThat(levels).as("the clinic has findings of several levels").contains("error", "warning", "note");
    }

    @Test
    void testPartialFingerprintsAreFindingIds() {
        List<String> fingerprints = new ArrayList<>();
        results(read(clinicSarif)).forEach(result ->
                fingerprints.add(result.get("partialFingerprints").get(AuditSarifFormatter.FINGERPRINT).asText()));
        assertThat(fingerprints).isEqualTo(clinic.result().findings().stream().map(Finding::id).toList());
    }

    @Test
    void testResultsPointAtTheManifestLine() {
        List<Finding> findings = clinic.result().findings();
        JsonNode results = results(read(clinicSarif));
        for (int i = 0; i < findings.size(); i++) {
            SourceRef location = findings.get(i).location();
            JsonNode physical = results.get(i).get("locations").get(0).get("physicalLocation");
            assertThat(physical.get("artifactLocation").get("uri").asText()).isEqualTo(location.file());
            assertThat(physical.get("artifactLocation").get("uriBaseId").asText()).isEqualTo("%SRCROOT%");
            assertThat(physical.get("region").get("startLine").asInt()).isEqualTo(location.line());
            assertThat(physical.get("region").get("startColumn").asInt()).isEqualTo(location.column());
            assertThat(results.get(i).get("message").get("text").asText())
                    .startsWith(findings.get(i).message()).contains(" Fix: ");
            assertThat(results.get(i).path("relatedLocations")).hasSize(findings.get(i).rules().size());
        }
    }

    @Test
    void testArtifactsAreTheInputsWithTheirDigests() {
        JsonNode artifacts = read(clinicSarif).get("runs").get(0).get("artifacts");
        assertThat(artifacts).hasSize(clinic.inputs().size());
        for (int i = 0; i < artifacts.size(); i++) {
            assertThat(artifacts.get(i).get("location").get("uri").asText()).isEqualTo(clinic.inputs().get(i).path());
            assertThat(artifacts.get(i).get("hashes").get("sha-256").asText())
                    .isEqualTo(clinic.inputs().get(i).sha256());
        }
    }

    @Test
    void testControlsNotAssessedAreNotesOfTheInvocation() {
        JsonNode run = read(clinicSarif).get("runs").get(0);
        List<String> notAssessed = clinic.result().controls().stream()
                .filter(c -> c.status() == ControlResult.Status.NOT_ASSESSED).map(c -> c.control().id()).toList();
        assertThat(notAssessed).isNotEmpty();
        List<String> notified = new ArrayList<>();
        run.get("invocations").get(0).get("toolExecutionNotifications").forEach(note -> {
            assertThat(note.get("level").asText()).isEqualTo("note");
            assertThat(note.get("message").get("text").asText()).contains("not assessed");
            notified.add(note.get("associatedRule").get("id").asText());
        });
        assertThat(notified).isEqualTo(notAssessed);
        List<String> listed = new ArrayList<>();
        run.get("properties").get("controls").get("notAssessed").forEach(id -> listed.add(id.asText()));
        assertThat(listed).isEqualTo(notAssessed);
    }

    @Test
    void testFormattingIsDeterministicWithoutTimestamps() {
        assertThat(new AuditSarifFormatter().format(auditClinicReport())).isEqualTo(clinicSarif);
        assertThat(clinicSarif).doesNotContain("Utc\"").doesNotContain("\"date\"");
        AuditReport dated = new AuditReport(clinic.result(), clinic.inputs(), clinic.profileSource(), "test",
                Optional.of("2025-01-31"));
        JsonNode properties = read(new AuditSarifFormatter().format(dated)).get("runs").get(0).get("properties");
        assertThat(properties.get("date").asText()).isEqualTo("2025-01-31");
    }

    @Test
    void testUrisAreRelativeForwardSlashedAndEncoded() {
        assertThat(AuditSarifFormatter.uri("examples/clinic/phi/ehr-db.yaml")).isEqualTo("examples/clinic/phi/ehr-db.yaml");
        assertThat(AuditSarifFormatter.uri("./deploy/a b.yaml")).isEqualTo("deploy/a%20b.yaml");
        assertThat(AuditSarifFormatter.uri("deploy\\win\\p.yaml")).isEqualTo("deploy/win/p.yaml");
        assertThat(AuditSarifFormatter.uri("k8s/ü:x#1.yaml")).isEqualTo("k8s/%C3%BC%3Ax%231.yaml");
        assertThat(AuditSarifFormatter.uri("/srv/repo/p.yaml")).isEqualTo("file:///srv/repo/p.yaml");
        assertThat(AuditSarifFormatter.uri("C:\\repo\\p.yaml")).isEqualTo("file:///C:/repo/p.yaml");
        assertThat(AuditSarifFormatter.pascalCase("phi-namespace-default-deny")).isEqualTo("PhiNamespaceDefaultDeny");
    }

    /** The report with every finding replaced by {@code change} of it. */
    private static AuditReport withFindings(AuditReport report, UnaryOperator<Finding> change) {
        AuditResult result = report.result();
        List<ControlResult> controls = result.controls().stream()
                .map(control -> new ControlResult(control.control(), control.status(),
                        control.findings().stream().map(change).toList(), control.evidence(), control.reason()))
                .toList();
        AuditResult changed = new AuditResult(result.profile(), controls, result.phiWorkloads(), result.scope(),
                result.failOn());
        return new AuditReport(changed, report.inputs(), report.profileSource(), report.toolVersion(), report.date());
    }

    private static JsonNode results(JsonNode document) {
        return document.get("runs").get(0).get("results");
    }

    private static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void testLiveObjectsAreNamedFromTheEndOfTheirReference() {
        assertThat(AuditSarifFormatter.liveName("cluster:kind-dev/NetworkPolicy/phi/deny")).isEqualTo("phi/deny");
        assertThat(AuditSarifFormatter.liveName("cluster:arn:aws:eks:eu-west-1:1234:cluster/prod/Deployment/phi/api"))
                .isEqualTo("phi/api");
        assertThat(AuditSarifFormatter.liveName("cluster:dev/Namespace/phi")).isEqualTo("phi");
        assertThat(AuditSarifFormatter.liveName("cluster:dev")).isEqualTo("cluster:dev");
        assertThat(AuditSarifFormatter.isFile("cluster:dev/Namespace/phi")).isFalse();
    }
}
