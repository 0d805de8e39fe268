package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of examples/clinic in a scratch folder, served by phiguard serve's classes on an
 * ephemeral loopback port, with an HTTP client for it. Tests change the copy, never the example.
 */
public final class ServedClinic implements AutoCloseable {
    /** Lets every workload of the cluster reach the EHR database: a change that adds findings. */
    public static final String OPEN_EHR_DB = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: ehr-db-open
              namespace: phi
            spec:
              podSelector:
                matchLabels:
                  app.kubernetes.io/name: ehr-db
              policyTypes: [Ingress]
              ingress:
                - from:
                    - namespaceSelector: {}
            """;

    public final Path folder;
    public final LiveAudit live;
    public final PhiguardServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServedClinic(Path folder, LiveAudit live, PhiguardServer server) {
        this.folder = folder;
        this.live = live;
        this.server = server;
    }

    /** Serves a copy of examples/clinic placed in {@code scratch}. */
    public static ServedClinic start(Path scratch) throws IOException {
        Path folder = scratch.resolve("clinic");
        copy(Path.of(System.getProperty("phiguard.projectRoot", "."), "examples", "clinic"), folder);
        return serve(folder);
    }

    /** Serves whatever is in {@code folder}, which may be unreadable. */
    static ServedClinic serve(Path folder) throws IOException {
        LiveAudit live = new LiveAudit(new FileSnapshotSource(List.of(folder.toString()), List.of()), null,
                Clock.systemUTC(), 50);
        live.start();
        return new ServedClinic(folder, live, PhiguardServer.start(live, "127.0.0.1", 0, "test"));
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    URI uri(String path) {
        return URI.create(server.url()).resolve(path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The data of each {@code status} event of /events, as it arrives. */
    BlockingQueue<String> followEvents() throws IOException, InterruptedException {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(uri("/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> {
            StringBuilder data = new StringBuilder();
            boolean[] status = {false};
            try {
                response.body().forEach(line -> {
                    if (line.equals("event: status")) {
                        status[0] = true;
                    } else if (line.startsWith("data: ") && status[0]) {
                        data.append(line, 6, line.length()).append('\n');
                    } else if (line.isEmpty() && status[0]) {
                        events.add(data.toString());
                        data.setLength(0);
                        status[0] = false;
                    }
                });
            } catch (UncheckedIOException e) {
                // the server closed the stream
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    /** The next event whose data contains {@code text}, waiting at most {@code seconds}; null if none came. */
    static String awaitEvent(BlockingQueue<String> events, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event != null && event.contains(text)) {
                return event;
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.close();
        live.close();
    }
}
