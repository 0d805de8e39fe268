package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.phiguard.ingest.ProfileReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit, profile and controls commands as a user runs them: arguments in, exit code and
 * text out (exit codes of DESIGN.md: 0 below the threshold, 1 at or above it, 2 bad usage).
 */
class AuditCommandTest {
    private static final String CLINIC = "examples/clinic";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One namespace without any policy: a single low finding (PG009). */
    private static final String ONLY_LOW = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: web}
            """;

    private static final String BAD_PROFILE = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Profile
            metadata: {name: x}
            failOn: severe
            """;

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    static Run runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PhiguardCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == AuditCommand.class) {
                    return type.cast(new AuditCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
                }
                if (type == ProfileCommand.class) {
                    return type.cast(new ProfileCommand(
                            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        Main.configure(commandLine);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return runWithStdin("", args);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    // ---------------------------------------------------------------- exit codes and thresholds

    @Test
    void testClinicExitsOneForHighFindings() {
        Run run = run("audit", CLINIC, "--no-color");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).startsWith(
                "phiguard audit — profile clinic (examples/clinic/phiguard-profile.yaml)\n")
                .contains("Result: FAIL — 8 findings: 6 high, 1 medium, 1 low (fails on high and above;"
                        + " 3 passed, 7 failed, 3 not assessed)")
                .doesNotContain("\u001b[");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void testFailOnCriticalPassesTheClinicWhichHasNoCriticalFinding() {
        Run run = run("audit", CLINIC, "--no-color", "--fail-on", "critical");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Result: PASS — 8 findings: 6 high, 1 medium, 1 low (fails on critical");
    }

    @Test
    void testFailOnNoneNeverFails() {
        Run run = run("audit", CLINIC, "--fail-on", "none");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("8 findings");
    }

    @Test
    void testFailOnLowFailsOnALowFindingTheProfileThresholdLetsPass() {
        assertThat(runWithStdin(ONLY_LOW, "audit", "-").exitCode()).isEqualTo(ExitCode.OK);
        assertThat(runWithStdin(ONLY_LOW, "audit", "-", "--fail-on", "medium").exitCode()).isEqualTo(ExitCode.OK);
        Run low = runWithStdin(ONLY_LOW, "audit", "-", "--fail-on", "LOW");
        assertThat(low.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(low.out()).contains("namespace web has no NetworkPolicy");
    }

    @Test
    void testUnknownFailOnValueIsAUsageError() {
        Run run = run("audit", CLINIC, "--fail-on", "severe");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--fail-on").contains("severe");
        assertThat(run.out()).isEmpty();
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void testBadProfileFileExitsTwoWithItsDiagnostic(@TempDir Path dir) throws IOException {
        Path profile = write(dir, "bad.yaml", BAD_PROFILE);
        Run run = run("audit", CLINIC, "--profile", profile.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo(profile + ":4:9: error: Profile x: failOn: expected critical, high,"
                + " medium, low or none ('severe')\n"
                + "phiguard audit: --profile " + profile + " cannot be used; fix the errors above\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testMissingProfileFileExitsTwo(@TempDir Path dir) {
        String missing = dir.resolve("nope.yaml").toString();
        Run run = run("audit", CLINIC, "--profile", missing);
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(missing + ": error: no such file or folder");
    }

    @Test
    void testDateMustBeIsoFormatted() {
        Run run = run("audit", CLINIC, "--date", "15/01/2026");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard audit: --date: expected a date as YYYY-MM-DD, got '15/01/2026'\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testDateMustBeARealDate() {
        Run run = run("audit", CLINIC, "--date", "2026-13-45");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void testDateIsStatedOnlyWhenAsked() throws IOException {
        Run dated = run("audit", CLINIC, "-o", "json", "--date", "2026-01-15");
        assertThat(JSON.readTree(dated.out()).path("date").asText()).isEqualTo("2026-01-15");
        Run undated = run("audit", CLINIC, "-o", "json");
        assertThat(JSON.readTree(undated.out()).has("date")).isFalse();
    }

    @Test
    void testTwoProfileDocumentsAmongTheManifestsExitTwo(@TempDir Path dir) throws IOException {
        Path second = write(dir, "second.yaml", """
                apiVersion: phiguard.dev/v1alpha1
                kind: Profile
                metadata: {name: second}
                """);
        Run run = run("audit", CLINIC, second.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard audit: the manifests hold 2 Profile documents"
                + " (examples/clinic/phiguard-profile.yaml:4:1, " + second + ":1:1); choose one with --profile FILE\n");
        assertThat(run.out()).isEmpty();
        // --profile settles it
        assertThat(run("audit", CLINIC, second.toString(), "--profile", second.toString()).exitCode())
                .isNotEqualTo(ExitCode.USAGE);
    }

    // ---------------------------------------------------------------- which profile

    @Test
    void testProfileOptionReplacesTheProfileAmongTheManifests(@TempDir Path dir) throws IOException {
        Run printed = run("profile", "--default");
        Path profile = write(dir, "default.yaml", printed.out());
        Run run = run("audit", CLINIC, "--no-color", "--profile", profile.toString());
        assertThat(run.out()).startsWith("phiguard audit — profile default (" + profile + ")\n")
                .doesNotContain("profile clinic")
                // the default profile lists no client: the metrics scraper becomes a finding
                .contains("monitoring/prometheus[StatefulSet] can connect to PHI workload");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        Run json = run("audit", CLINIC, "-o", "json", "--profile", profile.toString());
        JsonNode root = JSON.readTree(json.out());
        assertThat(root.path("profile").path("name").asText()).isEqualTo("default");
        assertThat(root.path("profile").path("source").asText()).isEqualTo(profile.toString());
    }

    @Test
    void testWithoutAnyProfileTheBuiltInDefaultIsUsed() {
        Run run = runWithStdin(ONLY_LOW, "audit", "-", "--no-color");
        assertThat(run.out()).startsWith("phiguard audit — profile default (<built-in default profile>)\n");
    }

    // ---------------------------------------------------------------- --fix-dir

    @Test
    void testFixDirWritesOneFilePerProposedPolicyAndTheyClearTheFindings(@TempDir Path dir) throws IOException {
        Path fixes = dir.resolve("fixes");
        Run run = run("audit", CLINIC, "--fix-dir", fixes.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.err()).isEqualTo("phiguard audit: wrote 5 proposed NetworkPolicy file(s) to " + fixes
                + "; review them, then audit again with: phiguard audit examples/clinic " + fixes + "\n");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixes)) {
            files.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
        }
        assertThat(names).containsExactly(
                "billing.claims-worker-allow-egress.yaml",
                "billing.default-deny-egress.yaml",
                "phi.ehr-db-ingress.yaml",
                "phi.fhir-server-ingress.yaml",
                "portal.patient-portal-api-egress.yaml");
        for (String name : names) {
            String text = Files.readString(fixes.resolve(name));
            String[] parts = name.split("\\.");
            assertThat(text).as(name).startsWith("# Proposed by phiguard")
                    .contains("\n#   PG0")
                    .contains("\nkind: NetworkPolicy\n")
                    .contains("\n  name: " + parts[1] + "\n  namespace: " + parts[0] + "\n");
        }
        assertThat(Files.readString(fixes.resolve("phi.ehr-db-ingress.yaml")))
                .contains("#   PG004-36e057a0c23c: 2 workloads can connect to PHI workload phi/ehr-db[StatefulSet]"
                        + " on TCP 5432");

        Run again = run("audit", CLINIC, fixes.toString(), "--no-color");
        assertThat(again.exitCode()).isEqualTo(ExitCode.OK);
        // only the low finding of analytics, for which no policy is proposed, remains
        assertThat(again.out()).contains("Result: PASS — 1 finding: 1 low");
        // the three narrowed policies replace the originals, and say so
        assertThat(again.err()).contains("phi.ehr-db-ingress.yaml:", "phi.fhir-server-ingress.yaml:",
                "portal.patient-portal-api-egress.yaml:", "replaces the definition at examples/clinic/");
    }

    @Test
    void testNoFixDirWritesNothing(@TempDir Path dir) {
        Run run = runWithStdin("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: web}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: web}
                spec: {podSelector: {}}
                """, "audit", "-", "--fix-dir", dir.resolve("none").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.err()).startsWith("phiguard audit: wrote 0 proposed NetworkPolicy file(s)");
        assertThat(dir.resolve("none")).isEmptyDirectory();
    }

    // ---------------------------------------------------------------- formats

    @Test
    void testJsonOutputParsesAndStatesTheResult() throws IOException {
        Run run = run("audit", CLINIC, "-o", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        JsonNode root = JSON.readTree(run.out());
        assertThat(root.path("result").asText()).isEqualTo("fail");
        assertThat(root.path("failOn").asText()).isEqualTo("high");
        assertThat(root.path("profile").path("name").asText()).isEqualTo("clinic");
        assertThat(root.path("summary").path("findings").path("high").asInt()).isEqualTo(6);
        assertThat(root.path("controls").size()).isEqualTo(13);
        assertThat(root.path("findings").size()).isEqualTo(8);
        for (JsonNode finding : root.path("findings")) {
            assertThat(finding.path("id").asText()).matches("PG0\\d\\d-[0-9a-f]{12}");
            assertThat(finding.path("location").path("file").asText()).startsWith("examples/clinic/");
            assertThat(finding.path("location").path("line").asInt()).isPositive();
        }
        // same input, same output
        assertThat(run("audit", CLINIC, "-o", "json").out()).isEqualTo(run.out());
        Run passing = run("audit", CLINIC, "-o", "json", "--fail-on", "critical");
        assertThat(JSON.readTree(passing.out()).path("result").asText()).isEqualTo("pass");
    }

    @Test
    void testOutputFileTakesTheReport(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("sub/audit.json");
        Run run = run("audit", CLINIC, "-o", "json", "--output", report.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).isEmpty();
        assertThat(JSON.readTree(Files.readString(report)).path("result").asText()).isEqualTo("fail");
    }

    @Test
    void testAnOutputFileThatCannotBeWrittenIsAUsageErrorNamingIt(@TempDir Path dir) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        Path report = notADirectory.resolve("audit.json");
        Run run = run("audit", CLINIC, "-o", "json", "--output", report.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("phiguard: cannot write " + report).doesNotContain("Exception");
    }

    // ---------------------------------------------------------------- phiguard profile

    @Test
    void testProfileDefaultPrintsTheResourceExactly() {
        Run run = run("profile", "--default");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).isEqualTo(ProfileReader.defaultProfileText());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void testProfileCheckAcceptsAValidProfile() {
        Run run = run("profile", "--check", "examples/clinic/phiguard-profile.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out())
                .isEqualTo("phiguard profile: examples/clinic/phiguard-profile.yaml is a valid profile (\"clinic\")\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void testProfileCheckRejectsAnInvalidProfileWithItsDiagnostics(@TempDir Path dir) throws IOException {
        Path profile = write(dir, "bad.yaml", BAD_PROFILE);
        Run run = run("profile", "--check", profile.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo(profile + ":4:9: error: Profile x: failOn: expected critical, high,"
                + " medium, low or none ('severe')\n"
                + "phiguard profile: " + profile + " is not a usable profile\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testProfileCheckReadsStandardInput() {
        Run run = runWithStdin(BAD_PROFILE.replace("failOn: severe", "failOn: low"), "profile", "--check", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).isEqualTo("phiguard profile: - is a valid profile (\"x\")\n");
    }

    @Test
    void testProfileNeedsExactlyOneAction() {
        Run none = run("profile");
        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("--default", "--check");
        assertThat(run("profile", "--default", "--check", "x.yaml").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    // ---------------------------------------------------------------- phiguard controls

    @Test
    void testControlsListsTheCatalogue() {
        Run run = run("controls");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        List<String> heads = run.out().lines().filter(line -> line.startsWith("PG")).toList();
        assertThat(heads).extracting(line -> line.substring(0, 5)).containsExactly("PG001", "PG002", "PG003",
                "PG004", "PG005", "PG006", "PG007", "PG008", "PG009", "PG010", "PG011", "PG012", "PG013");
        assertThat(heads.get(0)).isEqualTo("PG001  HIGH  phi-namespace-default-deny");
        assertThat(heads).filteredOn(line -> line.endsWith("(needs --cluster)")).extracting(l -> l.substring(0, 5))
                .containsExactly("PG011", "PG012", "PG013");
        assertThat(run.out()).contains("  - 45 CFR 164.312(e)(2)(ii) Encryption\n");
    }

    @Test
    void testControlsJsonParses() throws IOException {
        Run run = run("controls", "-o", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        JsonNode root = JSON.readTree(run.out());
        assertThat(root.path("schema").asText()).isEqualTo("phiguard.dev/controls/v1");
        List<String> ids = new ArrayList<>();
        root.path("controls").forEach(control -> ids.add(control.path("id").asText()));
        assertThat(ids).containsExactly("PG001", "PG002", "PG003", "PG004", "PG005", "PG006", "PG007", "PG008",
                "PG009", "PG010", "PG011", "PG012", "PG013");
        assertThat(root.path("controls").get(10).path("needsCluster").asBoolean()).isTrue();
        assertThat(root.path("controls").get(0).path("citations").get(0).path("reference").asText())
                .isEqualTo("45 CFR 164.312(a)(1)");
    }

    // ---------------------------------------------------------------- help

    @Test
    void testAuditHelpNamesTheOptionsAndExitCodes() {
        Run run = run("audit", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("--profile=FILE", "--fail-on=SEVERITY", "critical, high, medium, low, none",
                "--fix-dir=DIR", "NAMESPACE.NAME.yaml", "--date=YYYY-MM-DD", "Exit codes: 0 no finding at or above the"
                        + " threshold; 1 findings at or above it;", "2 bad usage, unreadable input, an invalid profile or an unreadable"
                        + " cluster;", "3 internal error.");
    }

    @Test
    void testTopLevelAndProfileHelp() {
        Run top = run("--help");
        assertThat(top.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(top.out()).contains("audit", "controls", "profile", "Exit codes: 0 no finding at or above the"
                + " failure threshold; 1 findings;");
        Run profile = run("profile", "--help");
        assertThat(profile.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(profile.out()).contains("--default", "--check=FILE", "phiguard profile --default > phi-profile.yaml");
        Run controls = run("controls", "--help");
        assertThat(controls.out()).contains("not assessed, never as passed");
    }

    @Test
    void testReportsForPeopleAreDatedTodayUnlessPinnedAndMachineFormatsAreNot() {
        String today = java.time.LocalDate.now().toString();
        assertThat(run("audit", CLINIC, "-o", "md").out()).contains("**Date:** " + today);
        assertThat(run("audit", CLINIC, "-o", "md", "--date", "2000-01-02").out()).contains("**Date:** 2000-01-02");
        assertThat(run("audit", CLINIC, "-o", "json").out()).doesNotContain("\"date\"");
        assertThat(run("audit", CLINIC, "-o", "sarif").out()).doesNotContain(today);
    }
}
