package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.report.ConnectivityJsonFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** phiguard serve over real HTTP on an ephemeral loopback port: every endpoint, its errors, and live updates. */
class ServerHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String OPEN_EHR_DB = ServedClinic.OPEN_EHR_DB;

    @TempDir
    static Path scratch;
    private static ServedClinic clinic;

    @BeforeAll
    static void serveTheClinic() throws IOException {
        clinic = ServedClinic.start(scratch);
    }

    @AfterAll
    static void stop() {
        if (clinic != null) {
            clinic.close();
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).get("error");
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).isEqualTo(message);
    }

    @Test
    void testBindsLoopbackOnTheAskedPort() {
        assertThat(clinic.server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(clinic.server.url()).startsWith("http://127.0.0.1:").endsWith("/");
    }

    /** A raw request, since Java's HTTP client will not send another Host than the URL's. */
    private static String rawGet(String host, String path) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(clinic.server.address().getAddress(),
                clinic.server.address().getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void testOnLoopbackOnlyRequestsForLoopbackNamesAreAnswered() throws IOException {
        int port = clinic.server.address().getPort();
        assertThat(rawGet("localhost:" + port, "/healthz")).startsWith("HTTP/1.1 200 ");
        assertThat(rawGet("127.0.0.1:" + port, "/healthz")).startsWith("HTTP/1.1 200 ");
        assertThat(rawGet("[::1]:" + port, "/healthz")).startsWith("HTTP/1.1 200 ");
        String rebound = rawGet("attacker.example:" + port, "/api/findings");
        assertThat(rebound).startsWith("HTTP/1.1 403 ").contains("\"message\" : \"Host attacker.example:" + port
                + " is not a loopback name; phiguard serve bound to 127.0.0.1 answers only requests for localhost,"
                + " 127.0.0.1 or [::1] (a guard against DNS rebinding; use --bind to serve other names)\"")
                .doesNotContain("PG004");
    }

    @Test
    void testHeadAnswersWithoutABody() {
        HttpResponse<String> head = clinic.send(HttpRequest.newBuilder(clinic.uri("/api/status"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpResponse<String> events = clinic.send(HttpRequest.newBuilder(clinic.uri("/events"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    }

    @Test
    void testHealthzAndReadyz() throws IOException {
        HttpResponse<String> health = clinic.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("ok");
        HttpResponse<String> ready = clinic.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void testReadyzIsUnavailableUntilAFirstGoodEvaluation(@TempDir Path empty) throws IOException {
        try (ServedClinic nothing = ServedClinic.serve(empty)) {
            assertThat(nothing.get("/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = nothing.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).get("reason").asText()).isEqualTo(
                    "nothing to analyse: no Namespace, NetworkPolicy or workload was read from " + empty);
            HttpResponse<String> findings = nothing.get("/api/findings");
            assertError(findings, 503, "no answer yet: nothing to analyse: no Namespace, NetworkPolicy or workload"
                    + " was read from " + empty);
            assertThat(findings.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(nothing.get("/metrics").body()).contains("phiguard_source_reachable 0.0");
            HttpResponse<String> page = nothing.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("No answer yet: the source cannot be read.");
        }
    }

    @Test
    void testStatusSaysWhatWasEvaluatedAndWhen() throws IOException {
        JsonNode status = json(clinic.get("/api/status"));
        assertThat(status.get("ready").asBoolean()).isTrue();
        assertThat(status.get("source").asText()).isEqualTo(clinic.folder.toString());
        assertThat(status.get("evaluatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(status.get("failed").asBoolean()).isTrue();
        assertThat(status.get("findings").asInt()).isEqualTo(8);
        assertThat(status.get("verdict").asText()).isEqualTo("8 findings: 6 high, 1 medium, 1 low");
        assertThat(status.get("policies").asInt()).isEqualTo(30);
        assertThat(status.get("problem").isNull()).isTrue();
    }

    @Test
    void testConnectivityIsTheJsonFormatOfConnectivity() throws IOException {
        IngestResult read = ManifestReader.read(List.of(clinic.folder.toString()), InputStream.nullInputStream());
        HttpResponse<String> response = clinic.get("/api/connectivity");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("schema").asText()).isEqualTo(ConnectivityJsonFormatter.SCHEMA_VERSION);
        assertThat(response.body()).isEqualTo(new ConnectivityJsonFormatter().format(
                ConnectivityAnalyzer.analyze(read.cluster())));
    }

    @Test
    void testFindingsAreTheAuditJson() throws IOException {
        JsonNode audit = json(clinic.get("/api/findings"));
        assertThat(audit.get("schema").asText()).isEqualTo("phiguard.dev/audit/v1");
        assertThat(audit.get("findings").size()).isEqualTo(8);
        assertThat(audit.get("profile").get("source").asText())
                .isEqualTo(clinic.folder.resolve("phiguard-profile.yaml").toString());
        assertThat(audit.toString()).contains("PG004", "phi/ehr-db[StatefulSet]");
    }

    @Test
    void testExplainAnswersAndRefusesAsTheCommandDoes() throws IOException {
        JsonNode answer = json(clinic.get("/api/explain?src=analytics/warehouse&dst=phi/ehr-db&port=5432/TCP"));
        assertThat(answer.get("schema").asText()).isEqualTo("phiguard.dev/explain/v1");
        assertThat(answer.get("verdict").asText()).isEqualTo("allowed");
        JsonNode named = json(clinic.get("/api/explain?src=analytics%2Fwarehouse&dst=phi%2Fehr-db&port=postgres"));
        assertThat(named.get("schema").asText()).isEqualTo("phiguard.dev/explain/v1");

        assertError(clinic.get("/api/explain?src=analytics/warehouse"), 400, "give src and dst:"
                + " /api/explain?src=NAMESPACE/NAME&dst=NAMESPACE/NAME&port=5432/TCP (a workload, with [Kind] when"
                + " two kinds share a name, or an IP address; port is optional)");
        assertError(clinic.get("/api/explain?src=analytics/wrhouse&dst=phi/ehr-db"), 400,
                "src: no workload analytics/wrhouse; did you mean analytics/warehouse[StatefulSet]?");
        assertError(clinic.get("/api/explain?src=8.8.8.8&dst=1.1.1.1"), 400,
                "SRC and DST are both addresses outside the cluster; no policy governs traffic between them");
        assertThat(json(clinic.get("/api/explain?src=a/b&dst=phi/ehr-db&port=99999")).get("error").get("message")
                .asText()).startsWith("port: ");
        assertError(clinic.get("/api/explain?src=a/b&src=c/d&dst=phi/ehr-db"), 400,
                "query parameter src is given twice");
    }

    @Test
    void testDiffSaysWhatPostedManifestsWouldChange() throws IOException {
        HttpResponse<String> response = clinic.post("/api/diff", OPEN_EHR_DB);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode diff = json(response);
        assertThat(diff.get("schema").asText()).isEqualTo("phiguard.dev/diff/v1");
        assertThat(diff.get("result").asText()).isEqualTo("fail");
        assertThat(diff.get("connections").get("added").size()).isPositive();
        assertThat(diff.get("connections").get("added").toString()).contains("billing/claims-worker[Deployment]",
                "phi/ehr-db[StatefulSet]", "phi/ehr-db-open");
        assertThat(diff.get("findings").get("new").size()).isPositive();
        assertThat(diff.get("before").get("label").asText()).isEqualTo(clinic.folder.toString());
        assertThat(diff.get("after").get("inputs").get(0).get("path").asText()).isEqualTo("request body");

        HttpResponse<String> same = clinic.post("/api/diff", Files.readString(
                clinic.folder.resolve("phi/network-policies.yaml"), StandardCharsets.UTF_8));
        JsonNode nothing = json(same);
        assertThat(nothing.get("connections").get("added").size()).isZero();
        assertThat(nothing.get("connections").get("removed").size()).isZero();
        assertThat(nothing.get("findings").get("new").size()).isZero();
    }

    @Test
    void testDiffRefusesBadBodies() throws IOException {
        assertError(clinic.post("/api/diff", ""), 400, "the request body is empty; send the manifests to apply as"
                + " YAML");
        HttpResponse<String> broken = clinic.post("/api/diff", OPEN_EHR_DB.replace("[Ingress]", "[Sideways]"));
        assertThat(broken.statusCode()).isEqualTo(400);
        JsonNode error = json(broken).get("error");
        assertThat(error.get("message").asText()).isEqualTo("the manifests in the request body have 1 error; nothing"
                + " was compared");
        assertThat(error.get("diagnostics").get(0).asText()).isEqualTo("request body:10:17: error: NetworkPolicy"
                + " phi/ehr-db-open: spec.policyTypes[0]: unsupported policy type, expected Ingress or Egress"
                + " ('Sideways')");
        assertError(clinic.post("/api/diff", "kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n"), 400,
                "the request body holds no Namespace, NetworkPolicy or workload; send the manifests to apply as YAML"
                        + " (Content-Type: application/yaml)");
        byte[] huge = new byte[PhiguardServer.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) '#');
        HttpResponse<String> tooLarge = clinic.send(HttpRequest.newBuilder(clinic.uri("/api/diff"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build());
        assertError(tooLarge, 413, "the request body is larger than 8 MiB");
        assertError(clinic.send(HttpRequest.newBuilder(clinic.uri("/api/diff"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 'a'})).build()), 400,
                "the request body is not UTF-8 text; Kubernetes manifests must be UTF-8");
    }

    @Test
    void testUnknownPathsAndWrongMethods() throws IOException {
        assertError(clinic.get("/api/nothing"), 404, "no such resource: /api/nothing; see docs/api.md for the API");
        assertError(clinic.get("/favicon.ico"), 404, "no such resource: /favicon.ico; see docs/api.md for the API");
        HttpResponse<String> wrong = clinic.get("/api/diff");
        assertError(wrong, 405, "/api/diff takes POST, not GET");
        assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
        assertError(clinic.post("/api/findings", "x"), 405, "/api/findings takes GET, not POST");
    }

    @Test
    void testMetricsInPrometheusExposition() {
        HttpResponse<String> response = clinic.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains(
                "# TYPE phiguard_findings gauge",
                "phiguard_findings{control=\"PG001\",severity=\"high\"} 1.0",
                "phiguard_findings{control=\"PG005\",severity=\"high\"} 2.0",
                "phiguard_findings{control=\"PG003\",severity=\"critical\"} 0.0",
                "phiguard_findings{control=\"PG009\",severity=\"low\"} 1.0",
                "phiguard_phi_workloads 6.0",
                "phiguard_phi_workloads_not_isolated 1.0",
                "phiguard_phi_workloads_reachable_from_outside_zone 6.0",
                "phiguard_policies 30.0",
                "phiguard_evaluation_phi_workloads_judged 6.0",
                "phiguard_source_reachable 1.0",
                "# TYPE phiguard_evaluation_seconds summary",
                "phiguard_evaluation_seconds_count 1",
                "# TYPE phiguard_last_success_timestamp_seconds gauge");
        double last = Double.parseDouble(response.body().lines()
                .filter(line -> line.startsWith("phiguard_last_success_timestamp_seconds ")).findFirst().orElseThrow()
                .split(" ")[1]);
        assertThat(last).isCloseTo(clinic.live.state().answer().orElseThrow().evaluatedAt().toEpochMilli() / 1000.0,
                org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void testDashboardPageHasTheMapItsScriptsAndAStrictPolicy() {
        HttpResponse<String> page = clinic.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).startsWith("default-src 'none'; ").endsWith("; connect-src 'self'")
                .doesNotContain("unsafe-eval").doesNotContain("script-src 'unsafe-inline'");
        assertThat(page.body()).contains("<section id=\"pgmap\"", "id=\"pgmap-findings\"", "id=\"pgdash-evaluated\"",
                "id=\"pgdash-banner\"", "<template id=\"pgdash-map-template\">", "<script id=\"pgmap-app\">",
                "<script data-library=\"cytoscape 3.33.1\">");
        HttpResponse<String> map = clinic.get("/api/map");
        assertThat(map.headers().firstValue("X-Phiguard-Evaluated-At"))
                .hasValue(clinic.live.state().answer().orElseThrow().evaluatedAt().toString());
        assertThat(map.body()).contains("\"phiguard.dev/network-map/v1\"");
    }

    @Test
    void testAnEventFollowsAChangedFileAndAFailedReadKeepsTheLastGoodAnswer(@TempDir Path own)
            throws IOException, InterruptedException {
        try (ServedClinic served = ServedClinic.start(own)) {
            BlockingQueue<String> events = served.followEvents();
            assertThat(ServedClinic.awaitEvent(events, "\"policies\" : 30", 10)).as("the status on connecting")
                    .isNotNull();

            Files.writeString(served.folder.resolve("phi/open.yaml"), OPEN_EHR_DB, StandardCharsets.UTF_8);
            String added = ServedClinic.awaitEvent(events, "\"policies\" : 31", 20);
            assertThat(added).as("an event after a policy file was added").isNotNull();
            assertThat(JSON.readTree(added).get("problem").isNull()).isTrue();
            assertThat(served.get("/metrics").body()).contains("phiguard_policies 31.0",
                    "phiguard_evaluation_seconds_count 2", "phiguard_evaluation_phi_workloads_judged "
                            + served.live.state().answer().orElseThrow().judged() + ".0");

            Files.writeString(served.folder.resolve("phi/open.yaml"), "kind: NetworkPolicy\n  bad: [",
                    StandardCharsets.UTF_8);
            String failed = ServedClinic.awaitEvent(events, "\"problem\" : {", 20);
            assertThat(failed).as("an event saying the read failed").isNotNull();
            JsonNode status = JSON.readTree(failed);
            assertThat(status.get("ready").asBoolean()).isTrue();
            assertThat(status.get("policies").asInt()).as("the last good answer stays").isEqualTo(31);
            assertThat(status.get("problem").get("message").asText()).startsWith("1 error in " + served.folder + ":\n"
                    + served.folder.resolve("phi/open.yaml") + ":2:");
            assertThat(served.get("/metrics").body()).contains("phiguard_source_reachable 0.0",
                    "phiguard_policies 31.0");
            assertThat(json(served.get("/api/findings")).get("findings").size()).isGreaterThan(8);

            Files.delete(served.folder.resolve("phi/open.yaml"));
            String recovered = ServedClinic.awaitEvent(events, "\"policies\" : 30", 20);
            assertThat(recovered).as("an event after the file was removed").isNotNull();
            assertThat(JSON.readTree(recovered).get("problem").isNull()).isTrue();
            assertThat(served.get("/metrics").body()).contains("phiguard_source_reachable 1.0");
        }
    }

    @Test
    void testANewFolderIsWatchedToo(@TempDir Path own) throws IOException, InterruptedException {
        try (ServedClinic served = ServedClinic.start(own)) {
            BlockingQueue<String> events = served.followEvents();
            Path folder = Files.createDirectories(served.folder.resolve("new-team/policies"));
            Files.writeString(folder.resolve("open.yaml"), OPEN_EHR_DB, StandardCharsets.UTF_8);
            assertThat(ServedClinic.awaitEvent(events, "\"policies\" : 31", 20)).isNotNull();
        }
    }
}
