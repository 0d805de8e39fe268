package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.Finding;
import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.ingest.ClusterWatch;
import dev.phiguard.ingest.MockClusters;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phiguard serve --cluster}: the clinic in fabric8's mock API server (CRUD mode, real HTTP
 * on loopback), served live; what is created and deleted in the cluster shows in /api/findings, also
 * when a watch ends with 410 Gone and the informer has to list again.
 */
class ClusterSnapshotSourceTest {
    /** Not an API path: asked for by the test, it makes the expected watch send the event that ends it. */
    private static final String END_WATCH = "/test/end-watch";
    private static final String FRONTEND_UNPROTECTED = "namespace frontend has no NetworkPolicy";

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = MockClusters.start();
        client = server.createClient();
        MockClusters.load(client, Path.of("examples/clinic"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void testWhatIsCreatedAndDeletedInTheClusterShowsInApiFindings(@TempDir Path dir) throws Exception {
        Path kubeconfig = MockClusters.kubeconfig(dir, server.url("/"));
        ClusterSnapshotSource source = new ClusterSnapshotSource(
                ClusterReader.connect(new ClusterReader.Target(Optional.of(kubeconfig), Optional.empty())), List.of());
        assertThat(source.description()).isEqualTo("cluster test");
        try (LiveAudit live = new LiveAudit(source, null, Clock.systemUTC(), 50);
                PhiguardServer served = startServer(live)) {
            LiveAudit.State first = live.state();
            assertThat(first.problem()).isEmpty();
            assertThat(first.answer().orElseThrow().audit().findings()).isNotEmpty().extracting(Finding::namespace)
                    .doesNotContain("scratch");
            assertThat(source.unwatched()).isEmpty();
            HttpClient http = HttpClient.newHttpClient();
            URI findings = URI.create(served.url() + "api/findings");

            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("scratch").endMetadata()
                    .build()).create();
            client.apps().deployments().inNamespace("scratch").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("notes").withNamespace("scratch").endMetadata().withNewSpec().withNewSelector()
                    .withMatchLabels(Map.of("app", "notes")).endSelector().withNewTemplate().withNewMetadata()
                    .withLabels(Map.of("app", "notes")).endMetadata().withNewSpec().addNewContainer()
                    .withName("notes").withImage("notes:1").endContainer().endSpec().endTemplate().endSpec().build())
                    .create();
            // PG009: a namespace with workloads and no NetworkPolicy
            assertThat(awaitBody(http, findings, body -> body.contains("\"namespace\": \"scratch\"")))
                    .as("/api/findings once the new workload is seen").contains("scratch/notes[Deployment]");
            // what the informers hold reads as what listing everything again would give
            dev.phiguard.model.Cluster held = source.read().cluster();
            dev.phiguard.model.Cluster listed = dev.phiguard.ingest.ManifestReader.read(ClusterReader.read(
                    new ClusterReader.Target(Optional.of(kubeconfig), Optional.empty())), List.of(),
                    java.io.InputStream.nullInputStream()).cluster();
            assertThat(held.workloads()).containsExactlyInAnyOrderElementsOf(listed.workloads());
            assertThat(held.policies()).containsExactlyInAnyOrderElementsOf(listed.policies());
            assertThat(held.namespaces()).containsExactlyInAnyOrderElementsOf(listed.namespaces());
            assertThat(held.services()).containsExactlyInAnyOrderElementsOf(listed.services());
            assertThat(held.platform()).isEqualTo(listed.platform());
            // (the order may differ: this mock lists in the order objects were created, an API server by namespace
            // and name, which is the order the held objects are given in)

            client.apps().deployments().inNamespace("scratch").withName("notes").delete();
            client.namespaces().withName("scratch").delete();
            assertThat(awaitBody(http, findings, body -> !body.contains("\"namespace\": \"scratch\"")))
                    .as("/api/findings once the deletions are seen").doesNotContain("scratch/notes[Deployment]");
            assertThat(live.state().generation()).isGreaterThan(first.generation() + 1);
        }
    }

