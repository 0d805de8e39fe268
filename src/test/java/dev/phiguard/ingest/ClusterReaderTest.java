package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Profile;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.report.ConnectivityTxtFormatter;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceListBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a live cluster from fabric8's mock API server (CRUD mode, real HTTP on loopback): every
 * kind, the same answer as the same objects' YAML, and errors that say what to do.
 */
class ClusterReaderTest {
    private static final String CLINIC = "examples/clinic";

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

    private static PodSpec spec(String image) {
        return new PodSpecBuilder().withContainers(new ContainerBuilder().withName("main").withImage(image).build())
                .build();
    }

    private static io.fabric8.kubernetes.api.model.PodTemplateSpec template(String app) {
        return new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewMetadata()
                .addToLabels("app", app).endMetadata().withSpec(spec(app + ":1")).build();
    }

    private void createOneOfEveryKind() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels("team", "web")
                .endMetadata().build()).create();
        client.resource(new NetworkPolicyBuilder().withNewMetadata().withName("deny").withNamespace("shop")
                .endMetadata().withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .endSpec().build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build())
                .create();
        client.resource(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(2).withTemplate(template("web")).endSpec().build()).create();
        client.resource(new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withNewSpec().withTemplate(template("db")).endSpec().build()).create();
        client.resource(new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("shop")
                .endMetadata().withNewSpec().withTemplate(template("agent")).endSpec().build()).create();
        client.resource(new ReplicationControllerBuilder().withNewMetadata().withName("legacy").withNamespace("shop")
                .endMetadata().withNewSpec().withTemplate(template("legacy")).endSpec().build()).create();
        client.resource(new CronJobBuilder().withNewMetadata().withName("nightly").withNamespace("shop").endMetadata()
                .withNewSpec().withSchedule("0 1 * * *").withNewJobTemplate().withNewSpec()
                .withTemplate(template("nightly")).endSpec().endJobTemplate().endSpec().build()).create();
        // what controllers create: a Deployment's ReplicaSet and its pod, a CronJob's Job
        client.resource(new ReplicaSetBuilder().withNewMetadata().withName("web-5d8f").withNamespace("shop")
                .withOwnerReferences(owner("Deployment", "web")).endMetadata().withNewSpec()
                .withTemplate(template("web")).endSpec().build()).create();
        client.resource(new PodBuilder().withNewMetadata().withName("web-5d8f-x1").withNamespace("shop")
                .addToLabels("app", "web").withOwnerReferences(owner("ReplicaSet", "web-5d8f")).endMetadata()
                .withSpec(spec("web:1")).build()).create();
        client.resource(new JobBuilder().withNewMetadata().withName("nightly-28000").withNamespace("shop")
                .withOwnerReferences(owner("CronJob", "nightly")).endMetadata().withNewSpec()
                .withTemplate(template("nightly")).endSpec().build()).create();
        client.resource(new JobBuilder().withNewMetadata().withName("migrate").withNamespace("shop").endMetadata()
                .withNewSpec().withTemplate(template("migrate")).endSpec().build()).create();
        // a pod of a controller phiguard does not list, a bare pod, and a pod that has finished
        client.resource(new PodBuilder().withNewMetadata().withName("rollout-abc").withNamespace("shop")
                .addToLabels("app", "canary").withOwnerReferences(owner("Rollout", "canary")).endMetadata()
                .withSpec(spec("canary:1")).build()).create();
        client.resource(new PodBuilder().withNewMetadata().withName("debug").withNamespace("shop").endMetadata()
                .withSpec(spec("busybox")).build()).create();
        client.resource(new PodBuilder().withNewMetadata().withName("done").withNamespace("shop").endMetadata()
                .withSpec(spec("busybox")).withStatus(new PodStatusBuilder().withPhase("Succeeded").build()).build())
                .create();
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name)
                .withUid(name + "-uid").withController(true).build();
    }

    @Test
    void testListsEveryKindAndLetsControllersSpeakForWhatTheyOwn() throws Exception {
        createOneOfEveryKind();

        ClusterReader.Snapshot snapshot = ClusterReader.read(client, "test");
        IngestResult result = ManifestReader.read(snapshot, List.of(), new ByteArrayInputStream(new byte[0]));

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.cluster().workloads()).extracting(workload -> workload.id().toString()).containsExactly(
                "shop/web[Deployment]", "shop/db[StatefulSet]", "shop/agent[DaemonSet]",
                "shop/legacy[ReplicationController]", "shop/migrate[Job]", "shop/nightly[CronJob]",
                "shop/canary[Rollout]", "shop/debug[Pod]");
        assertThat(result.cluster().namespace("shop").orElseThrow().labels()).containsEntry("team", "web");
        assertThat(result.cluster().policies()).extracting(policy -> policy.namespacedName())
                .containsExactly("shop/deny");
        assertThat(result.cluster().services()).hasSize(1);
        Workload web = result.cluster().workloads().get(0);
        assertThat(web.replicas()).isEqualTo(2);
        assertThat(web.source()).isEqualTo(SourceRef.of("cluster:test/Deployment/shop/web"));
        assertThat(result.cluster().namespace("shop").orElseThrow().source())
                .isEqualTo(SourceRef.of("cluster:test/Namespace/shop"));
        assertThat(result.inputs()).extracting(IngestResult.Input::path).containsExactly("cluster:test");
        assertThat(result.cluster().platform().observed()).isTrue();
        assertThat(result.cluster().platform().agents()).extracting(agent -> agent.id().toString())
                .containsExactly("shop/agent[DaemonSet]", "shop/web[Deployment]");
    }

    @Test
    void testLiveClinicGivesTheAnswerOfItsManifests() throws Exception {
        MockClusters.load(client, Path.of(CLINIC));
        IngestResult fromFiles = ManifestReader.read(List.of(CLINIC), new ByteArrayInputStream(new byte[0]));

        IngestResult live = ManifestReader.read(ClusterReader.read(client, "test"), List.of(),
                new ByteArrayInputStream(new byte[0]));

        assertThat(live.diagnostics()).isEmpty();
        assertThat(new ConnectivityTxtFormatter().format(ConnectivityAnalyzer.analyze(live.cluster())))
                .isEqualTo(new ConnectivityTxtFormatter().format(ConnectivityAnalyzer.analyze(fromFiles.cluster())));
        Profile profile = fromFiles.profiles().get(0);
        AuditResult liveAudit = Auditor.audit(live.cluster(), profile);
        // the files cannot show the platform; judged with the live one, everything else must agree
        AuditResult filesAudit = Auditor.audit(fromFiles.cluster().withPlatform(live.cluster().platform()), profile);
        assertThat(liveAudit.findings()).extracting(Finding::id, Finding::message)
                .containsExactlyElementsOf(filesAudit.findings().stream()
                        .map(finding -> org.assertj.core.groups.Tuple.tuple(finding.id(), finding.message())).toList());
        assertThat(withoutSources(live.cluster())).isEqualTo(withoutSources(fromFiles.cluster()));
    }

    @Test
    void testGeneratedClusterReadLiveGivesTheAnswerOfItsManifests(@TempDir Path dir) throws Exception {
        int generated = dev.phiguard.cli.Main.run(new String[] {"generate-cluster", "--namespaces", "8",
                "--workloads", "120", "--policies", "30", "--seed", "7", "-o", dir.toString()},
                new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertThat(generated).isZero();
        MockClusters.load(client, dir);
        IngestResult fromFiles = ManifestReader.read(List.of(dir.toString()), new ByteArrayInputStream(new byte[0]));

        IngestResult live = ManifestReader.read(ClusterReader.read(client, "test"), List.of(),
                new ByteArrayInputStream(new byte[0]));

        assertThat(live.diagnostics()).isEmpty();
        assertThat(live.cluster().workloads()).hasSize(120);
        assertThat(live.cluster().policies()).hasSize(30);
        assertThat(new ConnectivityTxtFormatter().format(ConnectivityAnalyzer.analyze(live.cluster())))
                .isEqualTo(new ConnectivityTxtFormatter().format(ConnectivityAnalyzer.analyze(fromFiles.cluster())));
        assertThat(withoutSources(live.cluster())).isEqualTo(withoutSources(fromFiles.cluster()));
    }

    @Test
    void testReadingAgainWithACacheConvertsOnlyWhatChanged() throws Exception {
        MockClusters.load(client, Path.of(CLINIC));
        ManifestCache cache = new ManifestCache();
        IngestResult first = ManifestReader.read(ClusterReader.read(client, "test"), List.of(),
                new ByteArrayInputStream(new byte[0]), cache);
        assertThat(first).isEqualTo(ManifestReader.read(ClusterReader.read(client, "test"), List.of(),
                new ByteArrayInputStream(new byte[0])));
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy changed = client.network().v1().networkPolicies()
                .inNamespace("phi").list().getItems().stream()
                .filter(item -> item.getSpec().getIngress() != null && !item.getSpec().getIngress().isEmpty())
                .findFirst().orElseThrow();
        client.resource(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder(changed)
                .editMetadata().addToLabels("reviewed", "yes").endMetadata().editSpec().withIngress(List.of())
                .endSpec().build()).update();

        IngestResult second = ManifestReader.read(ClusterReader.read(client, "test"), List.of(),
                new ByteArrayInputStream(new byte[0]), cache);

        IngestResult fresh = ManifestReader.read(ClusterReader.read(client, "test"), List.of(),
                new ByteArrayInputStream(new byte[0]));
        assertThat(second).isEqualTo(fresh);
        assertThat(second).isNotEqualTo(first);
        // the snapshot's digest, made of its objects' digests, follows the change
        assertThat(second.inputs()).hasSize(1).isNotEqualTo(first.inputs());
        String name = "phi/" + changed.getMetadata().getName();
        assertThat(policy(second, name).ingress()).isEmpty();
        assertThat(policy(first, name).ingress()).isNotEmpty();
        // the other objects were taken from the first read, not converted again
        second.cluster().policies().stream().filter(p -> !p.namespacedName().equals(name)).forEach(p ->
                assertThat(p).isSameAs(policy(first, p.namespacedName())));
        assertThat(second.cluster().workloads().get(0)).isSameAs(first.cluster().workloads().get(0));
    }

    private static dev.phiguard.model.NetworkPolicy policy(IngestResult result, String namespacedName) {
        return result.cluster().policies().stream().filter(p -> p.namespacedName().equals(namespacedName))
                .findFirst().orElseThrow();
    }

    @Test
    void testLiveObjectsReadAsTheirYamlWouldBe() throws Exception {
        createOneOfEveryKind();
        MockClusters.load(client, Path.of(CLINIC));
        ClusterReader.Snapshot snapshot = ClusterReader.read(client, "test");
        StringBuilder yaml = new StringBuilder();
        for (ClusterReader.LiveObject object : snapshot.objects()) {
            ObjectNode json = Serialization.jsonMapper().valueToTree(object.object());
            json.put("kind", object.kind());
            json.put("apiVersion", object.apiVersion());
            yaml.append(Serialization.yamlMapper().writeValueAsString(json)).append('\n');
        }

        IngestResult live = ManifestReader.read(snapshot, List.of(), new ByteArrayInputStream(new byte[0]));
        IngestResult asYaml = ManifestReader.readString("live.yaml", yaml.toString());

        assertThat(asYaml.diagnostics()).isEmpty();
        assertThat(live.cluster().workloads()).hasSizeGreaterThan(10);
        assertThat(withoutSources(live.cluster())).isEqualTo(withoutSources(asYaml.cluster()));
    }

    /**
     * The cluster's objects, each printed with every source reference blanked (they differ by
     * design), in a stable order (a cluster lists by kind, files by file).
     */
    private static List<String> withoutSources(Cluster cluster) {
        return java.util.stream.Stream.of(cluster.namespaces(), cluster.workloads(), cluster.services(),
                        cluster.policies())
                .flatMap(List::stream)
                .map(object -> object.toString().replaceAll("source=[^,\\]]*", "source="))
                .sorted().toList();
    }

    @Test
    void testForbiddenNetworkPoliciesStopWithTheRuleThatGrantsThem() {
        createOneOfEveryKind();
        server.expect().get().withPath(MockClusters.NETWORK_POLICIES).andReturn(403, MockClusters.status(403,
                "Forbidden", "networkpolicies.networking.k8s.io is forbidden: User \"alice\" cannot list resource"
                        + " \"networkpolicies\" in API group \"networking.k8s.io\" at the cluster scope")).always();

        assertThatThrownBy(() -> ClusterReader.read(client, "test"))
                .isInstanceOf(ClusterReader.AccessException.class)
                .hasMessageContaining("forbids listing networkpolicies.networking.k8s.io in all namespaces (403)")
                .hasMessageContaining("kind: ClusterRole")
                .hasMessageContaining("- apiGroups: [\"networking.k8s.io\"]\n  resources: [\"networkpolicies\"]\n"
                        + "  verbs: [\"get\", \"list\", \"watch\"]")
                .hasMessageEndingWith("Check with: kubectl --context test auth can-i list networkpolicies.networking.k8s.io"
                        + " --all-namespaces");
    }

    @Test
    void testForbiddenWorkloadKindIsLeftOutWithAnErrorAndTheRestIsRead() throws Exception {
        createOneOfEveryKind();
        server.expect().get().withPath(MockClusters.DEPLOYMENTS).andReturn(403, MockClusters.status(403,
                "Forbidden", "deployments.apps is forbidden")).always();

        ClusterReader.Snapshot snapshot = ClusterReader.read(client, "test");
        IngestResult result = ManifestReader.read(snapshot, List.of(), new ByteArrayInputStream(new byte[0]));

        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "cluster:test: error: cannot list deployments.apps (403 Forbidden): Deployment objects are left out"
                        + " and the rest is analysed; their pods are still analysed if Pods can be listed, under the"
                        + " nearest owner that can be. Grant it with this ClusterRole rule: {apiGroups: [\"apps\"],"
                        + " resources: [\"deployments\"], verbs: [\"get\", \"list\", \"watch\"]}");
        // the Deployment's ReplicaSet now speaks for its pods
        assertThat(result.cluster().workloads()).extracting(workload -> workload.id().toString())
                .contains("shop/web-5d8f[ReplicaSet]", "shop/db[StatefulSet]")
                .doesNotContain("shop/web[Deployment]");
    }

    @Test
    void testListsFollowContinueTokensPageByPage() throws Exception {
        server.expect().get().withPath(MockClusters.NAMESPACES).andReturn(200, new NamespaceListBuilder()
                .withNewMetadata().withContinue("page-2").endMetadata()
                .addToItems(new NamespaceBuilder().withNewMetadata().withName("first").endMetadata().build())
                .build()).always();
        server.expect().get().withPath("/api/v1/namespaces?continue=page-2&limit=500").andReturn(200,
                new NamespaceListBuilder().withNewMetadata().endMetadata()
                        .addToItems(new NamespaceBuilder().withNewMetadata().withName("second").endMetadata().build())
                        .build()).always();

        ClusterReader.Snapshot snapshot = ClusterReader.read(client, "test");

        assertThat(snapshot.objects()).extracting(object -> object.object().getMetadata().getName())
                .containsExactly("first", "second");
    }

    @Test
    void testNoWorkloadKindReadableStopsRatherThanPassVacuously() {
        createOneOfEveryKind();
        for (String path : List.of("/api/v1/pods", "/api/v1/replicationcontrollers", "/apis/apps/v1/deployments",
                "/apis/apps/v1/statefulsets", "/apis/apps/v1/daemonsets", "/apis/apps/v1/replicasets",
                "/apis/batch/v1/jobs", "/apis/batch/v1/cronjobs")) {
            server.expect().get().withPath(path + "?limit=500").andReturn(403, MockClusters.status(403, "Forbidden",
                    "forbidden")).always();
        }

        assertThatThrownBy(() -> ClusterReader.read(client, "test"))
                .isInstanceOf(ClusterReader.AccessException.class)
                .hasMessageContaining("forbids listing deployments.apps, statefulsets.apps, daemonsets.apps,"
                        + " replicasets.apps, replicationcontrollers, jobs.batch, cronjobs.batch, pods in all namespaces"
                        + " (403); no workload of any kind can be read, and an audit of none would pass vacuously")
                .hasMessageContaining("- apiGroups: [\"batch\"]\n  resources: [\"cronjobs\"]\n");
    }

    @Test
    void testRefusedCredentialsSayToLogInAgain() {
        server.expect().get().withPath(MockClusters.NAMESPACES).andReturn(401, MockClusters.status(401,
                "Unauthorized", "Unauthorized")).always();

        assertThatThrownBy(() -> ClusterReader.read(client, "test"))
                .isInstanceOf(ClusterReader.AccessException.class)
                .hasMessageStartingWith("the API server at " + client.getConfiguration().getMasterUrl()
                        + " refused the credentials of context test (401 Unauthorized): they are missing, invalid or"
                        + " expired. Log in again")
                .hasMessageContaining("kubectl --context test auth whoami");
    }

    @Test
    void testApiServerDownSaysWhereAndWhatToCheck(@TempDir Path dir) throws Exception {
        int port = MockClusters.closedPort();
        Path kubeconfig = MockClusters.kubeconfig(dir, "http://127.0.0.1:" + port);

        assertThatThrownBy(() -> ClusterReader.read(new ClusterReader.Target(Optional.of(kubeconfig),
                Optional.empty())))
                .isInstanceOf(ClusterReader.AccessException.class)
                .hasMessage("cannot reach the API server at http://127.0.0.1:" + port + "/ (context test): connection"
                        + " refused. Is the cluster running and the context the right one? Check with: kubectl"
                        + " --context test cluster-info; choose another with --context NAME or --kubeconfig FILE");
    }

    @Test
    void testMissingOrBrokenKubeconfigSaysSo(@TempDir Path dir) throws Exception {
        Path broken = java.nio.file.Files.writeString(dir.resolve("broken"), "clusters: [unclosed");

        assertThatThrownBy(() -> ClusterReader.read(new ClusterReader.Target(Optional.of(dir.resolve("none")),
                Optional.empty())))
                .hasMessage("--kubeconfig " + dir.resolve("none") + ": no such file, or it cannot be read");
        assertThatThrownBy(() -> ClusterReader.read(new ClusterReader.Target(Optional.of(broken), Optional.empty())))
                .isInstanceOf(ClusterReader.AccessException.class)
                .hasMessageStartingWith("--kubeconfig " + broken + ": not a usable kubeconfig");
    }

    @Test
    void testUnknownContextListsTheKnownOnes(@TempDir Path dir) throws Exception {
        Path kubeconfig = MockClusters.kubeconfig(dir, "http://127.0.0.1:1");

        assertThatThrownBy(() -> ClusterReader.read(new ClusterReader.Target(Optional.of(kubeconfig),
                Optional.of("prod"))))
                .isInstanceOf(ClusterReader.AccessException.class)
                .hasMessage("--context prod: no such context in " + kubeconfig + " (it has: test)");
    }

    @Test
    void testReadsTheDefaultKubeconfigAsKubectlDoes(@TempDir Path dir) throws Exception {
        createOneOfEveryKind();
        Path kubeconfig = MockClusters.kubeconfig(dir, client.getConfiguration().getMasterUrl());
        // fabric8 reads KUBECONFIG, or this property before it; the test cannot set the environment
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", kubeconfig.toString());
        try {
            ClusterReader.Snapshot current = ClusterReader.read(ClusterReader.Target.DEFAULT);
            ClusterReader.Snapshot named = ClusterReader.read(new ClusterReader.Target(Optional.empty(),
                    Optional.of("test")));

            assertThat(current.label()).isEqualTo("cluster:test");
            assertThat(current.objects()).hasSameSizeAs(named.objects()).isNotEmpty();
            assertThatThrownBy(() -> ClusterReader.read(new ClusterReader.Target(Optional.empty(),
                    Optional.of("prod")))).hasMessage("--context prod: no such context in the kubeconfig (it has: test)");
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }

    @Test
    void testReadsThroughAKubeconfig(@TempDir Path dir) throws Exception {
        createOneOfEveryKind();
        Path kubeconfig = MockClusters.kubeconfig(dir, client.getConfiguration().getMasterUrl());

        ClusterReader.Snapshot snapshot = ClusterReader.read(new ClusterReader.Target(Optional.of(kubeconfig),
                Optional.of("test")));

        assertThat(snapshot.label()).isEqualTo("cluster:test");
        assertThat(snapshot.objects()).extracting(ClusterReader.LiveObject::kind).contains("Namespace",
                "NetworkPolicy", "Deployment", "Pod");
        assertThat(Map.of("server", snapshot.server())).containsValue(client.getConfiguration().getMasterUrl());
    }
}
