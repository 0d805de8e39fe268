package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The explain command as a user runs it: arguments in, exit code and text out. */
class ExplainCommandTest {

    /** A client, a db that admits it on its port named pg, and a Deployment that shares the db's name. */
    private static final String SHOP = """
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop, labels: {app: client}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 6000}]}]}
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

    private static final String SHOP_WITH_TWO_DBS = SHOP + """
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: shop}
            spec:
              selector: {matchLabels: {app: db2}}
              template:
                metadata: {labels: {app: db2}}
                spec: {containers: [{name: c, image: i}]}
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
                if (type == ExplainCommand.class) {
                    return type.cast(new ExplainCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
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

    // ---------------------------------------------------------------- answers

    @Test
    void testAllowedConnectionIsExplainedWithExitZero() {
        Run run = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "5432/TCP", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 5432: allowed

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: allows TCP 5432
                  isolated by shop/db-ingress (<stdin>:11:1)
                  + shop/db-ingress ingress[0] (<stdin>:17:5): allows TCP 5432; admits shop/client[Pod] by podSelector{app=client}
                """);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void testDeniedConnectionIsExplainedWithExitZero() {
        Run run = runWithStdin(SHOP, "explain", "shop/db", "shop/client", "--port", "53/udp", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("shop/db[Pod] => shop/client[Pod] on UDP 53: allowed\n");
        Run denied = runWithStdin(SHOP, "explain", "10.0.0.1", "shop/db", "-");
        assertThat(denied.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(denied.out()).startsWith(
                "10.0.0.1-10.0.0.1[External] => shop/db[Pod]: denied by the ingress of shop/db[Pod]\n");
    }

    @Test
    void testPortNameResolvesOnTheDestination() {
        // the client's own "pg" is 6000; the name means the db's container port
        Run run = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "pg", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("shop/client[Pod] => shop/db[Pod] on TCP 5432: allowed\n");
        Run reverse = runWithStdin(SHOP, "explain", "shop/db", "shop/client", "--port", "pg", "-");
        assertThat(reverse.out()).startsWith("shop/db[Pod] => shop/client[Pod] on TCP 6000: allowed\n");
    }

    @Test
    void testKindSelectsOneOfWorkloadsSharingAName() {
        Run run = runWithStdin(SHOP_WITH_TWO_DBS, "explain", "shop/db[Deployment]", "shop/client", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("shop/db[Deployment] => shop/client[Pod]: allowed All Connections\n");
    }

    // ---------------------------------------------------------------- usage errors

    @Test
    void testMisspelledWorkloadSuggestsTheClosestName() {
        Run run = runWithStdin(SHOP, "explain", "shop/client", "shop/dbb", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard explain: DST: no workload shop/dbb; did you mean shop/db[Pod]?\n");
        assertThat(run.out()).isEmpty();
        Run source = runWithStdin(SHOP, "explain", "shp/client", "shop/db", "-");
        assertThat(source.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(source.err()).isEqualTo(
                "phiguard explain: SRC: no workload shp/client; did you mean shop/client[Pod]?\n");
    }

    @Test
    void testNameOfSeveralWorkloadsAsksForTheKind() {
        Run run = runWithStdin(SHOP_WITH_TWO_DBS, "explain", "shop/db", "shop/client", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard explain: SRC: shop/db names 2 workloads"
                + " (shop/db[Pod], shop/db[Deployment]); add the kind\n");
    }

    @Test
    void testNeitherWorkloadNorAddressIsAUsageError() {
        Run run = runWithStdin(SHOP, "explain", "shop/client", "db", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo(
                "phiguard explain: DST: expected NAMESPACE/NAME[Kind] or an IP address, got 'db'\n");
        Run slashes = runWithStdin(SHOP, "explain", "shop/client/x", "shop/db", "-");
        assertThat(slashes.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(slashes.err()).isEqualTo("phiguard explain: SRC: expected NAMESPACE/NAME or NAMESPACE/NAME[Kind],"
                + " got 'shop/client/x'\n");
    }

    @Test
    void testBothEndsExternalIsAUsageError() {
        Run run = runWithStdin(SHOP, "explain", "10.0.0.1", "192.0.2.1", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard explain: SRC and DST are both addresses outside the cluster;"
                + " no policy governs traffic between them\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testBadPortIsAUsageError() {
        Run outOfRange = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "70000", "-");
        assertThat(outOfRange.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(outOfRange.err()).isEqualTo("phiguard explain: --port: Port out of range: 70000\n");
        Run protocol = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "80/ICMP", "-");
        assertThat(protocol.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(protocol.err()).isEqualTo(
                "phiguard explain: --port: unknown protocol 'ICMP', expected TCP, UDP or SCTP\n");
        Run empty = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "/TCP", "-");
        assertThat(empty.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(empty.err()).startsWith("phiguard explain: --port: ");
        assertThat(empty.out()).isEmpty();
    }

    @Test
    void testPortNameTheDestinationDoesNotHaveIsAUsageError() {
        Run run = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "http", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard explain: --port http: shop/db[Pod] has no container port named http\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testPortNameTowardsAnAddressIsAUsageError() {
        Run run = runWithStdin(SHOP, "explain", "shop/client", "192.0.2.1", "--port", "pg", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard explain: --port pg: a port name means a container port of the"
                + " destination, which is outside the cluster here; give a number\n");
    }

    @Test
    void testMissingPathIsAUsageError() {
        Run missing = runWithStdin(SHOP, "explain", "shop/client", "shop/db");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("Missing required parameter: 'PATH'");
        Run unreadable = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "no/such/folder");
        assertThat(unreadable.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unreadable.err()).startsWith("no/such/folder: error: no such file or folder\n");
        assertThat(unreadable.out()).isEmpty();
    }

    /**
     * An address is read as Kubernetes reads an ipBlock's CIDR (IpRange.parseCidr: leading zeros are
     * decimal), so that SRC 012.1.1.1 is the address an ipBlock 012.1.1.1/32 or 12.1.1.1/32 admits;
     * refusing such an address would do too. Reading it as octal (10.1.1.1) answers for another address.
     */
    @Test
    void testAddressWithLeadingZerosIsNotReadAsOctal() {
        String yaml = SHOP + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-partner, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{ipBlock: {cidr: 12.1.1.1/32}}]
                """;
        Run run = runWithStdin(yaml, "explain", "012.1.1.1", "shop/db", "-");
        assertThat(run.out()).doesNotContain("10.1.1.1");
        if (run.exitCode() == ExitCode.OK) {
            assertThat(run.out()).startsWith("12.1.1.1-12.1.1.1[External] => shop/db[Pod]: allowed All Connections\n");
        } else {
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        }
    }

    // ---------------------------------------------------------------- formats and help

    @Test
    void testJsonParsesAndCarriesTheVerdict() throws Exception {
        Run run = runWithStdin(SHOP, "explain", "shop/client", "shop/db", "--port", "5000-6000", "-o", "json", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("partly-allowed");
        assertThat(json.path("asked").path("connections").asText()).isEqualTo("TCP 5000-6000");
        assertThat(json.path("allowed").path("connections").asText()).isEqualTo("TCP 5432");
        assertThat(json.path("destination").path("id").asText()).isEqualTo("shop/db[Pod]");
        JsonNode rule = json.path("ingress").path("rules").get(0);
        assertThat(rule.path("outcome").asText()).isEqualTo("grants");
        assertThat(rule.path("location").path("file").asText()).isEqualTo("<stdin>");
        assertThat(rule.path("location").path("line").asInt()).isEqualTo(17);
    }

    @Test
    void testHelpNamesTheArgumentsAndThePortOption() {
        Run run = runWithStdin("", "explain", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("SRC", "DST", "PATH", "--port", "NAMESPACE/NAME[Kind]", "IP address",
                "-o, --format");
    }
}