    @Test
    void testTheLastGoodAnswerStaysWhileTheApiServerIsDownAndTheProblemClearsWhenItIsBack(@TempDir Path dir)
            throws Exception {
        int port = server.getPort();
        Path kubeconfig = MockClusters.kubeconfig(dir, "http://127.0.0.1:" + port);
        ClusterSnapshotSource source = new ClusterSnapshotSource(
                ClusterReader.connect(new ClusterReader.Target(Optional.of(kubeconfig), Optional.empty())), List.of());
        LinkedBlockingQueue<LiveAudit.State> states = new LinkedBlockingQueue<>();
        try (LiveAudit live = new LiveAudit(source, null, Clock.systemUTC(), 50)) {
            live.start();
            assertThat(live.state().problem()).isEmpty();
            Evaluation answer = live.state().answer().orElseThrow();
            live.addListener(states::add);

            client.close();
            server.destroy();
            live.changed();
            LiveAudit.State down = awaitState(states, state -> state.problem().isPresent());
            assertThat(down.problem().get().message()).contains("127.0.0.1:" + port);
            assertThat(down.answer()).as("the last good answer stays").containsSame(answer);

            server = MockClusters.start(port);
            client = server.createClient();
            MockClusters.load(client, Path.of("examples/clinic"));
            live.changed();
            LiveAudit.State back = awaitState(states, state -> state.problem().isEmpty());
            assertThat(back.answer().orElseThrow().audit().findings()).extracting(Finding::id)
                    .isEqualTo(answer.audit().findings().stream().map(Finding::id).toList());
        }
    }

    @Test
    void testAWatchEndedWith410GoneListsAgainAndWhatChangedMeanwhileShowsInApiFindings(@TempDir Path dir)
            throws Exception {
        // what a real API server sends when the resourceVersion watched from is too old
        String resourceVersion = networkPolicyResourceVersion();
        server.expect().get().withPath(networkPolicyWatch(resourceVersion)).andUpgradeToWebSocket().open()
                .expectHttpRequest(END_WATCH).andEmit(new WatchEvent(MockClusters.status(410, "Expired",
                        "too old resource version: " + resourceVersion), "ERROR")).once()
                .done().once();
        server.expect().get().withPath(END_WATCH).andReturn(200, "").once();
        // the check for stalled informers does not come within the test: what lists again is fabric8's informer
        assertWhatChangesWhileTheWatchIsGoneShowsInApiFindings(dir, ClusterWatch.CHECK_EVERY);
    }

    @Test
    void testAWatchRefused410GoneOnReconnectingIsStartedAgainAndWhatChangedMeanwhileShowsInApiFindings(
            @TempDir Path dir) throws Exception {
        // the watch breaks off (an ERROR event other than 410 makes fabric8 reconnect from where it was), and the API
        // server no longer keeps that resourceVersion: it refuses every watch from there with an HTTP 410, which
        // fabric8 takes for a connection error and retries; phiguard's check starts a new informer, which lists
        String resourceVersion = networkPolicyResourceVersion();
        server.expect().get().withPath(networkPolicyWatch(resourceVersion)).andUpgradeToWebSocket().open()
                .expectHttpRequest(END_WATCH).andEmit(new WatchEvent(MockClusters.status(500, "InternalError",
                        "etcd watch channel closed"), "ERROR")).once()
                .done().once();
        server.expect().get().withPath(networkPolicyWatch(resourceVersion)).andReturn(410,
                MockClusters.status(410, "Expired", "too old resource version: " + resourceVersion)).always();
        server.expect().get().withPath(END_WATCH).andReturn(200, "").once();
        assertWhatChangesWhileTheWatchIsGoneShowsInApiFindings(dir, Duration.ofMillis(300));
    }

