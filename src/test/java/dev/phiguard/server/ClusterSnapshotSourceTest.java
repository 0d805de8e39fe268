package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.Finding;
import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.ingest.MockClusters;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phiguard serve --cluster}: the clinic in fabric8's mock API server (CRUD mode, real HTTP
 * on loopback), served live; an object created in the cluster shows in the findings.
 */
class ClusterSnapshotSourceTest {
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
    void testAWorkloadCreatedInTheClusterShowsInTheFindings(@TempDir Path dir) throws Exception {
        Path kubeconfig = MockClusters.kubeconfig(dir, server.url("/"));
        ClusterSnapshotSource source = new ClusterSnapshotSource(
                ClusterReader.connect(new ClusterReader.Target(Optional.of(kubeconfig), Optional.empty())), List.of());
        assertThat(source.description()).isEqualTo("cluster test");
        LinkedBlockingQueue<LiveAudit.State> states = new LinkedBlockingQueue<>();
        try (LiveAudit live = new LiveAudit(source, null, Clock.systemUTC(), 50)) {
            live.start();
            LiveAudit.State first = live.state();
            assertThat(first.problem()).isEmpty();
            assertThat(first.answer().orElseThrow().audit().findings()).isNotEmpty().extracting(Finding::namespace)
                    .doesNotContain("scratch");
            assertThat(source.unwatched()).isEmpty();
            live.addListener(states::add);

            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("scratch").endMetadata()
                    .build()).create();
            client.apps().deployments().inNamespace("scratch").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("notes").withNamespace("scratch").endMetadata().withNewSpec().withNewSelector()
                    .withMatchLabels(Map.of("app", "notes")).endSelector().withNewTemplate().withNewMetadata()
                    .withLabels(Map.of("app", "notes")).endMetadata().withNewSpec().addNewContainer()
                    .withName("notes").withImage("notes:1").endContainer().endSpec().endTemplate().endSpec().build())
                    .create();

            LiveAudit.State changed = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
                LiveAudit.State state = states.poll(1, TimeUnit.SECONDS);
                if (state != null && state.answer().orElseThrow().input().cluster().workloads().stream()
                        .anyMatch(workload -> workload.namespace().equals("scratch"))) {
                    changed = state;
                    break;
                }
            }
            assertThat(changed).as("an evaluation that saw the new workload").isNotNull();
            assertThat(changed.generation()).isGreaterThan(first.generation());
            assertThat(changed.answer().orElseThrow().audit().findings()).extracting(Finding::namespace)
                    .contains("scratch");
        }
    }
}
