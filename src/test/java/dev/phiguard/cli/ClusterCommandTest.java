package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.phiguard.ingest.MockClusters;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connectivity, audit, explain and diff with --cluster, against fabric8's mock API server holding the clinic. */
class ClusterCommandTest {
    private static final String CLINIC = "examples/clinic";
    private static final String PROFILE = "examples/clinic/phiguard-profile.yaml";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private String kubeconfig;

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = MockClusters.start();
        client = server.createClient();
        MockClusters.load(client, Path.of(CLINIC));
        kubeconfig = MockClusters.kubeconfig(dir, client.getConfiguration().getMasterUrl()).toString();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void testConnectivityOfTheLiveClusterIsThatOfItsManifests() {
        Run live = run("connectivity", "--cluster", "--kubeconfig", kubeconfig, "--context", "test");
        Run files = run("connectivity", CLINIC);

        assertThat(live.exitCode()).isZero();
        assertThat(live.err()).isEmpty();
        assertThat(live.out()).isEqualTo(files.out()).contains("phi/ehr-db[StatefulSet]");
    }

    @Test
    void testAuditOfTheLiveClusterFindsWhatTheManifestsShowAndAssessesTheClusterControls() {
        Run live = run("audit", "--cluster", "--kubeconfig", kubeconfig, "--profile", PROFILE, "--no-color");

        assertThat(live.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(live.out()).contains("cluster:test/NetworkPolicy/phi/ehr-db-ingress")
                .contains("PG004")
                .doesNotContain("needs --cluster");
    }

    @Test
    void testJsonOfALiveAuditFollowsTheAuditSchema() throws Exception {
        Run live = run("audit", "--cluster", "--kubeconfig", kubeconfig, "--profile", PROFILE, "-o", "json");

        try (java.io.InputStream in = getClass().getResourceAsStream("/schema/audit-v1.json")) {
            com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry
                    .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(in);
            assertThat(schema.validate(live.out(), com.networknt.schema.InputFormat.JSON)).isEmpty();
        }
        JsonNode json = new ObjectMapper().readTree(live.out());
        assertThat(json.toString()).contains("{\"file\":\"cluster:test/NetworkPolicy/phi/ehr-db-ingress\"}");
    }

    @Test
    void testClusterControlsAreJudgedOnWhatTheClusterRuns() {
        runCiliumWithHubble();

        Run live = run("audit", "--cluster", "--kubeconfig", kubeconfig, "--profile", PROFILE, "--no-color");

        assertThat(live.out()).contains(
                "PASS  PG011  critical  The cluster's network plugin enforces NetworkPolicy",
                "FAIL  PG012  high      Mutual TLS from a service mesh covers every PHI workload — 6 findings",
                "PASS  PG013  medium    Network flow logging is on",
                "PHI workload phi/ehr-db[StatefulSet] is not covered by mesh mutual TLS: no service mesh found"
                        + " (neither Istio nor Linkerd)",
                "cluster:test/StatefulSet/phi/ehr-db");
    }

    /** The live formats are those of manifests with cluster:CONTEXT/Kind/namespace/name for file:line:column. */
    @Test
    void testLiveOutputsMatchTheirGoldenFiles() {
        runCiliumWithHubble();

        Run audit = run("audit", "--cluster", "--kubeconfig", kubeconfig, "--profile", PROFILE, "--no-color");
        Run connectivity = run("connectivity", "--cluster", "--kubeconfig", kubeconfig, "-o", "json");

        dev.phiguard.report.Golden.assertMatches("live/audit.txt", audit.out());
        dev.phiguard.report.Golden.assertMatches("live/connectivity.json", connectivity.out());
    }

    private void runCiliumWithHubble() {
        client.resource(new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder().withNewMetadata()
                .withName("cilium").withNamespace("kube-system").endMetadata().withNewSpec().withNewTemplate()
                .withNewMetadata().addToLabels("k8s-app", "cilium").endMetadata().withNewSpec().addNewContainer()
                .withName("agent").withImage("quay.io/cilium/cilium:v1.16.1").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        client.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("cilium-config").withNamespace("kube-system").endMetadata()
                .addToData("enable-hubble", "true").build()).create();
    }

    @Test
    void testExplainOnTheLiveCluster() {
        Run live = run("explain", "analytics/warehouse", "phi/ehr-db", "--port", "5432", "--cluster", "--kubeconfig",
                kubeconfig);

        assertThat(live.exitCode()).isZero();
        assertThat(live.out()).startsWith("analytics/warehouse[StatefulSet] => phi/ehr-db[StatefulSet] on TCP 5432:"
                + " allowed").contains("phi/ehr-db-ingress ingress[1] (cluster:test/NetworkPolicy/phi/ehr-db-ingress)");
    }

    @Test
    void testExpectationsHoldAgainstTheLiveClusterAsAgainstItsManifests() {
        Run live = run("test", "--cluster", "--kubeconfig", kubeconfig, "--expect",
                "examples/clinic/expectations.yaml");
        Run files = run("test", CLINIC, "--expect", "examples/clinic/expectations.yaml");

        assertThat(live.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(live.out()).endsWith("Result: FAIL — 24 assertions: 18 passed, 6 failed, 0 errors\n");
        assertThat(live.out().replaceAll("\\(cluster:test/[^)]*\\)", "(…)"))
                .isEqualTo(files.out().replaceAll("\\(examples/clinic/[a-z-]+/[a-z-]+\\.yaml:[0-9:]+\\)", "(…)"));
    }

    @Test
    void testSarifOfALiveAuditPointsAtObjectsNotFiles() throws Exception {
        Run live = run("audit", "--cluster", "--kubeconfig", kubeconfig, "--profile", PROFILE, "-o", "sarif");

        JsonNode sarif = new ObjectMapper().readTree(live.out());
        JsonNode run = sarif.get("runs").get(0);
        assertThat(run.get("artifacts").get(0).get("description").get("text").asText()).isEqualTo("cluster:test");
        assertThat(run.get("artifacts").get(0).has("location")).isFalse();
        for (JsonNode result : run.get("results")) {
            JsonNode location = result.get("locations").get(0);
            assertThat(location.has("physicalLocation")).as(result.toString()).isFalse();
            assertThat(location.get("logicalLocations").get(0).get("fullyQualifiedName").asText())
                    .startsWith("cluster:test");
        }
        assertThat(run.get("results")).isNotEmpty();
        try (java.io.InputStream in = getClass().getResourceAsStream("/sarif/sarif-2.1.0.json")) {
            com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry
                    .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(in);
            assertThat(schema.validate(live.out(), com.networknt.schema.InputFormat.JSON)).isEmpty();
        }
        Files.writeString(Path.of("target", "live-audit.sarif"), live.out());
        assertThat(live.out()).doesNotContain("\"uri\" : \"cluster");
    }

    @Test
    void testDiffOfAPullRequestAgainstTheLiveCluster() throws Exception {
        // the fix of planted mistake 1: only the export job of analytics reaches the EHR database
        Path pr = Files.writeString(dir.resolve("ehr-db-ingress.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: ehr-db-ingress, namespace: phi}
                spec:
                  podSelector: {matchLabels: {app.kubernetes.io/name: ehr-db}}
                  policyTypes: [Ingress]
                  ingress:
                  - from:
                    - podSelector: {matchLabels: {app.kubernetes.io/name: fhir-server}}
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: analytics}}
                      podSelector: {matchLabels: {app.kubernetes.io/name: deid-export}}
                    ports: [{port: 5432}]
                """);

        Run diff = run("diff", "--cluster", "--kubeconfig", kubeconfig, "--profile", PROFILE, pr.toString(),
                "--no-color");

        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("analytics/reporting[Deployment] => phi/ehr-db[StatefulSet]")
                .contains("cluster:test");
    }

    @Test
    void testDriftOfTheLiveClusterFromItsManifestsIsNone() {
        Run diff = run("diff", "--cluster", "--drift", "--kubeconfig", kubeconfig, CLINIC, "-o", "json");

        assertThat(diff.exitCode()).as(diff.err()).isZero();
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(diff.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(json.get("before").get("label").asText()).isEqualTo(CLINIC);
        assertThat(json.get("after").get("label").asText()).isEqualTo("cluster:test");
        assertThat(json.get("summary").get("connections").toString()).isEqualTo("{\"added\":0,\"removed\":0,\"changed\":0}");
        assertThat(json.get("summary").get("findings").get("new").asInt()).isZero();
    }

    @Test
    void testUnreachableClusterExitsTwoWithoutAStackTrace() throws Exception {
        Path down = MockClusters.kubeconfig(Files.createDirectory(dir.resolve("down")),
                "http://127.0.0.1:" + MockClusters.closedPort());

        Run audit = run("audit", "--cluster", "--kubeconfig", down.toString());

        assertThat(audit.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(audit.err()).startsWith("phiguard: cannot reach the API server at http://127.0.0.1:")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(audit.out()).isEmpty();
    }

    @Test
    void testForbiddenPoliciesExitTwoWithAClusterRoleToApply() {
        server.expect().get().withPath(MockClusters.NETWORK_POLICIES).andReturn(403, MockClusters.status(403,
                "Forbidden", "networkpolicies.networking.k8s.io is forbidden")).always();

        Run connectivity = run("connectivity", "--cluster", "--kubeconfig", kubeconfig);

        assertThat(connectivity.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(connectivity.err()).contains("forbids listing networkpolicies.networking.k8s.io")
                .contains("kind: ClusterRole\n").contains("  verbs: [\"get\", \"list\", \"watch\"]\n")
                .doesNotContain("\tat ");
    }

    @Test
    void testClusterOptionsNeedClusterAndSomethingMustBeRead() {
        Run noInput = run("audit");
        Run contextAlone = run("connectivity", CLINIC, "--context", "prod");
        Run driftAlone = run("diff", "--drift", CLINIC, CLINIC);

        assertThat(noInput.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noInput.err()).isEqualTo("phiguard audit: Missing required parameter: 'PATH' (the manifests to read), or"
                + " --cluster to read the live cluster\nRun 'phiguard audit --help' for usage.\n");
        assertThat(contextAlone.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(contextAlone.err()).contains("--context needs --cluster");
        assertThat(driftAlone.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(driftAlone.err()).contains("--drift needs --cluster");
    }

    @Test
    void testHelpTeachesTheClusterOptions() {
        for (String command : new String[] {"connectivity", "audit", "explain", "diff", "test"}) {
            Run help = run(command, "--help");
            assertThat(help.out()).as(command).contains("--cluster").contains("--context=NAME")
                    .contains("--kubeconfig=FILE").contains("deploy/rbac.yaml");
        }
    }
}
