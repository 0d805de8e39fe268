package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scrapes phiguard serve on loopback, and phiguard's metrics
 * are read back through Prometheus' query API: the exposition is one Prometheus accepts, and the
 * names are the ones dashboards query. Skipped, saying so, where the binary is missing;
 * .ci/run installs it and fails when this test was skipped.
 */
class PrometheusScrapeTest {
    private static final List<String> BINARIES = List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<String> binary() {
        String configured = System.getenv("PHIGUARD_PROMETHEUS");
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? Optional.of(configured) : Optional.empty();
        }
        return BINARIES.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The value of the single series {@code query} returns, or empty while Prometheus has none. */
    private static Optional<String> query(HttpClient client, int port, String query) throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode result = JSON.readTree(response.body()).path("data").path("result");
            return result.size() == 1 ? Optional.of(result.get(0).get("value").get(1).asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String awaitValue(HttpClient client, int port, String query, Process prometheus)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && prometheus.isAlive()) {
            Optional<String> value = query(client, port, query);
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(250);
        }
        return null;
    }

    @Test
    void testPrometheusScrapesServeAndAnswersWithPhiguardMetrics(@TempDir Path scratch)
            throws IOException, InterruptedException {
        Optional<String> prometheus = binary();
        Assumptions.assumeTrue(prometheus.isPresent(), "Prometheus test skipped: the prometheus binary is not"
                + " installed (Debian: apt-get install prometheus; or set PHIGUARD_PROMETHEUS). .ci/run installs it"
                + " and fails when this test is skipped.");
        try (ServedClinic clinic = ServedClinic.start(scratch)) {
            int port = freePort();
            Path config = scratch.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: phiguard
                        scrape_interval: 1s
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(clinic.server.address().getPort()), StandardCharsets.UTF_8);
            Path log = scratch.resolve("prometheus.log");
            Process process = new ProcessBuilder(prometheus.get(), "--config.file=" + config,
                    "--storage.tsdb.path=" + scratch.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                String policies = awaitValue(client, port, "phiguard_policies{job=\"phiguard\"}", process);
                assertThat(policies).as("phiguard_policies through Prometheus; its log:%n%s",
                        Files.exists(log) ? Files.readString(log) : "").isEqualTo("30");
                assertThat(query(client, port, "phiguard_findings{control=\"PG005\",severity=\"high\"}"))
                        .hasValue("2");
                assertThat(query(client, port, "sum(phiguard_findings)")).hasValue("8");
                assertThat(query(client, port, "phiguard_source_reachable")).hasValue("1");
                assertThat(query(client, port, "phiguard_phi_workloads")).hasValue("6");
                assertThat(query(client, port, "up{job=\"phiguard\"}")).hasValue("1");
            } finally {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
