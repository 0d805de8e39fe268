package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.Platform;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The facts the cluster-only controls judge, read with fabric8's generic API from the mock API
 * server: custom resources that exist, are absent (404) or forbidden (403).
 */
class ClusterPlatformTest {
    private static final ResourceDefinitionContext PEER_AUTHENTICATION = new ResourceDefinitionContext.Builder()
            .withGroup("security.istio.io").withVersion("v1").withKind("PeerAuthentication")
            .withPlural("peerauthentications").withNamespaced(true).build();
    private static final ResourceDefinitionContext FELIX = new ResourceDefinitionContext.Builder()
            .withGroup("crd.projectcalico.org").withVersion("v1").withKind("FelixConfiguration")
            .withPlural("felixconfigurations").withNamespaced(false).build();

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = MockClusters.start();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private void crd(ResourceDefinitionContext type) {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(type.getPlural() + "." + type.getGroup()).endMetadata()
                .withNewSpec().withGroup(type.getGroup()).withScope(type.isNamespaceScoped() ? "Namespaced" : "Cluster")
                .withNewNames().withKind(type.getKind()).withPlural(type.getPlural()).endNames()
                .addNewVersion().withName(type.getVersion()).withServed(true).withStorage(true).endVersion()
                .endSpec().build()).create();
    }

    private void ciliumWithHubble() {
        client.resource(new DaemonSetBuilder().withNewMetadata().withName("cilium").withNamespace("kube-system")
                .endMetadata().withNewSpec().withNewTemplate().withNewMetadata().addToLabels("k8s-app", "cilium")
                .endMetadata().withNewSpec().addNewContainer().withName("cilium-agent")
                .withImage("quay.io/cilium/cilium:v1.16.1").endContainer().endSpec().endTemplate().endSpec().build())
                .create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("cilium-config").withNamespace("kube-system")
                .endMetadata().addToData("enable-hubble", "true").addToData("cluster-name", "prod")
                .addToData("hubble-listen-address", ":4244").build()).create();
    }

    @Test
    void testReadsPluginMeshAndFlowLogFacts() throws Exception {
        ciliumWithHubble();
        crd(PEER_AUTHENTICATION);
        crd(FELIX);
        GenericKubernetesResource strict = new GenericKubernetesResourceBuilder()
                .withApiVersion("security.istio.io/v1").withKind("PeerAuthentication")
                .withNewMetadata().withName("db").withNamespace("ehr").endMetadata()
                .addToAdditionalProperties("spec", Map.of("selector", Map.of("matchLabels", Map.of("app", "db")),
                        "mtls", Map.of("mode", "STRICT"), "portLevelMtls", Map.of("9187", Map.of("mode", "DISABLE"))))
                .build();
        client.genericKubernetesResources(PEER_AUTHENTICATION).inNamespace("ehr").resource(strict).create();
        client.genericKubernetesResources(FELIX).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("crd.projectcalico.org/v1").withKind("FelixConfiguration")
                .withNewMetadata().withName("default").endMetadata()
                .addToAdditionalProperties("spec", Map.of("flowLogsFileEnabled", true, "logSeverityScreen", "Info"))
                .build()).create();

        Platform platform = ClusterReader.read(client, "test").platform();

        assertThat(platform.observed()).isTrue();
        assertThat(platform.unread()).isEmpty();
        assertThat(platform.resourceTypes()).containsExactly("felixconfigurations.crd.projectcalico.org",
                "peerauthentications.security.istio.io");
        assertThat(platform.agents()).extracting(agent -> agent.id() + " " + agent.images())
                .containsExactly("kube-system/cilium[DaemonSet] [quay.io/cilium/cilium:v1.16.1]");
        Platform.PeerAuthentication read = platform.peerAuthentications().get(0);
        assertThat(read.namespacedName()).isEqualTo("ehr/db");
        assertThat(read.selector()).containsExactly(Map.entry("app", "db"));
        assertThat(read.mode()).isEqualTo(Platform.MtlsMode.STRICT);
        assertThat(read.portModes()).containsExactly(Map.entry(9187, Platform.MtlsMode.DISABLE));
        assertThat(read.source()).hasToString("cluster:test/PeerAuthentication/ehr/db");
        assertThat(platform.settings()).extracting(setting -> setting.kind() + " " + setting.name() + " "
                + setting.values()).containsExactly(
                "ConfigMap cilium-config {enable-hubble=true, hubble-listen-address=:4244}",
                "FelixConfiguration default {flowLogsFileEnabled=true}");
    }

    @Test
    void testAbsentCustomResourcesAreInformationNotProblems() throws Exception {
        Platform platform = ClusterReader.read(client, "test").platform();

        assertThat(platform.observed()).isTrue();
        assertThat(platform.resourceTypes()).isEmpty();
        assertThat(platform.peerAuthentications()).isEmpty();
        assertThat(platform.settings()).isEmpty();
        assertThat(platform.unread()).isEmpty();
    }

    @Test
    void testForbiddenCustomResourcesAreNamedWithTheRuleThatGrantsThem() throws Exception {
        ciliumWithHubble();
        server.expect().get().withPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions?limit=500").andReturn(403,
                MockClusters.status(403, "Forbidden", "forbidden")).always();
        server.expect().get().withPath("/apis/security.istio.io/v1/peerauthentications?limit=500").andReturn(403,
                MockClusters.status(403, "Forbidden", "forbidden")).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/configmaps/cilium-config").andReturn(403,
                MockClusters.status(403, "Forbidden", "forbidden")).always();

        ClusterReader.Snapshot snapshot = ClusterReader.read(client, "test");

        assertThat(snapshot.diagnostics()).isEmpty();
        assertThat(snapshot.platform().unread()).containsOnlyKeys("ConfigMap kube-system/cilium-config",
                "CustomResourceDefinition", "PeerAuthentication");
        assertThat(snapshot.platform().unread().get("PeerAuthentication")).isEqualTo("Istio PeerAuthentications"
                + " cannot be listed (403); grant {apiGroups: [\"security.istio.io\"], resources:"
                + " [\"peerauthentications\"], verbs: [\"get\", \"list\", \"watch\"]}");
        // the agents were still read
        assertThat(snapshot.platform().agents()).hasSize(1);
    }
}
