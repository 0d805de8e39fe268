package dev.phiguard.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.report.NetworkPolicyYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each control against a small cluster that passes it and one that fails it, with the evidence
 * of a pass and, for a failure, the exact message, severity, location and proposed policies.
 * Clusters are read from {@code c.yaml} and profiles from {@code p.yaml}, so a location is the
 * line and column in the fixture's own text block (comments at the side count lines).
 */
class ControlsTest {

    /**
     * A profile using every feature: PHI namespaces and pods by selector, a plaintext client by
     * port name, a client limited by {@code to} and a port number, a gateway, an external
     * destination, encrypted ports by number and by name, and DNS where the default puts it.
     */
    private static final String PROFILE = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Profile
            metadata: {name: test}
            phi:
              namespaceSelectors: [{matchLabels: {zone: phi}}]
              podSelectors: [{matchLabels: {data: phi}}]
            clients:
              - name: scraper
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}
                podSelector: {matchLabels: {app: prom}}
                ports: [metrics]
                plaintext: true
              - name: reports
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: bi}}
                podSelector: {matchLabels: {app: reports}}
                to: {podSelector: {matchLabels: {app: db}}}
                ports: [5432/TCP]
            gateways:
              - name: public
                podSelector: {matchLabels: {app: api}}
                from: [203.0.113.0/24]
                ports: [443/TCP]
            externalDestinations:
              - name: clearinghouse
                cidrs: [198.51.100.0/24]
                ports: [443/TCP]
            encryptedPorts: [443/TCP, pgtls]
            dns:
              namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
              podSelector: {matchLabels: {k8s-app: kube-dns}}
            failOn: high
            """;

    // ---------------------------------------------------------------- helpers

    static Profile profile(String text) {
        IngestResult read = ManifestReader.readString("p.yaml", text);
        assertThat(read.diagnostics()).isEmpty();
        assertThat(read.profiles()).hasSize(1);
        return read.profiles().get(0);
    }

    static Cluster cluster(String yaml) {
        IngestResult read = ManifestReader.readString("c.yaml", yaml);
        assertThat(read.diagnostics()).as("fixture diagnostics").isEmpty();
        return read.cluster();
    }

    static AuditResult audit(String yaml) {
        return Auditor.audit(cluster(yaml), profile(PROFILE));
    }

    static AuditResult auditDefault(String yaml) {
        return Auditor.audit(cluster(yaml), ProfileReader.defaultProfile());
    }

    static ControlResult control(AuditResult result, String id) {
        return result.controls().stream().filter(c -> c.control().id().equals(id)).findFirst().orElseThrow();
    }

    static List<String> messages(ControlResult result) {
        return result.findings().stream().map(Finding::message).toList();
    }

    static List<String> fixNames(Finding finding) {
        return finding.remediation().policies().stream().map(NetworkPolicy::namespacedName).toList();
    }

    static NetworkPolicy fix(AuditResult result, String namespacedName) {
        return result.fixes().stream().filter(p -> p.namespacedName().equals(namespacedName)).findFirst()
                .orElseThrow(() -> new AssertionError("no proposed policy " + namespacedName + " in "
                        + result.fixes().stream().map(NetworkPolicy::namespacedName).toList()));
    }

    /** The policies the findings of one control propose, once each by name. */
    static List<NetworkPolicy> fixesOf(ControlResult result) {
        Map<String, NetworkPolicy> fixes = new LinkedHashMap<>();
        result.findings().forEach(f -> f.remediation().policies().forEach(p -> fixes.putIfAbsent(p.namespacedName(), p)));
        return new ArrayList<>(fixes.values());
    }

    /** The cluster with the proposed policies applied: same-named policies replaced, others added. */
    static Cluster withFixes(Cluster cluster, List<NetworkPolicy> fixes) {
        Map<String, NetworkPolicy> policies = new LinkedHashMap<>();
        cluster.policies().forEach(p -> policies.put(p.namespacedName(), p));
        fixes.forEach(p -> policies.put(p.namespacedName(), p));
        return new Cluster(cluster.namespaces(), cluster.workloads(), cluster.services(),
                new ArrayList<>(policies.values()));
    }

    static ConnectionSet between(ConnectivityMap map, String source, String destination) {
        return map.between(peer(source), peer(destination)).map(c -> c.connections()).orElse(ConnectionSet.NONE);
    }

    /** {@code ns/name[Kind]}. */
    static Peer peer(String id) {
        int slash = id.indexOf('/');
        int bracket = id.indexOf('[');
        return new Peer.WorkloadPeer(new WorkloadId(id.substring(0, slash), id.substring(slash + 1, bracket),
                id.substring(bracket + 1, id.length() - 1)));
    }

    static ConnectionSet conns(String text) {
        return ConnectionSet.fromString(text);
    }

    // ---------------------------------------------------------------- which workloads hold PHI

    /** Every way a workload comes to hold PHI, with the reason the result states. */
    private static final String PHI_EVERY_WAY = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: annotated, annotations: {phiguard.io/phi: "true"}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: labelled, labels: {zone: phi}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: plain, annotations: {phiguard.io/phi: "false"}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: a, namespace: annotated}
            spec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: b, namespace: labelled}
            spec: {template: {metadata: {labels: {app: b}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: by-workload, namespace: plain, annotations: {phiguard.io/phi: "true"}}
            spec: {template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: by-template, namespace: plain}
            spec:
              template:
                metadata: {labels: {app: t}, annotations: {phiguard.io/phi: "true"}}
                spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: by-pods, namespace: plain}
            spec: {template: {metadata: {labels: {app: p, data: phi}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: not-phi, namespace: plain, annotations: {phiguard.io/phi: "false"}}
            spec: {template: {metadata: {labels: {app: other, data: other}}, spec: {containers: [{name: c, image: i}]}}}
            """;

    @Test
    void testPhiByAnnotationOnWorkloadTemplateNamespaceAndBySelectors() {
        AuditResult result = audit(PHI_EVERY_WAY);
        assertThat(result.phiWorkloads()).containsExactly(
                Map.entry(new WorkloadId("annotated", "a", "Deployment"),
                        "namespace annotated is annotated phiguard.io/phi=true"),
                Map.entry(new WorkloadId("labelled", "b", "Deployment"),
                        "namespace labelled matches the profile's PHI namespace selector zone=phi"),
                Map.entry(new WorkloadId("plain", "by-workload", "Deployment"), "annotated phiguard.io/phi=true"),
                Map.entry(new WorkloadId("plain", "by-template", "Deployment"),
                        "pod template annotated phiguard.io/phi=true"),
                Map.entry(new WorkloadId("plain", "by-pods", "Deployment"),
                        "pods match the profile's PHI pod selector data=phi"));
        assertThat(result.scope()).isEqualTo(new AuditResult.Scope(3, 6, 0, 3, 5));
    }

    @Test
    void testDefaultProfileSelectsPhiOnlyByAnnotation() {
        AuditResult result = auditDefault(PHI_EVERY_WAY);
        assertThat(result.phiWorkloads().keySet()).containsExactly(
                new WorkloadId("annotated", "a", "Deployment"),
                new WorkloadId("plain", "by-workload", "Deployment"),
                new WorkloadId("plain", "by-template", "Deployment"));
    }

    // ---------------------------------------------------------------- PG001 default deny per PHI namespace

    @Test
    void testPG001PassesWithDefaultDenyIngressAndEgress() {
        AuditResult result = auditDefault("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, annotations: {phiguard.io/phi: "true"}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-in, namespace: ehr}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-out, namespace: ehr}
                spec: {podSelector: {}, policyTypes: [Egress]}
                """);
        ControlResult pg001 = control(result, "PG001");
        assertThat(pg001.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg001.evidence()).containsExactly(
                "namespace ehr denies by default: Ingress by ehr/deny-in, Egress by ehr/deny-out");
    }

    /** PHI by namespace selector; the policy named default-deny-egress has a rule, so it denies nothing. */
    private static final String PG001_FAIL = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ehr, labels: {zone: phi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: ehr}
            spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-in, namespace: ehr}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny-egress, namespace: ehr}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress: [{to: [{podSelector: {}}]}]
            """;

    @Test
    void testPG001FailsWithoutEgressDefaultDenyAndProposesAFreeName() {
        AuditResult result = audit(PG001_FAIL);
        ControlResult pg001 = control(result, "PG001");
        assertThat(pg001.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(pg001.findings()).hasSize(1);
        Finding finding = pg001.findings().get(0);
        assertThat(finding.message()).isEqualTo("namespace ehr holds PHI but has no default-deny egress policy");
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.namespace()).isEqualTo("ehr");
        // the finding points at the namespace's default deny for ingress, beside which the egress one belongs
        assertThat(finding.location()).hasToString("c.yaml:10:1");
        assertThat(fixNames(finding)).containsExactly("ehr/default-deny-egress-phiguard");
        assertThat(NetworkPolicyYaml.write(finding.remediation().policies().get(0))).isEqualTo("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: default-deny-egress-phiguard
                  namespace: ehr
                spec:
                  podSelector: {}
                  policyTypes:
                    - Egress
                """);
    }

    @Test
    void testPG001FixClearsTheFinding() {
        AuditResult result = audit(PG001_FAIL);
        Cluster fixed = withFixes(cluster(PG001_FAIL), control(result, "PG001").findings().get(0)
                .remediation().policies());
        ControlResult after = control(Auditor.audit(fixed, profile(PROFILE)), "PG001");
        assertThat(after.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(after.evidence()).containsExactly(
                "namespace ehr denies by default: Ingress by ehr/deny-in, Egress by ehr/default-deny-egress-phiguard");
    }

    @Test
    void testPG001NamespaceWithoutAnyDenyNeedsBothDirections() {
        AuditResult result = auditDefault("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, annotations: {phiguard.io/phi: "true"}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                """);
        Finding finding = control(result, "PG001").findings().get(0);
        assertThat(finding.message())
                .isEqualTo("namespace ehr holds PHI but has no default-deny ingress or egress policy");
        assertThat(fixNames(finding)).containsExactly("ehr/default-deny-all");
        assertThat(finding.remediation().policies().get(0).policyTypes())
                .containsExactlyInAnyOrder(Direction.INGRESS, Direction.EGRESS);
    }

    @Test
    void testPG001NamespaceHoldsPhiBecauseOfOneAnnotatedWorkload() {
        AuditResult result = auditDefault("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: shared, annotations: {phiguard.io/phi: "true"}}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                """);
        Finding finding = control(result, "PG001").findings().get(0);
        assertThat(finding.namespace()).isEqualTo("shared");
        // no Namespace object: the finding points at the namespace's first workload
        assertThat(finding.location()).hasToString("c.yaml:1:1");
    }

    // ---------------------------------------------------------------- PG002 PHI workloads isolated

    @Test
    void testPG002PassesWhenAPolicyIsolatesBothDirections() {
        AuditResult result = auditDefault("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: db
                  namespace: app
                  annotations: {phiguard.io/phi: "true"}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-policy, namespace: app}
                spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress, Egress]}
                """);
        ControlResult pg002 = control(result, "PG002");
        assertThat(pg002.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg002.evidence())
                .containsExactly("app/db[Deployment] is isolated: Ingress by app/db-policy; Egress by app/db-policy");
    }

    /** Two PHI workloads by pod-template annotation; only db's ingress is isolated (no policyTypes). */
    private static final String PG002_FAIL = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ehr}
            spec:
              template:
                metadata: {labels: {app: api}, annotations: {phiguard.io/phi: "true"}}
                spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: ehr}
            spec:
              template:
                metadata: {labels: {app: db}, annotations: {phiguard.io/phi: "true"}}
                spec: {containers: [{name: c, image: i, ports: [{name: https, containerPort: 8443}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-in, namespace: ehr}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: https}]}]
            """;

    @Test
    void testPG002FailsForEachOpenDirectionAndProposesDenyPlusAllowance() {
        AuditResult result = auditDefault(PG002_FAIL);
        ControlResult pg002 = control(result, "PG002");
        assertThat(pg002.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg002)).containsExactly(
                "PHI workload ehr/api[Deployment] is not isolated for ingress or egress: no NetworkPolicy selects it,"
                        + " so anything can connect to it and it can connect anywhere",
                "PHI workload ehr/db[Deployment] is not isolated for egress: no NetworkPolicy selects it, so it can"
                        + " connect anywhere");
        Finding api = pg002.findings().get(0);
        Finding db = pg002.findings().get(1);
        assertThat(api.severity()).isEqualTo(Severity.HIGH);
        assertThat(api.location()).hasToString("c.yaml:1:1");
        assertThat(db.location()).hasToString("c.yaml:9:1");
        assertThat(api.workloads()).containsExactly(new WorkloadId("ehr", "api", "Deployment"));
        assertThat(fixNames(api)).containsExactly("ehr/default-deny-ingress", "ehr/api-allow-ingress",
                "ehr/default-deny-egress", "ehr/api-allow-egress");
        assertThat(fixNames(db)).containsExactly("ehr/default-deny-egress", "ehr/db-allow-egress");
        // what api may keep: its connection to the other PHI workload, on the port it uses now
        assertThat(NetworkPolicyYaml.write(api.remediation().policies().get(3))).isEqualTo("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: api-allow-egress
                  namespace: ehr
                spec:
                  podSelector:
                    matchLabels:
                      app: api
                  policyTypes:
                    - Egress
                  egress:
                    - to:
                        - podSelector:
                            matchLabels:
                              app: db
                      ports:
                        - protocol: TCP
                          port: 8443
                """);
    }

    @Test
    void testPG002FixSelectsByAllStableLabelsWhenItsNameLabelIsShared() {
        // api and its canary both carry app: api, so that label alone would select the canary too
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: ehr}
                spec:
                  template:
                    metadata:
                      labels: {app: api, tier: backend, pod-template-hash: abc}
                      annotations: {phiguard.io/phi: "true"}
                    spec: {containers: [{name: c, image: i}]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api-canary, namespace: ehr}
                spec:
                  template:
                    metadata: {labels: {app: api, track: canary}}
                    spec: {containers: [{name: c, image: i}]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec:
                  template:
                    metadata: {labels: {app: db}, annotations: {phiguard.io/phi: "true"}}
                    spec: {containers: [{name: c, image: i}]}
                """;
        AuditResult result = auditDefault(yaml);
        assertThat(fix(result, "ehr/api-allow-egress").podSelector())
                .isEqualTo(LabelSelector.of(Map.of("app", "api", "tier", "backend")));
        // db's name label is its alone
        assertThat(fix(result, "ehr/db-allow-egress").podSelector()).isEqualTo(LabelSelector.of(Map.of("app", "db")));
    }

    @Test
    void testPG002FixesIsolateAndKeepTheConnectionBetweenPhiWorkloads() {
        AuditResult result = auditDefault(PG002_FAIL);
        Cluster fixed = withFixes(cluster(PG002_FAIL), result.fixes());
        AuditResult after = Auditor.audit(fixed, ProfileReader.defaultProfile());
        assertThat(control(after, "PG002").status()).isEqualTo(ControlResult.Status.PASS);
        ConnectivityMap map = ConnectivityAnalyzer.analyze(fixed);
        assertThat(between(map, "ehr/api[Deployment]", "ehr/db[Deployment]")).isEqualTo(conns("TCP 8443"));
        assertThat(between(map, "ehr/db[Deployment]", "ehr/api[Deployment]")).isEqualTo(ConnectionSet.ALL);
    }

    // ---------------------------------------------------------------- PG003 external ingress only via gateways

    @Test
    void testPG003PassesForAGatewayAdmittingItsRangeOnItsPort() {
        AuditResult result = audit("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: web, labels: {zone: phi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: web}
                spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i, ports: [{name: https, containerPort: 443}]}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: api, namespace: web}
                spec:
                  podSelector: {matchLabels: {app: api}}
                  policyTypes: [Ingress, Egress]
                  ingress: [{from: [{ipBlock: {cidr: 203.0.113.0/24}}], ports: [{port: https}]}]
                """);
        ControlResult pg003 = control(result, "PG003");
        assertThat(pg003.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg003.evidence()).containsExactly(
                "web/api[Deployment] accepts no connection from outside the cluster beyond its gateway allowance");
    }

    /** api is the profile's gateway but admits the whole internet and a second port; db is no gateway. */
    private static final String PG003_FAIL = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: web, labels: {zone: phi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: web}
            spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: web}
            spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api, namespace: web}
            spec:
              podSelector: {matchLabels: {app: api}}
              policyTypes: [Ingress, Egress]
              ingress:
                - from: [{ipBlock: {cidr: 0.0.0.0/0}}]
                  ports: [{port: 443}, {port: 8443}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db, namespace: web}
            spec:
              podSelector: {matchLabels: {app: db}}
              policyTypes: [Ingress, Egress]
              ingress:
                - from: [{ipBlock: {cidr: 203.0.113.0/24}}]
                  ports: [{port: 5432}]
            """;

    @Test
    void testPG003FailsBeyondTheGatewayRangeAndPortAndForANonGateway() {
        AuditResult result = audit(PG003_FAIL);
        ControlResult pg003 = control(result, "PG003");
        assertThat(pg003.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg003)).containsExactly(
                "PHI workload web/api[Deployment] accepts connections from outside the cluster (allowed by web/api"
                        + " ingress[0]): 0.0.0.0-203.0.112.255[External] : TCP 443,8443;"
                        + " 203.0.113.0-203.0.113.255[External] : TCP 8443;"
                        + " 203.0.114.0-255.255.255.255[External] : TCP 443,8443",
                "PHI workload web/db[Deployment] accepts connections from outside the cluster (allowed by web/db"
                        + " ingress[0]): 203.0.113.0-203.0.113.255[External] : TCP 5432");
        Finding api = pg003.findings().get(0);
        assertThat(api.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(api.location()).hasToString("c.yaml:22:7");
        assertThat(pg003.findings().get(1).location()).hasToString("c.yaml:32:7");
        assertThat(fixNames(api)).containsExactly("web/api");
        assertThat(fixNames(pg003.findings().get(1))).containsExactly("web/db");
        // the gateway keeps exactly what the profile grants it
        assertThat(NetworkPolicyYaml.write(fix(result, "web/api"))).isEqualTo("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: api
                  namespace: web
                spec:
                  podSelector:
                    matchLabels:
                      app: api
                  policyTypes:
                    - Ingress
                    - Egress
                  ingress:
                    - from:
                        - ipBlock:
                            cidr: 203.0.113.0/24
                      ports:
                        - protocol: TCP
                          port: 443
                """);
        assertThat(fix(result, "web/db").ingress()).isEmpty();
    }

    @Test
    void testPG003UnisolatedGatewayGetsAnAllowanceForItsProfileRange() {
        AuditResult result = audit("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: web, labels: {zone: phi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: web}
                spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i}]}}}
                """);
        Finding finding = control(result, "PG003").findings().get(0);
        assertThat(finding.message()).isEqualTo("PHI workload web/api[Deployment] accepts connections from outside"
                + " the cluster (no policy isolates it): 0.0.0.0-203.0.112.255[External] : All Connections;"
                + " 203.0.113.0-203.0.113.255[External] : every port but TCP 443;"
                + " 203.0.114.0-255.255.255.255[External] : All Connections");
        assertThat(finding.location()).hasToString("c.yaml:5:1");
        assertThat(fixNames(finding)).containsExactly("web/default-deny-ingress", "web/api-allow-ingress");
        NetworkPolicy allow = finding.remediation().policies().get(1);
        assertThat(NetworkPolicyYaml.write(allow)).contains("""
                  ingress:
                    - from:
                        - ipBlock:
                            cidr: 203.0.113.0/24
                      ports:
                        - protocol: TCP
                          port: 443
                """);
    }

    // ---------------------------------------------------------------- PG004 least privilege into PHI

    /** db: PHI api, client reports (to db, 5432), non-client etl, client prom beyond its port; api: reports. */
    private static final String PG004_FAIL = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ehr, labels: {zone: phi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: ehr}
            spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i, ports: [{name: pgtls, containerPort: 5432}, {name: metrics, containerPort: 9187}]}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ehr}
            spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reports, namespace: bi}
            spec: {template: {metadata: {labels: {app: reports}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: etl, namespace: bi}
            spec: {template: {metadata: {labels: {app: etl}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: prom, namespace: mon}
            spec: {template: {metadata: {labels: {app: prom}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-in, namespace: ehr}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-ingress, namespace: ehr}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
                - from: [{podSelector: {matchLabels: {app: api}}}]
                  ports: [{port: pgtls}]
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: bi}}}]
                  ports: [{port: 5432}]
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}, podSelector: {matchLabels: {app: prom}}}]
                  ports: [{port: metrics}, {port: 5432}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api-ingress, namespace: ehr}
            spec:
              podSelector: {matchLabels: {app: api}}
              ingress:
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: bi}}, podSelector: {matchLabels: {app: reports}}}]
                  ports: [{port: 443}]
            """;

    @Test
    void testPG004FailsForNonClientsClientsBeyondTheirPortsAndClientsOutsideTheirTo() {
        AuditResult result = audit(PG004_FAIL);
        ControlResult pg004 = control(result, "PG004");
        assertThat(pg004.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg004)).containsExactly(
                "bi/etl[Deployment] can connect to PHI workload ehr/db[Deployment] on TCP 5432 (it is neither a PHI"
                        + " workload nor a profile client; allowed by ehr/db-ingress ingress[1])",
                "mon/prom[Deployment] can connect to PHI workload ehr/db[Deployment] on TCP 5432 (profile client"
                        + " scraper does not cover these ports; allowed by ehr/db-ingress ingress[2])",
                "bi/reports[Deployment] can connect to PHI workload ehr/api[Deployment] on TCP 443 (it is neither a"
                        + " PHI workload nor a profile client; allowed by ehr/api-ingress ingress[0])");
        assertThat(pg004.findings()).extracting(Finding::severity).containsOnly(Severity.HIGH);
        assertThat(pg004.findings()).extracting(f -> f.location().toString())
                .containsExactly("c.yaml:43:7", "c.yaml:45:7", "c.yaml:54:7");
        assertThat(pg004.findings()).extracting(ControlsTest::fixNames).containsExactly(
                List.of("ehr/db-ingress"), List.of("ehr/db-ingress"), List.of("ehr/api-ingress"));
        // the PHI workload, then the sources it admits
        assertThat(pg004.findings().get(0).workloads()).containsExactly(new WorkloadId("ehr", "db", "Deployment"),
                new WorkloadId("bi", "etl", "Deployment"));
        assertThat(pg004.evidence()).containsExactly(
                "ehr/db[Deployment]: 2 inbound connection(s) from PHI workloads or profile clients",
                "ehr/api[Deployment]: 0 inbound connection(s) from PHI workloads or profile clients");
    }

    /** ehr/db admits all of namespace bi on 5432 by one rule; bi holds {@code count} workloads. */
    private static String manySources(int count) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, labels: {zone: phi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: ehr}
                spec:
                  podSelector: {}
                  ingress:
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: bi}}}]
                      ports: [{port: 5432}]
                """);
        for (int i = 0; i < count; i++) {
            // labels differ, so that the sources fall into several endpoint classes
            yaml.append(String.format("""
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: job-%03d, namespace: bi}
                    spec: {template: {metadata: {labels: {app: job-%03d}}, spec: {containers: [{name: c, image: i}]}}}
                    """, i, i));
        }
        return yaml.toString();
    }

    @Test
    void testPG004GroupsTheSourcesOfOneWayInIntoOneFinding() {
        ControlResult pg004 = control(audit(manySources(3)), "PG004");
        assertThat(messages(pg004)).containsExactly("3 workloads can connect to PHI workload ehr/db[Deployment] on"
                + " TCP 5432: bi/job-000[Deployment], bi/job-001[Deployment], bi/job-002[Deployment] (they are"
                + " neither PHI workloads nor profile clients; allowed by ehr/db-ingress ingress[0])");
        Finding finding = pg004.findings().get(0);
        assertThat(finding.workloads()).extracting(Object::toString).containsExactly("ehr/db[Deployment]",
                "bi/job-000[Deployment]", "bi/job-001[Deployment]", "bi/job-002[Deployment]");
        assertThat(finding.connections()).hasSize(3);
        assertThat(finding.forbidden()).extracting(grant -> grant.peer().toString())
                .containsExactly("bi/job-000[Deployment]", "bi/job-001[Deployment]", "bi/job-002[Deployment]");
        assertThat(fixNames(finding)).containsExactly("ehr/db-ingress");
    }

    @Test
    void testPG004NamesTheFirstSourcesAndCountsTheRest() {
        int sources = PhiLeastPrivilegeCheck.LISTED_SOURCES + 5;
        Finding finding = control(audit(manySources(sources)), "PG004").findings().get(0);
        assertThat(finding.message()).startsWith(sources + " workloads can connect to PHI workload ehr/db[Deployment]"
                + " on TCP 5432: bi/job-000[Deployment], ").contains("bi/job-019[Deployment] and 5 more (they are");
        assertThat(finding.connections()).hasSize(PhiLeastPrivilegeCheck.LISTED_SOURCES);
        assertThat(finding.workloads()).hasSize(PhiLeastPrivilegeCheck.LISTED_SOURCES + 1);
        assertThat(finding.forbidden()).hasSize(sources);
    }

    @Test
    void testPG004LeavesTheFixInWordsWhenItWouldListTooManyPeers() {
        int sources = FixPlanner.MAX_LISTED_PEERS + 1;
        Finding finding = control(audit(manySources(sources)), "PG004").findings().get(0);
        assertThat(finding.message()).startsWith(sources + " workloads can connect");
        assertThat(finding.forbidden()).isEmpty();
        assertThat(finding.remediation().policies()).isEmpty();
        assertThat(finding.remediation().text()).startsWith("Narrow the ingress of ehr/db[Deployment] so that these"
                + " workloads are no longer admitted on TCP 5432");
    }

    @Test
    void testPG004NarrowedPoliciesKeepPhiPeersAndClientsOnTheirPorts() {
        AuditResult result = audit(PG004_FAIL);
        Cluster fixed = withFixes(cluster(PG004_FAIL), fixesOf(control(result, "PG004")));
        AuditResult after = Auditor.audit(fixed, profile(PROFILE));
        ControlResult pg004 = control(after, "PG004");
        assertThat(pg004.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg004.evidence()).containsExactly(
                "ehr/db[Deployment]: 3 inbound connection(s) from PHI workloads or profile clients",
                "ehr/api[Deployment]: 0 inbound connection(s) from PHI workloads or profile clients");
        ConnectivityMap map = ConnectivityAnalyzer.analyze(fixed);
        assertThat(between(map, "ehr/api[Deployment]", "ehr/db[Deployment]")).isEqualTo(conns("TCP 5432"));
        assertThat(between(map, "bi/reports[Deployment]", "ehr/db[Deployment]")).isEqualTo(conns("TCP 5432"));
        assertThat(between(map, "mon/prom[Deployment]", "ehr/db[Deployment]")).isEqualTo(conns("TCP 9187"));
        assertThat(between(map, "bi/etl[Deployment]", "ehr/db[Deployment]")).isEqualTo(ConnectionSet.NONE);
        assertThat(between(map, "bi/reports[Deployment]", "ehr/api[Deployment]")).isEqualTo(ConnectionSet.NONE);
    }

    @Test
    void testPG004PassesForPhiPeersAndClientsWithinTheirPortsAndTargets() {
        AuditResult result = audit("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, labels: {zone: phi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i, ports: [{name: metrics, containerPort: 9187}]}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: ehr}
                spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: reports, namespace: bi}
                spec: {template: {metadata: {labels: {app: reports}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: prom, namespace: mon}
                spec: {template: {metadata: {labels: {app: prom}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: ehr}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: api}}}]
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: bi}}}]
                      ports: [{port: 5432}]
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}}]
                      ports: [{port: metrics}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: api-ingress, namespace: ehr}
                spec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {}}]}]}
                """);
        ControlResult pg004 = control(result, "PG004");
        assertThat(pg004.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg004.evidence()).containsExactly(
                "ehr/db[Deployment]: 3 inbound connection(s) from PHI workloads or profile clients",
                "ehr/api[Deployment]: 1 inbound connection(s) from PHI workloads or profile clients");
    }

    // ---------------------------------------------------------------- PG005 external egress allowlist

    @Test
    void testPG005PassesInsideTheExternalDestinations() {
        AuditResult result = audit("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, labels: {zone: phi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-egress, namespace: ehr}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  egress: [{to: [{ipBlock: {cidr: 198.51.100.0/24}}], ports: [{port: 443}]}]
                """);
        ControlResult pg005 = control(result, "PG005");
        assertThat(pg005.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg005.evidence()).containsExactly("ehr/db[Deployment] connects outside only within the allowlist:"
                + " 198.51.100.0-198.51.100.255[External] : TCP 443");
    }

    private static final String PG005_FAIL = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ehr, labels: {zone: phi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: ehr}
            spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-egress, namespace: ehr}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - to: [{ipBlock: {cidr: 198.51.100.0/24}}]
                - to: [{ipBlock: {cidr: 192.0.2.0/24}}]
                  ports: [{port: 443}]
            """;

    @Test
    void testPG005FailsBeyondTheAllowlistByAddressAndByPort() {
        AuditResult result = audit(PG005_FAIL);
        ControlResult pg005 = control(result, "PG005");
        assertThat(pg005.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg005)).containsExactly("PHI workload ehr/db[Deployment] can connect outside the cluster"
                + " beyond the profile's destinations (allowed by ehr/db-egress egress[1]):"
                + " 192.0.2.0-192.0.2.255[External] : TCP 443;"
                + " 198.51.100.0-198.51.100.255[External] : every port but TCP 443");
        Finding finding = pg005.findings().get(0);
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.location()).hasToString("c.yaml:18:7");
        assertThat(fixNames(finding)).containsExactly("ehr/db-egress");
        assertThat(NetworkPolicyYaml.write(fix(result, "ehr/db-egress"))).endsWith("""
                  egress:
                    - to:
                        - ipBlock:
                            cidr: 198.51.100.0/24
                      ports:
                        - protocol: TCP
                          port: 443
                """);
        AuditResult after = Auditor.audit(withFixes(cluster(PG005_FAIL), result.fixes()), profile(PROFILE));
        assertThat(control(after, "PG005").status()).isEqualTo(ControlResult.Status.PASS);
    }

    // ---------------------------------------------------------------- PG006 encrypted ports

    @Test
    void testPG006PassesOnEncryptedPortsByNumberAndNameAndExemptPlaintextClient() {
        AuditResult result = audit("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, labels: {zone: phi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i, ports: [{name: pgtls, containerPort: 5432}, {name: metrics, containerPort: 9187}]}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: ehr}
                spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: prom, namespace: mon}
                spec: {template: {metadata: {labels: {app: prom}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: ehr}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: api}}}]
                      ports: [{port: 5432}]
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}, podSelector: {matchLabels: {app: prom}}}]
                      ports: [{port: 9187}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: api-ingress, namespace: ehr}
                spec:
                  podSelector: {matchLabels: {app: api}}
                  ingress: [{from: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 443}]}]
                """);
        ControlResult pg006 = control(result, "PG006");
        assertThat(pg006.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg006.evidence()).containsExactly(
                "ehr/db[Deployment] is reachable only on encrypted or exempted ports: TCP 5432,9187",
                "ehr/api[Deployment] is reachable only on encrypted or exempted ports: TCP 443");
    }

    /** 8080 is plain HTTP, open to a PHI peer and to the plaintext scraper beyond its metrics port. */
    private static final String PG006_FAIL = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ehr, labels: {zone: phi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: ehr}
            spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i, ports: [{name: pgtls, containerPort: 5432}, {name: http, containerPort: 8080}, {name: metrics, containerPort: 9187}]}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: ehr}
            spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: prom, namespace: mon}
            spec: {template: {metadata: {labels: {app: prom}}, spec: {containers: [{name: c, image: i}]}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-ingress, namespace: ehr}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
                - from: [{podSelector: {matchLabels: {app: api}}}]
                  ports: [{port: pgtls}, {port: http}]
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}}]
                  ports: [{port: metrics}, {port: 8080}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api-ingress, namespace: ehr}
            spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}
            """;

    @Test
    void testPG006FailsOnPlaintextPortsEvenForAPlaintextClientBeyondItsPorts() {
        AuditResult result = audit(PG006_FAIL);
        ControlResult pg006 = control(result, "PG006");
        assertThat(pg006.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg006)).containsExactly("PHI workload ehr/db[Deployment] accepts connections on TCP"
                + " 8080, which the profile does not count as encrypted, from ehr/api[Deployment] : TCP 8080;"
                + " mon/prom[Deployment] : TCP 8080");
        Finding finding = pg006.findings().get(0);
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.location()).hasToString("c.yaml:26:7");
        assertThat(fixNames(finding)).containsExactly("ehr/db-ingress");
        assertThat(pg006.evidence()).containsExactly(
                "ehr/api[Deployment] is reachable only on encrypted or exempted ports (on none)");

        Cluster fixed = withFixes(cluster(PG006_FAIL), fixesOf(pg006));
        AuditResult after = Auditor.audit(fixed, profile(PROFILE));
        assertThat(control(after, "PG006").status()).isEqualTo(ControlResult.Status.PASS);
        ConnectivityMap map = ConnectivityAnalyzer.analyze(fixed);
        assertThat(between(map, "ehr/api[Deployment]", "ehr/db[Deployment]")).isEqualTo(conns("TCP 5432"));
        assertThat(between(map, "mon/prom[Deployment]", "ehr/db[Deployment]")).isEqualTo(conns("TCP 9187"));
    }

    // ---------------------------------------------------------------- PG007 broad rules

    @Test
    void testPG007PassesForRulesNamingPeersAndPorts() {
        AuditResult result = auditDefault("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr, annotations: {phiguard.io/phi: "true"}}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: ehr}
                spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db, namespace: ehr}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: 5432}]}]
                  egress: [{to: [{ipBlock: {cidr: 192.0.2.0/24}}], ports: [{port: 443}]}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-open, namespace: ehr}
                spec: {podSelector: {matchLabels: {app: web}}, ingress: [{}]}
                """);
        ControlResult pg007 = control(result, "PG007");
        assertThat(pg007.status()).isEqualTo(ControlResult.Status.PASS);
        // the open rule of web-open selects no PHI workload, so it is not counted
        assertThat(pg007.evidence()).containsExactly("2 rule(s) of policies selecting PHI workloads checked");
    }

    @Test
    void testPG007FailsForEveryKindOfBroadRule() {
        AuditResult result = auditDefault("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr, annotations: {phiguard.io/phi: "true"}}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db, namespace: ehr}
                spec:
                  podSelector: {}
                  ingress:
                    - {}
                    - from: [{namespaceSelector: {}}]
                      ports: [{port: 443}]
                  egress:
                    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
                      ports: [{port: 443}]
                    - to: [{podSelector: {matchLabels: {app: db}}}]
                """);
        ControlResult pg007 = control(result, "PG007");
        assertThat(pg007.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg007)).containsExactly(
                "rule ehr/db ingress[0] applies to PHI workload(s) ehr/db[Deployment] and allows every peer (no from)"
                        + " and allows every port (no ports)",
                "rule ehr/db ingress[1] applies to PHI workload(s) ehr/db[Deployment] and allows every pod of every"
                        + " namespace (namespaceSelector: {})",
                "rule ehr/db egress[0] applies to PHI workload(s) ehr/db[Deployment] and allows every address"
                        + " (ipBlock 0.0.0.0/0 except 10.0.0.0/8)",
                "rule ehr/db egress[1] applies to PHI workload(s) ehr/db[Deployment] and allows every port (no ports)");
        assertThat(pg007.findings()).extracting(Finding::severity).containsOnly(Severity.MEDIUM);
        assertThat(pg007.findings()).extracting(f -> f.location().toString())
                .containsExactly("c.yaml:12:7", "c.yaml:13:7", "c.yaml:16:7", "c.yaml:18:7");
        // a broad rule is a judgement call: no policy is proposed for it
        assertThat(pg007.findings()).allSatisfy(f -> assertThat(f.remediation().policies()).isEmpty());
    }

    // ---------------------------------------------------------------- PG008 DNS

    /** Cluster DNS in the input; {@code egress} (indented 4) is db's egress rules. */
    private static String dnsInInput(String egress) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, annotations: {phiguard.io/phi: "true"}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: coredns, namespace: kube-system}
                spec: {template: {metadata: {labels: {k8s-app: kube-dns}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: resolver, namespace: tools}
                spec: {template: {metadata: {labels: {app: resolver}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db, namespace: ehr}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                  egress:
                """ + egress;
    }

    private static final String TO_KUBE_DNS = "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name:"
            + " kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]";

    @Test
    void testPG008PassesWhenDnsInTheInputIsReachableOnBothPorts() {
        AuditResult result = audit(dnsInInput("""
                    - to: %s
                      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                """.formatted(TO_KUBE_DNS)));
        ControlResult pg008 = control(result, "PG008");
        assertThat(pg008.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg008.evidence()).containsExactly("ehr/db[Deployment] reaches cluster DNS on TCP 53,UDP 53");
    }

    @Test
    void testPG008FailsForAMissingDnsPortAndForDnsToAnotherWorkload() {
        AuditResult result = audit(dnsInInput("""
                    - to: %s
                      ports: [{port: 53, protocol: UDP}]
                    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: tools}}}]
                      ports: [{port: 53, protocol: UDP}]
                """.formatted(TO_KUBE_DNS)));
        ControlResult pg008 = control(result, "PG008");
        assertThat(pg008.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg008)).containsExactly(
                "PHI workload ehr/db[Deployment] is isolated for egress but cannot reach cluster DNS on TCP 53, so"
                        + " name lookups fail",
                "PHI workload ehr/db[Deployment] can send DNS traffic to tools/resolver[Deployment] : UDP 53, not"
                        + " only to the cluster DNS service (allowed by ehr/db egress[1])");
        Finding missing = pg008.findings().get(0);
        Finding leak = pg008.findings().get(1);
        assertThat(missing.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(missing.location()).hasToString("c.yaml:5:1");
        assertThat(fixNames(missing)).containsExactly("ehr/db-allow-dns");
        assertThat(leak.severity()).isEqualTo(Severity.HIGH);
        assertThat(leak.location()).hasToString("c.yaml:29:7");
        assertThat(fixNames(leak)).containsExactly("ehr/db");
        assertThat(NetworkPolicyYaml.write(fix(result, "ehr/db-allow-dns"))).isEqualTo("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: db-allow-dns
                  namespace: ehr
                spec:
                  podSelector:
                    matchLabels:
                      app: db
                  policyTypes:
                    - Egress
                  egress:
                    - to:
                        - namespaceSelector:
                            matchLabels:
                              kubernetes.io/metadata.name: kube-system
                          podSelector:
                            matchLabels:
                              k8s-app: kube-dns
                      ports:
                        - protocol: TCP
                          port: 53
                        - protocol: UDP
                          port: 53
                """);
        Cluster fixed = withFixes(cluster(dnsInInput("""
                    - to: %s
                      ports: [{port: 53, protocol: UDP}]
                    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: tools}}}]
                      ports: [{port: 53, protocol: UDP}]
                """.formatted(TO_KUBE_DNS))), fixesOf(pg008));
        assertThat(control(Auditor.audit(fixed, profile(PROFILE)), "PG008").status())
                .isEqualTo(ControlResult.Status.PASS);
    }

    /** No DNS workload in the input; {@code to} is db's egress peer list on 53/UDP and 53/TCP. */
    private static String dnsAbsent(String to) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, annotations: {phiguard.io/phi: "true"}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db, namespace: ehr}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                  egress:
                    - to: %s
                      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                """.formatted(to);
    }

    private static final String DNS_ABSENT_EVIDENCE = "no workload in the input matches the profile's DNS service"
            + " (namespaces{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns}); egress rules are"
            + " checked against a pod it would select";

    @Test
    void testPG008DnsAbsentPassesWhenTheRuleWouldSelectADnsPod() {
        ControlResult pg008 = control(audit(dnsAbsent(TO_KUBE_DNS)), "PG008");
        assertThat(pg008.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg008.evidence()).containsExactly(DNS_ABSENT_EVIDENCE,
                "ehr/db[Deployment] reaches cluster DNS on TCP 53,UDP 53");
        // the default profile puts DNS at the same place
        assertThat(control(auditDefault(dnsAbsent(TO_KUBE_DNS)), "PG008").status())
                .isEqualTo(ControlResult.Status.PASS);
    }

    @Test
    void testPG008DnsAbsentFailsWhenTheRuleWouldNotSelectADnsPod() {
        // the right pods, but in the policy's own namespace
        ControlResult ownNamespace = control(audit(dnsAbsent("[{podSelector: {matchLabels: {k8s-app: kube-dns}}}]")),
                "PG008");
        assertThat(ownNamespace.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(ownNamespace)).containsExactly("PHI workload ehr/db[Deployment] is isolated for egress"
                + " but cannot reach cluster DNS on TCP 53,UDP 53, so name lookups fail");
        assertThat(ownNamespace.evidence()).containsExactly(DNS_ABSENT_EVIDENCE);
        // the right namespace, but other pods
        ControlResult otherPods = control(audit(dnsAbsent("[{namespaceSelector: {matchLabels:"
                + " {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: other}}}]")),
                "PG008");
        assertThat(otherPods.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(fixNames(otherPods.findings().get(0))).containsExactly("ehr/db-allow-dns");
    }

    @Test
    void testPG008IgnoresPhiWorkloadsNotIsolatedForEgress() {
        ControlResult pg008 = control(auditDefault("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr, annotations: {phiguard.io/phi: "true"}}
                spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}}
                """), "PG008");
        assertThat(pg008.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg008.findings()).isEmpty();
    }

    @Test
    void testPG008ProfileWithoutDnsSectionUsesTheDocumentedDnsSelectors() {
        Profile noDns = profile("""
                apiVersion: phiguard.dev/v1alpha1
                kind: Profile
                metadata: {name: no-dns}
                """);
        ControlResult pg008 = control(Auditor.audit(cluster(dnsInInput("""
                    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: tools}}}]
                      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                """)), noDns), "PG008");
        assertThat(pg008.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg008)).contains("PHI workload ehr/db[Deployment] can send DNS traffic to"
                + " tools/resolver[Deployment] : TCP 53,UDP 53, not only to the cluster DNS service (allowed by ehr/db"
                + " egress[0])");
    }

    @Test
    void testPG008OneLeakFindingPerRuleNotPerAddressFragment() {
        ControlResult pg008 = control(audit(dnsInInput("""
                    - to: %s
                      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                      ports: [{port: 53, protocol: UDP}]
                """.formatted(TO_KUBE_DNS))), "PG008");
        assertThat(pg008.findings()).hasSize(1);
    }

    // ---------------------------------------------------------------- PG009 a policy in every namespace

    @Test
    void testPG009PassesWhenEveryNamespaceHasAPolicy() {
        ControlResult pg009 = control(auditDefault("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: web}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: web}
                spec: {podSelector: {}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: batch}
                spec: {podSelector: {}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow, namespace: batch}
                spec: {podSelector: {}, ingress: [{}]}
                """), "PG009");
        assertThat(pg009.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg009.evidence()).containsExactly("namespace batch: 2 NetworkPolicy object(s)",
                "namespace web: 1 NetworkPolicy object(s)");
    }

    @Test
    void testPG009FailsLowOutsidePhiAndHighInsideIt() {
        AuditResult result = auditDefault("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: web}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr, annotations: {phiguard.io/phi: "true"}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: job, namespace: batch}
                spec: {template: {metadata: {labels: {app: job}}, spec: {containers: [{name: c, image: i}]}}}
                """);
        ControlResult pg009 = control(result, "PG009");
        assertThat(pg009.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg009)).containsExactly(
                "namespace batch has no NetworkPolicy: all traffic to and from its pods is allowed",
                "namespace ehr, which holds PHI, has no NetworkPolicy: all traffic to and from its pods is allowed",
                "namespace web has no NetworkPolicy: all traffic to and from its pods is allowed");
        assertThat(pg009.findings()).extracting(Finding::severity)
                .containsExactly(Severity.LOW, Severity.HIGH, Severity.LOW);
        // batch has no Namespace object: the finding points at its workload
        assertThat(pg009.findings()).extracting(f -> f.location().toString())
                .containsExactly("c.yaml:9:1", "c.yaml:5:1", "c.yaml:1:1");
        // no policy is proposed: a default deny alone would cut every connection the namespace has
        assertThat(pg009.findings()).extracting(ControlsTest::fixNames).containsExactly(
                List.of(), List.of(), List.of());
        assertThat(pg009.findings()).allSatisfy(f -> assertThat(f.remediation().text())
                .contains("Add a default-deny policy for " + f.namespace()));
        assertThat(pg009.findings().get(1).remediation().text()).contains("The fixes of PG001 and PG002");
    }

    // ---------------------------------------------------------------- PG010 no mixing in a namespace

    @Test
    void testPG010PassesForANamespaceOfOnlyPhiWorkloads() {
        ControlResult pg010 = control(audit("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db, data: phi}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: ehr}
                spec: {template: {metadata: {labels: {app: api, data: phi}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: www}
                spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}}
                """), "PG010");
        assertThat(pg010.status()).isEqualTo(ControlResult.Status.PASS);
        assertThat(pg010.evidence()).containsExactly("namespace ehr holds only PHI workloads (2)");
    }

    @Test
    void testPG010FailsWhenAPodSelectorPicksOnlySomeWorkloadsOfANamespace() {
        ControlResult pg010 = control(audit("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ehr}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db, namespace: ehr}
                spec: {template: {metadata: {labels: {app: db, data: phi}}, spec: {containers: [{name: c, image: i}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: ehr}
                spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}}
                """), "PG010");
        assertThat(pg010.status()).isEqualTo(ControlResult.Status.FAIL);
        assertThat(messages(pg010)).containsExactly("namespace ehr mixes PHI workloads (ehr/db[Deployment]) with"
                + " workloads that hold no PHI (ehr/web[Deployment])");
        Finding finding = pg010.findings().get(0);
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.location()).hasToString("c.yaml:1:1");
        assertThat(finding.workloads()).containsExactly(new WorkloadId("ehr", "db", "Deployment"),
                new WorkloadId("ehr", "web", "Deployment"));
        assertThat(finding.remediation().policies()).isEmpty();
    }

    // ---------------------------------------------------------------- PG011-PG013 need a live cluster

    @Test
    void testClusterOnlyControlsAreNotAssessedNeverPassed() {
        for (String yaml : List.of(PG001_FAIL, PG004_FAIL, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: empty}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: empty}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """)) {
            AuditResult result = audit(yaml);
            for (String id : List.of("PG011", "PG012", "PG013")) {
                ControlResult control = control(result, id);
                assertThat(control.status()).as(id).isEqualTo(ControlResult.Status.NOT_ASSESSED);
                assertThat(control.reason()).as(id).contains("--cluster");
                assertThat(control.findings()).isEmpty();
                assertThat(control.control().needsCluster()).isTrue();
            }
            assertThat(result.count(ControlResult.Status.NOT_ASSESSED)).isEqualTo(3);
        }
    }

    @Test
    void testCatalogueListsThirteenControlsInOrderOnlyTheLastThreeNeedACluster() {
        assertThat(Controls.catalogue()).extracting(ControlInfo::id).containsExactly("PG001", "PG002", "PG003",
                "PG004", "PG005", "PG006", "PG007", "PG008", "PG009", "PG010", "PG011", "PG012", "PG013");
        assertThat(Controls.catalogue()).filteredOn(ControlInfo::needsCluster).extracting(ControlInfo::id)
                .containsExactly("PG011", "PG012", "PG013");
        assertThat(Controls.catalogue()).allSatisfy(info -> assertThat(info.citations())
                .anySatisfy(c -> assertThat(c.framework()).isIn(Citation.Framework.HIPAA,
                        Citation.Framework.CIS_KUBERNETES)));
        assertThat(Controls.find("pg004").map(c -> c.info().name())).contains("phi-least-privilege-ingress");
        assertThat(Controls.find("phi-dns").map(c -> c.info().id())).contains("PG008");
    }

    // ---------------------------------------------------------------- failOn

    @Test
    void testFailOnThresholds() {
        // PG004_FAIL has high findings (PG001, PG004, ...) and no critical one
        AuditResult high = audit(PG004_FAIL);
        assertThat(high.findings()).extracting(Finding::severity).contains(Severity.HIGH)
                .doesNotContain(Severity.CRITICAL);
        assertThat(high.failOn()).contains(Severity.HIGH);
        assertThat(high.failed()).isTrue();
        assertThat(high.failing()).isNotEmpty().allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH));

        Profile critical = profile(PROFILE.replace("failOn: high", "failOn: critical"));
        AuditResult onCritical = Auditor.audit(cluster(PG004_FAIL), critical);
        assertThat(onCritical.findings()).hasSameSizeAs(high.findings());
        assertThat(onCritical.failed()).isFalse();
        assertThat(onCritical.failing()).isEmpty();

        Profile none = profile(PROFILE.replace("failOn: high", "failOn: none"));
        AuditResult onNone = Auditor.audit(cluster(PG004_FAIL), none);
        assertThat(onNone.failOn()).isEmpty();
        assertThat(onNone.failed()).isFalse();
    }

    @Test
    void testFailOnLowCatchesALowFindingThatMediumLetsPass() {
        String onlyLow = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: web}
                """;
        AuditResult low = Auditor.audit(cluster(onlyLow),
                ProfileReader.defaultProfile().withFailOn(Optional.of(Severity.LOW)));
        assertThat(low.findings()).extracting(Finding::severity).containsExactly(Severity.LOW);
        assertThat(low.failed()).isTrue();
        AuditResult medium = Auditor.audit(cluster(onlyLow),
                ProfileReader.defaultProfile().withFailOn(Optional.of(Severity.MEDIUM)));
        assertThat(medium.failed()).isFalse();
        // the default profile fails on high
        assertThat(auditDefault(onlyLow).failed()).isFalse();
        assertThat(auditDefault(PG002_FAIL).failed()).isTrue();
    }

    // ---------------------------------------------------------------- stable finding ids

    @Test
    void testFindingIdsAreStableForTheSameInput() {
        List<String> first = audit(PG004_FAIL).findings().stream().map(Finding::id).toList();
        List<String> second = audit(PG004_FAIL).findings().stream().map(Finding::id).toList();
        assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
        assertThat(first).allSatisfy(id -> assertThat(id).matches("PG0(0[1-9]|1[0-3])-[0-9a-f]{12}"));
    }

    @Test
    void testFindingIdDependsOnlyOnControlAndKey() {
        Finding before = control(audit(PG001_FAIL), "PG001").findings().get(0);
        // an unrelated namespace elsewhere leaves the finding's id alone
        Finding after = control(audit(PG001_FAIL + """
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: unrelated}
                """), "PG001").findings().get(0);
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(before.id()).isEqualTo(Finding.stableId("PG001", "ehr|[EGRESS]"));
        // a different key (the namespace misses both directions) is a different id
        Finding both = control(audit(PG001_FAIL.substring(0, PG001_FAIL.indexOf("---\napiVersion: networking"))),
                "PG001").findings().get(0);
        assertThat(both.key()).isNotEqualTo(before.key());
        assertThat(both.id()).isNotEqualTo(before.id());
        // the same key under another control is another id
        assertThat(Finding.stableId("PG002", "ehr|[EGRESS]")).isNotEqualTo(before.id()).startsWith("PG002-");
    }

    @Test
    void testEveryFindingOfOneAuditHasItsOwnId() {
        AuditResult result = audit(PG004_FAIL);
        Set<String> ids = new java.util.HashSet<>();
        result.findings().forEach(f -> assertThat(ids.add(f.id())).as(f.id() + " " + f.message()).isTrue());
        assertThat(ids).hasSizeGreaterThan(3);
    }
}
