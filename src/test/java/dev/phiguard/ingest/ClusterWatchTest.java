package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which writes in a live cluster make {@code serve --cluster} read it again. */
class ClusterWatchTest {

    private static Pod pod(String phase, Map<String, String> labels, String image, String resourceVersion) {
        return new PodBuilder().withNewMetadata().withName("db").withNamespace("phi").withLabels(labels)
                .withResourceVersion(resourceVersion).endMetadata().withNewSpec().addNewContainer().withName("db")
                .withImage(image).endContainer().endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Deployment deployment(long generation, int readyReplicas, String resourceVersion) {
        return new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("phi")
                .withGeneration(generation).withResourceVersion(resourceVersion).endMetadata().withNewStatus()
                .withReadyReplicas(readyReplicas).endStatus().build();
    }

    @Test
    void testAPodsStatusIsNoChangeButItsLabelsSpecAndEndAre() {
        Pod running = pod("Running", Map.of("app", "db"), "postgres:16", "1");
        Pod heartbeat = new PodBuilder(running).editMetadata().withResourceVersion("2").endMetadata().editStatus()
                .withMessage("probe ok").endStatus().build();
        assertThat(ClusterWatch.matters(running, heartbeat)).isFalse();
        assertThat(ClusterWatch.matters(running, pod("Running", Map.of("app", "db", "tier", "data"), "postgres:16",
                "2"))).isTrue();
        assertThat(ClusterWatch.matters(running, pod("Running", Map.of("app", "db"), "postgres:17", "2"))).isTrue();
        assertThat(ClusterWatch.matters(running, pod("Succeeded", Map.of("app", "db"), "postgres:16", "2")))
                .isTrue();
    }

    @Test
    void testAControllerChangesWithItsGenerationNotItsStatus() {
        assertThat(ClusterWatch.matters(deployment(3, 1, "10"), deployment(3, 2, "11"))).isFalse();
        assertThat(ClusterWatch.matters(deployment(3, 2, "11"), deployment(4, 2, "12"))).isTrue();
    }
}
