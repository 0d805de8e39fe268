package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.report.Golden;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import picocli.CommandLine;

/** {@code phiguard test} as a user runs it: arguments in, exit code and text out. */
class TestCommandTest {
    private static final String CLINIC = "examples/clinic";
    private static final String CLINIC_EXPECTATIONS = "examples/clinic/expectations.yaml";

    /** The assertions of the clinic's file that fail today, one per planted mistake it catches (README.md). */
    private static final List<String> CLINIC_FAILURES = List.of(
            "the FHIR server's plain-HTTP port is closed to the portal",
            "only the FHIR server, the export job and Prometheus reach the EHR database",
            "analytics workloads other than the export job do not reach the EHR database",
            "the claims worker cannot reach a public DNS server",
            "the claims worker reaches only DNS, the broker and the clearinghouse",
            "the portal cannot send data to an arbitrary internet host");

    private static final String TWO_PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop, labels: {app: client}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: shop, labels: {app: db}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-ingress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: client}}}]
                ports: [{port: pg}]
            """;

    private static final String SUITE = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Expectations
            metadata: {name: shop}
            expectations:
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
                if (type == TestCommand.class) {
                    return type.cast(new TestCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
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

    private static List<String> failing(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^FAIL  (.*) \\(examples/clinic/expectations\\.yaml:\\d+:\\d+\\)$")
                .matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    // ---------------------------------------------------------------- the clinic

    @Test
    void testClinicFailsOnThePlantedMistakesAsTheReadmeSays() {
        Run run = run("test", CLINIC, "--expect", CLINIC_EXPECTATIONS);
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.err()).isEmpty();
        assertThat(failing(run.out())).containsExactlyElementsOf(CLINIC_FAILURES);
        assertThat(run.out()).endsWith("Result: FAIL — 24 assertions: 18 passed, 6 failed, 0 errors\n");
        Golden.assertMatches("test/clinic.txt", run.out());
    }

    @Test
    void testClinicJunitHasOneTestCasePerAssertion() throws Exception {
        Run run = run("test", CLINIC, "--expect", CLINIC_EXPECTATIONS, "-o", "junit");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        Golden.assertMatches("test/clinic.junit.xml", run.out());

        Document xml = parseXml(run.out());
        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("tests")).isEqualTo("24");
        assertThat(suites.getAttribute("failures")).isEqualTo("6");
        assertThat(suites.getAttribute("errors")).isEqualTo("0");
        NodeList cases = xml.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(24);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            assertThat(testCase.getAttribute("classname")).isEqualTo("phiguard.test.clinic");
            assertThat(testCase.getAttribute("file")).isEqualTo(CLINIC_EXPECTATIONS);
            NodeList failures = testCase.getElementsByTagName("failure");
            if (failures.getLength() > 0) {
                failed.add(testCase.getAttribute("name"));
                // the failure carries the explanation of the failing pair
                assertThat(failures.item(0).getTextContent()).contains("why, rule by rule");
                assertThat(((Element) failures.item(0)).getAttribute("message"))
                        .containsPattern(": \\d+ pairs? breaks? it; first: allowed ");
            } else {
                assertThat(testCase.getElementsByTagName("system-out").item(0).getTextContent())
                        .contains("no pair breaks it");
            }
        }
        assertThat(failed).containsExactlyElementsOf(CLINIC_FAILURES);
    }

    @Test
    void testClinicFailureExplainsThePlaintextPort() {
        Run run = run("test", CLINIC, "--expect", CLINIC_EXPECTATIONS);
        assertThat(run.out()).contains("""
                FAIL  the FHIR server's plain-HTTP port is closed to the portal (examples/clinic/expectations.yaml:67:5)
                    expected: portal/patient-portal-api does not reach phi/fhir-server on TCP 8080
                    1 pair breaks it:
                      allowed: portal/patient-portal-api[Deployment] => phi/fhir-server[Deployment] : TCP 8080
                    why, rule by rule:
                      portal/patient-portal-api[Deployment] => phi/fhir-server[Deployment] on TCP 8080: allowed
                """).contains("""
                          + phi/fhir-server-ingress ingress[0] (examples/clinic/phi/network-policies.yaml:49:7): allows TCP\
                 8080; admits portal/patient-portal-api[Deployment] by namespaceSelector{kubernetes.io/metadata.name=portal}\
                 podSelector{app.kubernetes.io/name=patient-portal-api}
                """);
    }

    @Test
    void testClinicExpectationsAmongTheManifestsNeedNoExpectOption() {
        Run withOption = run("test", CLINIC, "--expect", CLINIC_EXPECTATIONS);
        Run without = run("test", CLINIC);
        assertThat(without.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(without.err()).isEmpty();
        assertThat(without.out()).isEqualTo(withOption.out());
    }

    @Test
    void testClinicWithTheProposedFixesFailsOnlyWhereTheyAreWiderThanIntended(@TempDir Path dir) {
        Path fixes = dir.resolve("fixes");
        Run audit = run("audit", CLINIC, "--fix-dir", fixes.toString(), "-q");
        assertThat(audit.exitCode()).isEqualTo(ExitCode.FINDINGS);
        Run run = run("test", CLINIC, fixes.toString(), "--expect", CLINIC_EXPECTATIONS, "-q");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        // as the file's header says: the proposed egress of the claims worker admits the SMS provider too
        assertThat(failing(run.out())).containsExactly(
                "the claims worker reaches only DNS, the broker and the clearinghouse");
        assertThat(run.out()).contains(
                "allowed: billing/claims-worker[Deployment] => 198.51.100.0-198.51.100.255[External] : TCP 443")
                .endsWith("Result: FAIL — 24 assertions: 23 passed, 1 failed, 0 errors\n");
    }

    @Test
    void testClinicWithTheReadmeFixForMistakeTwoPassesEveryAssertion(@TempDir Path dir) throws IOException {
        Path fixes = dir.resolve("fixes");
        assertThat(run("audit", CLINIC, "--fix-dir", fixes.toString(), "-q").exitCode()).isEqualTo(ExitCode.FINDINGS);
        // the proposed fix for mistake 2 is replaced by the README's
        Files.delete(fixes.resolve("billing.claims-worker-allow-egress.yaml"));
        Files.delete(fixes.resolve("billing.default-deny-egress.yaml"));
        // the policies examples/clinic/README.md gives for mistake 2, from its section's YAML block
        String readme = Files.readString(Path.of(CLINIC, "README.md"));
        String section = readme.substring(readme.indexOf("### 2."), readme.indexOf("### 3."));
        Matcher block = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(section);
        assertThat(block.find()).isTrue();
        Files.writeString(fixes.resolve("billing.yaml"), block.group(1).replaceAll("(?m)^  ", ""));
        Run run = run("test", CLINIC, fixes.toString(), "--expect", CLINIC_EXPECTATIONS, "-q");
        assertThat(run.err()).as("only the expected 'replaces the definition' warnings, which -q hides").isEmpty();
        assertThat(run.out()).endsWith("Result: PASS — 24 assertions: 24 passed, 0 failed, 0 errors\n");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void testHelpTeachesTheFormatWithAnExampleThatRuns(@TempDir Path dir) throws IOException {
        Run help = run("test", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("kind: Expectations", "only: {to: X, from: [A, B]}",
                "only: {from: X, to: [A, B]}", "expect: deny", "namespaceSelector", "cidr", "Exit codes: 0");
        String footer = help.out().substring(help.out().indexOf("Example expectations file:") + 1);
        String example = footer.substring(footer.indexOf('\n') + 1, footer.indexOf("\nExamples:")).lines()
                .map(line -> line.substring(2)).reduce("", (a, b) -> a + b + "\n");
        Path file = dir.resolve("example.yaml");
        Files.writeString(file, example);
        Run run = run("test", CLINIC, "--expect", file.toString());
        assertThat(run.err()).isEmpty();
        // the example's "only" assertion finds planted mistake 1
        assertThat(run.out()).contains("PASS  the portal reads patient records over TLS",
                "PASS  nothing on the internet reaches the EHR database",
                "FAIL  only the FHIR server, the export and Prometheus reach the EHR",
                "PASS  the EHR database reaches only DNS");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
    }

    // ---------------------------------------------------------------- exit codes

    @Test
    void testEveryAssertionPassingExitsZero(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, SUITE + """
                  - {name: the client reaches the database, from: shop/client, to: shop/db, port: pg, expect: allow}
                  - {name: the database reaches only, only: {to: shop/db, from: [shop/client]}}
                """);
        Run run = runWithStdin(TWO_PODS, "test", "-", "--expect", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("Suite shop (" + file + ")\n"
                + "PASS  the client reaches the database\n"
                + "PASS  the database reaches only\n"
                + "\n"
                + "Result: PASS — 2 assertions: 2 passed, 0 failed, 0 errors\n");
    }

    @Test
    void testExpectationsFromStandardInput(@TempDir Path dir) throws IOException {
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(cluster, TWO_PODS);
        Run run = runWithStdin(SUITE + "  - {name: db is closed, from: shop/db, to: shop/client, expect: deny}\n",
                "test", cluster.toString(), "--expect", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).startsWith("Suite shop (<stdin>)\nFAIL  db is closed (<stdin>:5:5)\n");
    }

    @Test
    void testAnAssertionThatCannotBeEvaluatedExitsOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, SUITE + "  - {name: typo, from: shop/clinet, to: shop/db, expect: deny}\n");
        Run run = runWithStdin(TWO_PODS, "test", "-", "--expect", file.toString(), "-o", "junit");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).contains("tests=\"1\" failures=\"0\" errors=\"1\"",
                "<error message=\"" + file + ":5:24: from: no workload shop/clinet; did you mean shop/client[Pod]?\""
                        + " type=\"invalid assertion\">");
    }

    @Test
    void testBadExpectationsFileExitsTwoWithDiagnostics(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, SUITE + "  - {name: a, from: shop/client, to: shop/db, port: 70000, expect: maybe}\n");
        Run run = runWithStdin(TWO_PODS, "test", "-", "--expect", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(
                file + ":5:53: error: Expectations shop: expectations[0].port: invalid port, expected a number (5432),"
                        + " a range (8000-8100), NUMBER/PROTOCOL (53/UDP; 1-65535; TCP, UDP or SCTP) or a container"
                        + " port name (https) ('70000')\n"
                        + file + ":5:68: error: Expectations shop: expectations[0].expect: expected allow or deny"
                        + " ('maybe')\n"
                        + "phiguard test: --expect " + file + " cannot be used; fix the errors above\n");
    }

    @Test
    void testBadFileAmongTheManifestsIsReportedOnce(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cluster.yaml"), TWO_PODS);
        Path file = dir.resolve("tests.yaml");
        Files.writeString(file, SUITE + "  - {name: a, from: shop/client, to: shop/db, expect: maybe}\n");
        String diagnostic = file + ":5:55: error: Expectations shop: expectations[0].expect: expected allow or deny"
                + " ('maybe')";
        Run run = run("test", dir.toString(), "--expect", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().lines().filter(diagnostic::equals)).hasSize(1);
        Run without = run("test", dir.toString());
        assertThat(without.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(without.err()).contains(diagnostic, "phiguard test: an Expectations document among the manifests"
                + " cannot be used; fix the errors above");
    }

    @Test
    void testNoExpectationsIsUsage() {
        Run run = runWithStdin(TWO_PODS, "test", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard test: no expectations: give --expect FILE, or put an Expectations"
                + " document among the manifests (`phiguard test --help` shows the format)\n");
        Run missing = runWithStdin(TWO_PODS, "test", "-", "--expect", "no/such/file.yaml");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("phiguard test: --expect no/such/file.yaml cannot be used");
    }

    @Test
    void testStandardInputCannotBeReadTwice() {
        Run run = run("test", "-", "--expect", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard test: standard input can be read once: give the manifests or"
                + " --expect as -, not both\n");
    }

    @Test
    void testOutputFileTakesTheReport(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("reports/phiguard-test.xml");
        Run run = run("test", CLINIC, "-o", "junit", "--output", report.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(report)).isEqualTo(run("test", CLINIC, "-o", "junit").out());
    }
}
