package dev.phiguard.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Platform;
import dev.phiguard.model.Platform.MtlsMode;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.WorkloadId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * PG011-PG013 on what a live cluster shows, each passing and failing: the evaluation is pure,
 * so the platform facts are built here as the reader would gather them.
 */
class ClusterControlsTest {

    /** A PHI namespace with one PHI database listening on 5432 and 9187, and a policy. */
    private static final String PHI = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ehr, annotations: {phiguard.io/phi: "true"}, labels: {%s}}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: ehr}
            spec:
              template:
                metadata: {labels: {app: db}, annotations: {%s}}
                spec: {containers: [{name: c, image: postgres, ports: [{containerPort: 5432}, {containerPort: 9187}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: ehr}
            spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
            """;

    private static final WorkloadId DB = new WorkloadId("ehr", "db", "StatefulSet");

    private static Cluster cluster(String namespaceLabels, String podAnnotations) {
        var read = ManifestReader.readString("c.yaml", PHI.formatted(namespaceLabels, podAnnotations));
        assertThat(read.diagnostics()).isEmpty();
        return read.cluster();
    }

    private static Platform.Agent daemonSet(String namespace, String name, String image) {
        return new Platform.Agent(new WorkloadId(namespace, name, "DaemonSet"), List.of(image),
                SourceRef.of("cluster:t/DaemonSet/" + namespace + "/" + name));
    }

    private static Platform.Agent deployment(String namespace, String name) {
        return new Platform.Agent(new WorkloadId(namespace, name, "Deployment"), List.of("img"),
                SourceRef.of("cluster:t/Deployment/" + namespace + "/" + name));
    }

    private static Platform platform(List<Platform.Agent> agents, List<String> types,
            List<Platform.PeerAuthentication> peerAuthentications, List<Platform.Setting> settings,
            Map<String, String> unread) {
        return Platform.observed(SourceRef.of("cluster:t"), agents, new TreeSet<>(types), peerAuthentications, settings, unread);
    }

    private static Platform platform(List<Platform.Agent> agents, List<String> types) {
        return platform(agents, types, List.of(), List.of(), Map.of());
    }

    private static Platform.PeerAuthentication peerAuthentication(String namespace, String name,
            Map<String, String> selector, MtlsMode mode, Map<Integer, MtlsMode> ports) {
        return new Platform.PeerAuthentication(namespace, name, new TreeMap<>(selector), mode, new TreeMap<>(ports),
                SourceRef.of("cluster:t/PeerAuthentication/" + namespace + "/" + name));
    }

    private static ControlResult judge(Cluster cluster, Platform platform, String id) {
        AuditResult result = Auditor.audit(cluster.withPlatform(platform), ProfileReader.defaultProfile());
        return result.controls().stream().filter(control -> control.control().id().equals(id)).findFirst()
                .orElseThrow();
    }

    private static final Cluster PLAIN = cluster("", "");

    // ---------------------------------------------------------------- PG011

    @Test
    void testEnforcingPluginsAreRecognisedByDaemonSetOrCustomResources() {
        List<Platform> enforcing = List.of(
                platform(List.of(daemonSet("calico-system", "calico-node", "docker.io/calico/node:v3.28.0")), List.of()),
                platform(List.of(daemonSet("kube-system", "agent", "quay.io/cilium/cilium:v1.16.1@sha256:abc")), List.of()),
                platform(List.of(daemonSet("kube-system", "antrea-agent", "antrea/antrea-agent-ubuntu:v2.1")), List.of()),
                platform(List.of(daemonSet("kube-system", "weave-net", "weaveworks/weave-kube:2.8.1")), List.of()),
                platform(List.of(daemonSet("kube-system", "kube-router", "cloudnativelabs/kube-router:v2.1")), List.of()),
                platform(List.of(daemonSet("ovn-kubernetes", "ovnkube-node", "ghcr.io/ovn-org/ovn-kubernetes/ovn-kube-ubuntu:master")), List.of()),
                platform(List.of(), List.of("ciliumnetworkpolicies.cilium.io")),
                platform(List.of(), List.of("networkpolicies.crd.antrea.io")),
                // Canal: flannel for the network, Calico for policy
                platform(List.of(daemonSet("kube-system", "kube-flannel-ds", "flannel/flannel:v0.25"),
                        daemonSet("kube-system", "calico-node", "calico/node:v3.28.0")), List.of()));
        for (Platform platform : enforcing) {
            ControlResult result = judge(PLAIN, platform, "PG011");
            assertThat(result.status()).as(platform.toString()).isEqualTo(ControlResult.Status.PASS);
            assertThat(result.evidence()).as(platform.toString()).anyMatch(line -> line.contains("(enforces NetworkPolicy)"));
        }
    }

    @Test
    void testFlannelAloneIsCritical() {
        ControlResult result = judge(PLAIN, platform(List.of(daemonSet("kube-flannel", "kube-flannel-ds",
                "docker.io/flannel/flannel:v0.25.1")), List.of()), "PG011");

        assertThat(result.status()).isEqualTo(ControlResult.Status.FAIL);
        Finding finding = result.findings().get(0);
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.message()).isEqualTo("the network plugin is flannel alone, which does not enforce"
                + " NetworkPolicy: the 1 NetworkPolicy here are decoration, and every pod can reach every other");
        assertThat(finding.location()).hasToString("cluster:t/DaemonSet/kube-flannel/kube-flannel-ds");
        assertThat(finding.remediation().text()).contains("Calico");
    }

    @Test
    void testKindnetAloneIsCritical() {
        ControlResult result = judge(PLAIN, platform(List.of(daemonSet("kube-system", "kindnet",
                "docker.io/kindest/kindnetd:v20240513")), List.of()), "PG011");

        assertThat(result.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(result.findings().get(0).message()).startsWith("the network plugin is kindnet alone");
    }

    @Test
    void testUnknownPluginIsNotAssessedAndSaysWhatWasUnreadable() {
        ControlResult unknown = judge(PLAIN, platform(List.of(daemonSet("kube-system", "aws-node",
                "amazon-k8s-cni:v1.18")), List.of()), "PG011");
        ControlResult unread = judge(PLAIN, platform(List.of(), List.of(), List.of(), List.of(),
                Map.of("DaemonSet", "DaemonSets cannot be listed; grant X")), "PG011");

        assertThat(unknown.status()).isEqualTo(ControlResult.Status.NOT_ASSESSED);
        assertThat(unknown.reason()).startsWith("no network plugin phiguard recognises was found");
        assertThat(unread.status()).isEqualTo(ControlResult.Status.NOT_ASSESSED);
        assertThat(unread.reason()).endsWith("; DaemonSets cannot be listed; grant X");
    }

    @Test
    void testWithoutAClusterTheyStayNotAssessed() {
        AuditResult result = Auditor.audit(PLAIN, ProfileReader.defaultProfile());

        assertThat(result.controls()).filteredOn(control -> control.control().needsCluster())
                .allSatisfy(control -> {
                    assertThat(control.status()).isEqualTo(ControlResult.Status.NOT_ASSESSED);
                    assertThat(control.reason()).isEqualTo("needs --cluster: manifests cannot show it");
                });
    }

    // ---------------------------------------------------------------- PG012

    private static final List<String> ISTIO = List.of("peerauthentications.security.istio.io");

    @Test
    void testIstioStrictMeshWideCoversAnInjectedPhiWorkload() {
        Platform platform = platform(List.of(), ISTIO, List.of(peerAuthentication("istio-system", "default", Map.of(),
                MtlsMode.STRICT, Map.of())), List.of(), Map.of());

        ControlResult result = judge(cluster("istio-injection: enabled", ""), platform, "PG012");

        assertThat(result.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(result.evidence()).containsExactly(
                "ehr/db[StatefulSet]: Istio STRICT by PeerAuthentication istio-system/default");
    }

    @Test
    void testNamespacePermissiveOverridesMeshStrict() {
        Platform platform = platform(List.of(), ISTIO, List.of(
                peerAuthentication("istio-system", "default", Map.of(), MtlsMode.STRICT, Map.of()),
                peerAuthentication("ehr", "legacy", Map.of(), MtlsMode.PERMISSIVE, Map.of())), List.of(), Map.of());

        ControlResult result = judge(cluster("istio-injection: enabled", ""), platform, "PG012");

        assertThat(result.status()).isEqualTo(ControlResult.Status.FAIL);
        Finding finding = result.findings().get(0);
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.workloads()).containsExactly(DB);
        assertThat(finding.message()).isEqualTo("PHI workload ehr/db[StatefulSet] is not covered by mesh mutual TLS:"
                + " PeerAuthentication ehr/legacy sets mode PERMISSIVE");
        assertThat(finding.remediation().text()).contains("mode: STRICT");
    }

    @Test
    void testWorkloadStrictOverridesNamespacePermissiveButAPortCanDisableIt() {
        Platform strict = platform(List.of(), ISTIO, List.of(
                peerAuthentication("ehr", "ns", Map.of(), MtlsMode.PERMISSIVE, Map.of()),
                peerAuthentication("ehr", "db", Map.of("app", "db"), MtlsMode.STRICT, Map.of())), List.of(), Map.of());
        Platform portDisabled = platform(List.of(), ISTIO, List.of(
                peerAuthentication("ehr", "db", Map.of("app", "db"), MtlsMode.STRICT, Map.of(9187, MtlsMode.DISABLE))),
                List.of(), Map.of());
        Platform unsetInherits = platform(List.of(), ISTIO, List.of(
                peerAuthentication("ehr", "ns", Map.of(), MtlsMode.STRICT, Map.of()),
                peerAuthentication("ehr", "db", Map.of("app", "db"), MtlsMode.UNSET, Map.of())), List.of(), Map.of());
        Cluster injected = cluster("istio-injection: enabled", "");

        assertThat(judge(injected, strict, "PG012").status()).isEqualTo(ControlResult.Status.PASS);
        ControlResult disabled = judge(injected, portDisabled, "PG012");
        assertThat(disabled.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(disabled.findings().get(0).message()).endsWith("PeerAuthentication ehr/db sets port 9187 to DISABLE");
        assertThat(judge(injected, unsetInherits, "PG012").evidence()).containsExactly(
                "ehr/db[StatefulSet]: Istio STRICT by PeerAuthentication ehr/ns");
    }

    @Test
    void testStrictWithoutASidecarCoversNothing() {
        Platform platform = platform(List.of(), ISTIO, List.of(peerAuthentication("istio-system", "default", Map.of(),
                MtlsMode.STRICT, Map.of())), List.of(), Map.of());

        ControlResult notInjected = judge(PLAIN, platform, "PG012");
        ControlResult optedOut = judge(cluster("istio-injection: enabled", "sidecar.istio.io/inject: \"false\""),
                platform, "PG012");

        assertThat(notInjected.findings().get(0).message()).endsWith("its pods get no Istio sidecar (namespace ehr"
                + " has neither istio-injection=enabled nor istio.io/rev, and the pods do not ask for one)");
        assertThat(optedOut.findings().get(0).message()).endsWith(
                "its pods opt out of the Istio sidecar (sidecar.istio.io/inject: \"false\")");
    }

    @Test
    void testLinkerdInjectionCoversAPhiWorkload() {
        Platform linkerd = platform(List.of(deployment("linkerd", "linkerd-destination")), List.of());

        ControlResult injected = judge(cluster("", "linkerd.io/inject: enabled"), linkerd, "PG012");
        ControlResult notInjected = judge(PLAIN, linkerd, "PG012");
        ControlResult noMesh = judge(PLAIN, platform(List.of(), List.of()), "PG012");

        assertThat(injected.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(injected.evidence()).containsExactly("ehr/db[StatefulSet]: Linkerd injection (linkerd.io/inject:"
                + " enabled), whose proxies use mTLS");
        assertThat(notInjected.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(noMesh.findings().get(0).message()).endsWith("no service mesh found (neither Istio nor Linkerd)");
    }

    @Test
    void testUnreadablePeerAuthenticationsAreNotGuessed() {
        ControlResult result = judge(cluster("istio-injection: enabled", ""), platform(List.of(), ISTIO, List.of(),
                List.of(), Map.of("PeerAuthentication", "cannot be listed (403); grant R")), "PG012");

        assertThat(result.status()).isEqualTo(ControlResult.Status.NOT_ASSESSED);
        assertThat(result.reason()).isEqualTo("cannot be listed (403); grant R");
    }

    // ---------------------------------------------------------------- PG013

    private static Platform.Setting setting(String kind, String namespace, String name, Map<String, String> values) {
        return new Platform.Setting(kind, namespace, name, new TreeMap<>(values),
                SourceRef.of("cluster:t/" + kind + "/" + name));
    }

    @Test
    void testHubbleOrCalicoFlowLogsPass() {
        Platform hubble = platform(List.of(daemonSet("kube-system", "cilium", "quay.io/cilium/cilium:v1.16")),
                List.of(), List.of(), List.of(setting("ConfigMap", "kube-system", "cilium-config",
                        Map.of("enable-hubble", "true"))), Map.of());
        Platform relay = platform(List.of(deployment("kube-system", "hubble-relay")), List.of());
        Platform felix = platform(List.of(daemonSet("calico-system", "calico-node", "calico/node:v3.28")), List.of(),
                List.of(), List.of(setting("FelixConfiguration", "", "default", Map.of("flowLogsFileEnabled", "true"))),
                Map.of());

        assertThat(judge(PLAIN, hubble, "PG013").evidence()).containsExactly(
                "Cilium Hubble: ConfigMap kube-system/cilium-config sets enable-hubble to true");
        assertThat(judge(PLAIN, relay, "PG013").status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(judge(PLAIN, felix, "PG013").evidence()).containsExactly(
                "Calico flow logs: FelixConfiguration default sets flowLogsFileEnabled to true");
    }

    @Test
    void testCiliumWithoutHubbleFails() {
        Platform platform = platform(List.of(daemonSet("kube-system", "cilium", "quay.io/cilium/cilium:v1.16")),
                List.of(), List.of(), List.of(setting("ConfigMap", "kube-system", "cilium-config",
                        Map.of("enable-hubble", "false"))), Map.of());

        ControlResult result = judge(PLAIN, platform, "PG013");

        assertThat(result.status()).isEqualTo(ControlResult.Status.FAIL);
        Finding finding = result.findings().get(0);
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.message()).isEqualTo("Cilium runs without Hubble (ConfigMap kube-system/cilium-config sets"
                + " enable-hubble to 'false')");
        assertThat(finding.location()).hasToString("cluster:t/ConfigMap/cilium-config");
        assertThat(finding.remediation().text()).contains("cilium hubble enable");
    }

    @Test
    void testNoFlowLogsFailAndUnreadableSettingsAreNotAssessed() {
        ControlResult none = judge(PLAIN, platform(List.of(daemonSet("kube-system", "kube-flannel-ds", "flannel")),
                List.of()), "PG013");
        ControlResult unread = judge(PLAIN, platform(List.of(daemonSet("kube-system", "cilium", "cilium/cilium:1")),
                List.of(), List.of(), List.of(), Map.of("ConfigMap kube-system/cilium-config", "cannot be read (403)")),
                "PG013");

        assertThat(none.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(none.findings().get(0).message()).isEqualTo("no flow logging found: phiguard recognises Cilium"
                + " Hubble and Calico flow logs, and the cluster runs neither Cilium nor Calico");
        assertThat(unread.status()).isEqualTo(ControlResult.Status.NOT_ASSESSED);
        assertThat(unread.reason()).isEqualTo("cannot be read (403)");
    }
}
