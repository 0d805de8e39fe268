package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code phiguard lint}: exit codes, formats and help. */
class LintCommandTest {

    private static final String IGNORED_EGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: p, namespace: shop}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              egress: [{}]
            """;

    @Test
    void testClinicHasNoErrorsAndExitsZero() {
        AuditCommandTest.Run run = AuditCommandTest.run("lint", "examples/clinic");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Result: 0 errors, 3 warnings,").contains("Sprawl");
    }

    @Test
    void testErrorLevelFindingExitsOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, IGNORED_EGRESS);
        AuditCommandTest.Run run = AuditCommandTest.run("lint", file.toString(), "-o", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).contains("\"check\": \"PL005\"").contains("\"error\": 1");
    }

    @Test
    void testTwoProfileDocumentsAmongTheManifestsExitTwoNamingBoth(@TempDir Path dir) throws IOException {
        Path second = dir.resolve("second.yaml");
        Files.writeString(second, """
                apiVersion: phiguard.dev/v1alpha1
                kind: Profile
                metadata: {name: second}
                """);
        AuditCommandTest.Run run = AuditCommandTest.run("lint", "examples/clinic", second.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard lint: the manifests hold 2 Profile documents"
                + " (examples/clinic/phiguard-profile.yaml:4:1, " + second + ":1:1); choose one with --profile FILE\n");
        assertThat(AuditCommandTest.run("lint", "examples/clinic", second.toString(), "--profile", second.toString())
                .exitCode()).isNotEqualTo(ExitCode.USAGE);
    }

    @Test
    void testMissingInputExitsTwo() {
        AuditCommandTest.Run run = AuditCommandTest.run("lint", "no/such/path");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("no/such/path");
    }

    @Test
    void testSarifToFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("lint.sarif");
        AuditCommandTest.Run run = AuditCommandTest.run("lint", "examples/clinic", "-o", "sarif", "--output",
                out.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(out)).contains("\"ruleId\": \"PL002\"");
    }

    @Test
    void testHelpTeachesExitCodesAndExamples() {
        AuditCommandTest.Run run = AuditCommandTest.run("lint", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("phiguard lint examples/clinic")
                .contains("1 at least one error-level finding");
    }

    @Test
    void testAuditHygieneAddsASectionAndKeepsTheResult() {
        AuditCommandTest.Run plain = AuditCommandTest.run("audit", "examples/clinic", "--no-color");
        AuditCommandTest.Run run = AuditCommandTest.run("audit", "examples/clinic", "--no-color", "--hygiene");
        assertThat(run.exitCode()).isEqualTo(plain.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).startsWith(plain.out()).contains("Result: FAIL — 8 findings")
                .contains("\nHygiene (phiguard lint; not counted in the result): 0 errors, 3 warnings, 8 notes\n")
                .contains("    PL002  NetworkPolicy phi/ehr-db-ingress  examples/clinic/phi/network-policies.yaml:124:7\n");
    }

    @Test
    void testAuditHygieneRidesInJsonAndSarifAndIsAUsageErrorElsewhere() {
        AuditCommandTest.Run json = AuditCommandTest.run("audit", "examples/clinic", "-o", "json", "--hygiene");
        assertThat(json.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(json.out()).contains("\"hygiene\": {\n    \"schema\": \"phiguard.dev/lint/v1\"");
        AuditCommandTest.Run sarif = AuditCommandTest.run("audit", "examples/clinic", "-o", "sarif", "--hygiene");
        assertThat(sarif.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(sarif.out()).contains("\"id\": \"phiguard/lint/\"");

        AuditCommandTest.Run junit = AuditCommandTest.run("audit", "examples/clinic", "-o", "junit", "--hygiene");
        assertThat(junit.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(junit.out()).isEmpty();
        assertThat(junit.err()).isEqualTo("phiguard audit: --hygiene goes with -o text, json or sarif; for junit, run"
                + " phiguard lint on the same input beside the audit\n");
    }
}
