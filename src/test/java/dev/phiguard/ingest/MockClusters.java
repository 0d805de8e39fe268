package dev.phiguard.ingest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Stream;

/**
 * fabric8's mock API server in CRUD mode (real HTTP on loopback), where expectations set with
 * {@code server.expect()} answer first, and kubeconfig files that point at it.
 */
public final class MockClusters {
    /** The path of an unpaged list of all objects of a kind, as phiguard asks for it. */
    public static final String NAMESPACES = "/api/v1/namespaces?limit=500";
    public static final String NETWORK_POLICIES = "/apis/networking.k8s.io/v1/networkpolicies?limit=500";
    public static final String DEPLOYMENTS = "/apis/apps/v1/deployments?limit=500";

    // the mock server logs every request at INFO; held here, since loggers are only weakly referenced
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private MockClusters() {
    }

    /** A started server; close it with {@code destroy()}. */
    public static KubernetesMockServer start() {
        KubernetesMockServer server = create();
        server.init();
        return server;
    }

    /** A started server on a given loopback port: an API server back where it was. */
    public static KubernetesMockServer start(int port) {
        KubernetesMockServer server = create();
        server.init(java.net.InetAddress.getLoopbackAddress(), port);
        return server;
    }

    private static KubernetesMockServer create() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        return new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
    }

    /** Creates every Kubernetes object of the manifests under {@code dir} (phiguard's own documents left out). */
    public static void load(KubernetesClient client, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(path -> path.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata object : client.load(in).items()) {
                    if (object.getApiVersion().startsWith("phiguard.dev/")) {
                        continue;
                    }
                    if (object instanceof Namespaced && object.getMetadata().getNamespace() == null) {
                        object.getMetadata().setNamespace("default");
                    }
                    client.resource(object).create();
                }
            }
        }
    }

    /** A kubeconfig with one context, {@code test}, for the server at {@code url} with a bearer token. */
    public static Path kubeconfig(Path dir, String url) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: test
                  context: {cluster: mock, user: tester}
                current-context: test
                users:
                - name: tester
                  user: {token: not-a-secret}
                """.formatted(url));
        return file;
    }

    /** A loopback port nothing listens on: the API server is down. */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The Status body of an error response, as the API server writes it. */
    public static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                .build();
    }
}
