package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The connectivity command as a user runs it: arguments in, exit code and text out. */
class ConnectivityCommandTest {

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

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    static Run runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PhiguardCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ConnectivityCommand.class) {
                    return type.cast(new ConnectivityCommand(
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

    @Test
    void testPrintsSortedListFromStandardInput() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                0.0.0.0-255.255.255.255[External] => shop/client[Pod] : All Connections
                shop/client[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections
                shop/client[Pod] => shop/db[Pod] : TCP 5432
                shop/db[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections
                shop/db[Pod] => shop/client[Pod] : All Connections
                """);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void testFocusKeepsOnlyPairsOfThatWorkload() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "--focus", "shop/db");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] : TCP 5432
                shop/db[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections
                shop/db[Pod] => shop/client[Pod] : All Connections
                """);
    }

    @Test
    void testFocusWithKindMustMatchTheKind() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "--focus", "shop/db[Deployment]");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard connectivity: --focus: no workload shop/db[Deployment]");
    }

    @Test
    void testFocusOnAMisspelledWorkloadSuggestsTheClosestName() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "--focus", "shop/dbb");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo(
                "phiguard connectivity: --focus: no workload shop/dbb; did you mean shop/db[Pod]?\n");
    }

    @Test
    void testFocusThatIsNotNamespaceSlashNameIsAUsageError() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "--focus", "db");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard connectivity: --focus: expected NAMESPACE/NAME or"
                + " NAMESPACE/NAME[Kind], got 'db'\n");
    }

    @Test
    void testJsonNamesTheRuleThatAllowsEachPair() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "-o", "json", "--focus", "shop/client");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"policy\": \"shop/db-ingress\"", "\"rule\": \"ingress[0]\"",
                "\"file\": \"<stdin>\"", "\"line\": 17");
    }

    @Test
    void testCsvAndMarkdownHaveHeaders() {
        assertThat(runWithStdin(TWO_PODS, "connectivity", "-", "-o", "csv").out())
                .startsWith("source,destination,connections,egress_allowed_by,ingress_allowed_by\r\n")
                .contains("shop/client[Pod],shop/db[Pod],TCP 5432,(not isolated),shop/db-ingress ingress[0]\r\n");
        assertThat(runWithStdin(TWO_PODS, "connectivity", "-", "-o", "MD").out())
                .startsWith("| source | destination | connections | egress allowed by | ingress allowed by |\n")
                .contains("| shop/client[Pod] | shop/db[Pod] | TCP 5432 | (not isolated) | shop/db-ingress ingress[0] |");
    }

    @Test
    void testUnknownFormatIsAUsageErrorNamingTheChoices() {
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "-o", "yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--format'", "txt, json, csv, md");
    }

    @Test
    void testMissingPathIsAUsageErrorWithTheDiagnostic() {
        Run run = run("connectivity", "no/such/folder");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("no/such/folder: error: no such file or folder\n")
                .contains("phiguard: nothing to analyse");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testNoPathIsAUsageError() {
        Run run = run("connectivity");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'PATH'", "phiguard connectivity --help");
    }

    @Test
    void testBadObjectIsLeftOutAndTheRestAnalysed() {
        String input = TWO_PODS + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: broken, namespace: shop}
                spec:
                  podSelector: {}
                  egress:
                  - to: [{ipBlock: {cidr: 10.0.0.0/33}}]
                """;
        Run run = runWithStdin(input, "connectivity", "-");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEqualTo("""
                <stdin>:26:27: error: NetworkPolicy shop/broken: spec.egress[0].to[0].ipBlock.cidr: invalid CIDR, \
                expected an address and a prefix length such as 10.0.0.0/8 or fd00::/8 ('10.0.0.0/33')
                phiguard: read 4 objects from 1 file; 1 error, 0 warnings; left out: NetworkPolicy shop/broken
                """);
        assertThat(run.out()).contains("shop/client[Pod] => shop/db[Pod] : TCP 5432");
    }

    @Test
    void testStrictTurnsAnErrorIntoExitCodeTwo() {
        Run run = runWithStdin(TWO_PODS + "---\nkind: Pod\napiVersion: v1\nmetadata: {namespace: shop}\n", "connectivity",
                "--strict", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("metadata.name is required", "stopping because of --strict: 1 error");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testQuietPrintsErrorsButNotWarningsOrSummary() {
        String input = TWO_PODS + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\nfoo: bar\n";
        Run run = runWithStdin(input, "connectivity", "-q", "-");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        Run loud = runWithStdin(input, "connectivity", "-");
        assertThat(loud.err()).contains("warning: not a Kubernetes object (no kind); skipped",
                "kinds not analysed: ConfigMap 1");
    }

    @Test
    void testOutputWritesTheReportToAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("reports/connectivity.txt");
        Run run = runWithStdin(TWO_PODS, "connectivity", "-", "--output", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(file)).contains("shop/client[Pod] => shop/db[Pod] : TCP 5432\n");
    }

    @Test
    void testInputWithNoAnalysableObjectExitsTwo() {
        Run run = runWithStdin("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "connectivity", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard: nothing to analyse: no Namespace, NetworkPolicy or workload was read");
    }

    @Test
    void testHelpTeachesFormatsFocusAndExitCodes() {
        Run run = run("connectivity", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: phiguard connectivity", "txt, json, csv, md", "--focus",
                "helm template", "Exit codes: 0", "FILE:LINE:COLUMN");
    }

    @Test
    void testTopLevelHelpListsCommands() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: phiguard", "connectivity", "45 CFR 164.312");
    }

    @Test
    void testNoCommandIsAUsageError() {
        Run run = run();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("phiguard: a command is required.");
    }

    @Test
    void testUnknownCommandSuggestsTheClosestOne() {
        Run run = run("connectivty", "x");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unmatched argument", "connectivity");
    }

    @Test
    void testVersionPrintsTheVersion() {
        Run run = run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("phiguard ");
    }
}