    /**
     * Serves the cluster, deletes the frontend's NetworkPolicies while the (expected) watch on NetworkPolicies tells
     * nothing, ends that watch, and checks that listing again finds the deletion and that what follows is seen.
     */
    private void assertWhatChangesWhileTheWatchIsGoneShowsInApiFindings(Path dir, Duration checkWatchesEvery)
            throws Exception {
        Path kubeconfig = MockClusters.kubeconfig(dir, server.url("/"));
        ClusterSnapshotSource source = new ClusterSnapshotSource(
                ClusterReader.connect(new ClusterReader.Target(Optional.of(kubeconfig), Optional.empty())), List.of(),
                checkWatchesEvery);
        try (LiveAudit live = new LiveAudit(source, null, Clock.systemUTC(), 50);
                PhiguardServer served = startServer(live)) {
            HttpClient http = HttpClient.newHttpClient();
            URI findings = URI.create(served.url() + "api/findings");
            assertThat(get(http, findings)).doesNotContain(FRONTEND_UNPROTECTED);
            List<NetworkPolicy> frontend = client.network().v1().networkPolicies().inNamespace("frontend").list()
                    .getItems();
            assertThat(frontend).isNotEmpty();

            client.network().v1().networkPolicies().inNamespace("frontend").delete();
            assertThat(source.read().cluster().policies()).as("the watch that is to end has not told of the deletion")
                    .anyMatch(policy -> policy.namespace().equals("frontend"));
            requestedPaths(); // forgets what was asked so far
            assertThat(get(http, URI.create(server.url(END_WATCH)))).isEmpty();
            assertThat(awaitBody(http, findings, body -> body.contains(FRONTEND_UNPROTECTED)))
                    .as("/api/findings once the policies deleted while the watch was gone are seen").isNotEmpty();
            assertThat(requestedPaths()).as("what was asked of the API server after the watch ended")
                    .anyMatch(ClusterSnapshotSourceTest::listsAllNetworkPolicies);

            // what follows is seen too
            frontend.forEach(policy -> client.resource(new NetworkPolicyBuilder(policy).editMetadata()
                    .withResourceVersion(null).withUid(null).withCreationTimestamp(null).endMetadata().build()).create());
            assertThat(awaitBody(http, findings, body -> !body.contains(FRONTEND_UNPROTECTED)))
                    .as("/api/findings once the policies created again are seen").isNotEmpty();
            assertThat(live.state().problem()).isEmpty();
            assertThat(source.unwatched()).isEmpty();
        }
    }

    /** The resourceVersion the informer on NetworkPolicies will list at and watch from, nothing changing before. */
    private String networkPolicyResourceVersion() {
        return client.network().v1().networkPolicies().inAnyNamespace().list().getMetadata().getResourceVersion();
    }

    /** What the informer on NetworkPolicies asks for to watch from {@code resourceVersion}. */
    private static String networkPolicyWatch(String resourceVersion) {
        return "/apis/networking.k8s.io/v1/networkpolicies?allowWatchBookmarks=true&resourceVersion=" + resourceVersion
                + "&timeoutSeconds=600&watch=true";
    }

    private static boolean listsAllNetworkPolicies(String path) {
        String list = "/apis/networking.k8s.io/v1/networkpolicies";
        return path.equals(list) || path.startsWith(list + "?") && !path.contains("watch=true");
    }

    /** Every path the mock API server was asked for so far, in order. */
    private List<String> requestedPaths() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (RecordedRequest request; (request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null; ) {
            paths.add(request.getPath());
        }
        return paths;
    }

    private static String get(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
    }

    private static LiveAudit.State awaitState(LinkedBlockingQueue<LiveAudit.State> states,
            Predicate<LiveAudit.State> wanted) throws InterruptedException {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; ) {
            LiveAudit.State state = states.poll(1, TimeUnit.SECONDS);
            if (state != null && wanted.test(state)) {
                return state;
            }
        }
        throw new AssertionError("no such evaluation within 30 s");
    }

    private static PhiguardServer startServer(LiveAudit live) throws IOException {
        live.start();
        return PhiguardServer.start(live, "127.0.0.1", 0, "test");
    }

    /** The body of {@code uri} once it satisfies {@code wanted}; fails after 20 seconds. */
    private static String awaitBody(HttpClient http, URI uri, Predicate<String> wanted) throws Exception {
        String body = "";
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            body = response.body();
            if (wanted.test(body)) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited 20 s for " + uri + " to change; it still reads:\n" + body);
    }
}
