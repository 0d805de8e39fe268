package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.phiguard.ingest.ClusterReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/: phiguard runs least-privileged, passes its own audit, and its dashboard reads its metrics. */
class DeployTest {
    private static final String DEPLOY = "deploy";
    private static final Set<String> METRICS = Set.of("phiguard_findings", "phiguard_phi_workloads",
            "phiguard_phi_workloads_not_isolated", "phiguard_policies", "phiguard_evaluation_seconds",
            "phiguard_last_success_timestamp_seconds", "phiguard_source_reachable");

    /**
     * phiguard held to a PHI workload's standard: its namespace counts as PHI, Prometheus may
     * scrape its port in plain HTTP, and the API server is its one destination outside.
     */
    private static final String AS_IF_PHI = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Profile
            metadata: {name: phiguard-itself}
            phi:
              namespaceSelectors: [{matchLabels: {kubernetes.io/metadata.name: phiguard}}]
            clients:
              - name: prometheus
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
                podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
                ports: [http]
                plaintext: true
            externalDestinations:
              - name: api-server
                cidrs: [10.0.0.0/28]
                ports: [443/TCP, 6443/TCP]
            failOn: low
            """;

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static List<HasMetadata> objects(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(DEPLOY, file))) {
            Object read = Serialization.unmarshal(in);
            List<HasMetadata> objects = new ArrayList<>();
            if (read instanceof List<?> list) {
                list.forEach(item -> objects.add((HasMetadata) item));
            } else {
                objects.add((HasMetadata) read);
            }
            return objects;
        }
    }

    @Test
    void testPhiguardPassesItsOwnAudit(@TempDir Path dir) throws IOException {
        Path profile = Files.writeString(dir.resolve("profile.yaml"), AS_IF_PHI);

        Run byDefault = run("audit", DEPLOY, "--fail-on", "low", "--no-color");
        Run asIfPhi = run("audit", DEPLOY, "--profile", profile.toString(), "--no-color");

        assertThat(byDefault.exitCode()).as(byDefault.out()).isZero();
        assertThat(byDefault.out()).contains("Result: PASS — 0 findings");
        assertThat(asIfPhi.exitCode()).as(asIfPhi.out()).isZero();
        assertThat(asIfPhi.out()).contains("PHI: 1 workload in 1 namespace",
                "Result: PASS — 0 findings (fails on low and above; 10 passed, 0 failed, 3 not assessed)");
        assertThat(asIfPhi.err()).doesNotContain("error");
    }

    @Test
    void testPhiguardTalksOnlyToTheApiServer() {
        Run connectivity = run("connectivity", DEPLOY);

        assertThat(connectivity.exitCode()).isZero();
        assertThat(connectivity.out()).isEqualTo(
                "phiguard/phiguard[Deployment] => 10.0.0.0-10.0.0.15[External] : TCP 443,6443\n");
    }

    @Test
    void testClusterRoleGrantsReadingWhatPhiguardReadsAndNothingMore() throws IOException {
        Set<String> granted = new TreeSet<>();
        for (HasMetadata object : objects("rbac.yaml")) {
            List<PolicyRule> rules = object instanceof ClusterRole role ? role.getRules()
                    : object instanceof Role role ? role.getRules() : List.of();
            for (PolicyRule rule : rules) {
                assertThat(rule.getVerbs()).as(object.getMetadata().getName()).isSubsetOf("get", "list", "watch");
                if (object instanceof ClusterRole) {
                    assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
                    for (String group : rule.getApiGroups()) {
                        rule.getResources().forEach(resource -> granted.add(group + "/" + resource));
                    }
                } else {
                    assertThat(rule.getResourceNames()).containsExactly("cilium-config");
                }
            }
        }
        assertThat(granted).containsExactlyInAnyOrderElementsOf(ClusterReader.resourcesRead());
    }

    @Test
    void testDeploymentRunsServeUnprivilegedWithLimits() throws IOException {
        Deployment deployment = (Deployment) objects("deployment.yaml").get(0);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getArgs()).containsSubsequence("serve", "--cluster", "--bind", "0.0.0.0");
        assertThat(pod.getServiceAccountName()).isEqualTo("phiguard");
        // the arguments are ones this version of phiguard accepts, down to the serve command's options
        picocli.CommandLine.ParseResult parsed = new picocli.CommandLine(new PhiguardCommand())
                .parseArgs(container.getArgs().toArray(String[]::new));
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(serve.cluster.cluster).isTrue();
        assertThat(serve.bind).isEqualTo("0.0.0.0");
        assertThat(container.getPorts()).extracting(port -> port.getContainerPort()).containsExactly(serve.port);
    }

    @Test
    void testDashboardQueriesOnlyTheAgreedMetrics() throws IOException {
        ConfigMap dashboard = (ConfigMap) objects("monitoring/grafana-dashboard.yaml").get(0);
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("phiguard.json"));
        Set<String> used = new TreeSet<>();
        Pattern metric = Pattern.compile("phiguard_[a-z_]+");
        for (JsonNode panel : json.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher matcher = metric.matcher(target.get("expr").asText());
                while (matcher.find()) {
                    used.add(matcher.group().replaceAll("_(sum|count|max)$", ""));
                }
            }
        }

        assertThat(json.get("uid").asText()).isEqualTo("phiguard-overview");
        assertThat(used).containsExactlyInAnyOrderElementsOf(METRICS);
        // and serve exports every one of them, by these names
        Set<String> exported = new TreeSet<>();
        Matcher series = Pattern.compile("(?m)^(phiguard_[a-z_]+?)(_sum|_count|_max)?[{ ]")
                .matcher(new dev.phiguard.server.ServerMetrics().scrape());
        while (series.find()) {
            exported.add(series.group(1));
        }
        assertThat(exported).containsAll(used);
        assertThat(objects("monitoring/servicemonitor.yaml").get(0).getKind()).isEqualTo("ServiceMonitor");
    }
}
