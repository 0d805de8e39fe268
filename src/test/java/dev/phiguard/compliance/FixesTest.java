package dev.phiguard.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.report.NetworkPolicyYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit of examples/clinic: it finds the planted mistakes and nothing else, and the policies
 * it proposes, written as {@code --fix-dir} writes them and read back on top of the manifests,
 * clear those findings while keeping the traffic the profile accepts.
 */
class FixesTest {
    private static final String CLINIC = "examples/clinic";
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    private static final WorkloadId EHR_DB = new WorkloadId("phi", "ehr-db", "StatefulSet");
    private static final WorkloadId FHIR = new WorkloadId("phi", "fhir-server", "Deployment");
    private static final WorkloadId PORTAL = new WorkloadId("portal", "patient-portal-api", "Deployment");
    private static final WorkloadId CLAIMS = new WorkloadId("billing", "claims-worker", "Deployment");
    private static final WorkloadId BILLING_API = new WorkloadId("billing", "billing-api", "Deployment");
    private static final WorkloadId RABBITMQ = new WorkloadId("messaging", "rabbitmq", "StatefulSet");
    private static final WorkloadId COREDNS = new WorkloadId("kube-system", "coredns", "Deployment");
    private static final WorkloadId PROMETHEUS = new WorkloadId("monitoring", "prometheus", "StatefulSet");
    private static final WorkloadId INGRESS = new WorkloadId("ingress-nginx", "ingress-nginx-controller",
            "Deployment");
    private static final WorkloadId DEID = new WorkloadId("analytics", "deid-export", "CronJob");
    private static final WorkloadId REPORTING = new WorkloadId("analytics", "reporting", "Deployment");
    private static final WorkloadId WAREHOUSE = new WorkloadId("analytics", "warehouse", "StatefulSet");

    // ---------------------------------------------------------------- helpers

    static IngestResult read(String... paths) {
        return ManifestReader.read(List.of(paths), NO_STDIN);
    }

    static Profile clinicProfile(IngestResult read) {
        assertThat(read.profiles()).extracting(Profile::name).containsExactly("clinic");
        return read.profiles().get(0);
    }

    static AuditResult auditClinic() {
        IngestResult read = read(CLINIC);
        assertThat(read.diagnostics()).isEmpty();
        return Auditor.audit(read.cluster(), clinicProfile(read));
    }

    /**
     * What a finding is about, in one line: the control, then its namespace, the workload(s) or
     * rule concerned, and for connection findings the ports.
     */
    static String describe(Finding finding) {
        String subject = switch (finding.controlId()) {
            case "PG001", "PG009", "PG010" -> finding.namespace();
            // the PHI workload first, then the sources it admits
            case "PG004" -> String.join(", ", finding.workloads().subList(1, finding.workloads().size()).stream()
                    .map(Object::toString).toList()) + " -> " + finding.workloads().get(0) + " : " + ports(finding);
            case "PG006" -> finding.workloads().get(0) + " : " + ports(finding);
            case "PG007" -> finding.rules().get(0).toString();
            default -> finding.workloads().get(0).toString();
        };
        return finding.controlId() + " " + subject;
    }

    private static ConnectionSet ports(Finding finding) {
        ConnectionSet all = ConnectionSet.NONE;
        for (Finding.Grant grant : finding.forbidden()) {
            all = all.union(grant.connections());
        }
        return all;
    }

    /** Writes the policies as {@code --fix-dir} does: NAMESPACE.NAME.yaml, one policy each. */
    static List<Path> writeFixes(List<NetworkPolicy> policies, Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            for (NetworkPolicy policy : policies) {
                Path file = dir.resolve(policy.namespace() + "." + policy.name() + ".yaml");
                Files.writeString(file, NetworkPolicyYaml.write(policy));
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static ConnectionSet between(ConnectivityMap map, WorkloadId source, WorkloadId destination) {
        return map.between(new Peer.WorkloadPeer(source), new Peer.WorkloadPeer(destination))
                .map(Connection::connections).orElse(ConnectionSet.NONE);
    }

    static ConnectionSet conns(String text) {
        return ConnectionSet.fromString(text);
    }

    /** The connections between workloads, as {@code source => destination : conns} lines. */
    static Map<String, ConnectionSet> workloadPairs(ConnectivityMap map) {
        Map<String, ConnectionSet> pairs = new TreeMap<>();
        for (Connection connection : map.connections()) {
            if (connection.source() instanceof Peer.WorkloadPeer && connection.destination() instanceof Peer.WorkloadPeer) {
                pairs.put(connection.source() + " => " + connection.destination(), connection.connections());
            }
        }
        return pairs;
    }

    /** What the second map no longer allows between workloads that the first allowed. */
    static List<String> lost(ConnectivityMap before, ConnectivityMap after) {
        Map<String, ConnectionSet> kept = workloadPairs(after);
        List<String> lost = new ArrayList<>();
        workloadPairs(before).forEach((pair, connections) -> {
            ConnectionSet gone = connections.minus(kept.getOrDefault(pair, ConnectionSet.NONE));
            if (!gone.isEmpty()) {
                lost.add(pair + " : " + gone);
            }
        });
        return lost;
    }

    /** The external addresses a workload reaches, with the connections to each. */
    static Map<IpRange, ConnectionSet> external(ConnectivityMap map, WorkloadId source) {
        Map<IpRange, ConnectionSet> reached = new TreeMap<>();
        for (Connection connection : map.connections()) {
            if (connection.source().equals(new Peer.WorkloadPeer(source))
                    && connection.destination() instanceof Peer.ExternalPeer external) {
                reached.put(external.range(), connection.connections());
            }
        }
        return reached;
    }

    // ---------------------------------------------------------------- (a) the planted mistakes, and nothing else

    @Test
    void testClinicAuditFindsExactlyThePlantedMistakes() {
        AuditResult result = auditClinic();
        assertThat(result.findings().stream().map(FixesTest::describe).sorted()).containsExactly(
                "PG001 billing",
                "PG002 billing/claims-worker[Deployment]",
                "PG004 analytics/reporting[Deployment], analytics/warehouse[StatefulSet] -> phi/ehr-db[StatefulSet] : TCP 5432",
                "PG005 billing/claims-worker[Deployment]",
                "PG005 portal/patient-portal-api[Deployment]",
                "PG006 phi/fhir-server[Deployment] : TCP 8080",
                "PG007 portal/patient-portal-api-egress egress[3]",
                "PG009 analytics");
        assertThat(result.countBySeverity()).containsExactlyInAnyOrderEntriesOf(Map.of(Severity.CRITICAL, 0,
                Severity.HIGH, 6, Severity.MEDIUM, 1, Severity.LOW, 1, Severity.INFO, 0));
        assertThat(result.failed()).isTrue();
    }

    @Test
    void testClinicFindingsPointAtThePlantedMistakes() {
        AuditResult result = auditClinic();
        Map<String, List<String>> locations = new TreeMap<>();
        result.findings().forEach(f -> locations.computeIfAbsent(describe(f), k -> new ArrayList<>())
                .add(f.location().toString()));
        assertThat(locations).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "PG001 billing", List.of("examples/clinic/billing/network-policies.yaml:3:1"),
                "PG002 billing/claims-worker[Deployment]", List.of("examples/clinic/billing/claims-worker.yaml:3:1"),
                "PG004 analytics/reporting[Deployment], analytics/warehouse[StatefulSet] -> phi/ehr-db[StatefulSet] : TCP 5432",
                List.of("examples/clinic/phi/network-policies.yaml:124:7"),
                "PG005 billing/claims-worker[Deployment]", List.of("examples/clinic/billing/claims-worker.yaml:3:1"),
                "PG005 portal/patient-portal-api[Deployment]",
                List.of("examples/clinic/portal/network-policies.yaml:119:7"),
                "PG006 phi/fhir-server[Deployment] : TCP 8080", List.of("examples/clinic/phi/network-policies.yaml:49:7"),
                "PG007 portal/patient-portal-api-egress egress[3]",
                List.of("examples/clinic/portal/network-policies.yaml:119:7"),
                "PG009 analytics", List.of("examples/clinic/namespaces.yaml:79:1"))));
    }

    /**
     * The {@code # PLANTED:} comments of examples/clinic are exactly the five of its README, and
     * each is on the line before, or inside, the object a finding points at.
     */
    @Test
    void testEveryPlantedCommentIsFound() throws IOException {
        List<String> planted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(CLINIC))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("# PLANTED:")) {
                        planted.add(file.toString().replace('\\', '/') + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(planted).containsExactlyInAnyOrder(
                "examples/clinic/billing/network-policies.yaml:2",
                "examples/clinic/namespaces.yaml:78",
                "examples/clinic/phi/network-policies.yaml:59",
                "examples/clinic/phi/network-policies.yaml:123",
                "examples/clinic/portal/network-policies.yaml:118");
        AuditResult result = auditClinic();
        // 1. split peer: the rule right below the comment, admitting both analytics workloads
        assertThat(result.findings()).filteredOn(f -> f.controlId().equals("PG004")).singleElement()
                .satisfies(f -> {
                    assertThat(f.location()).hasToString("examples/clinic/phi/network-policies.yaml:124:7");
                    assertThat(f.forbidden()).hasSize(2);
                });
        // 2. no egress default deny in billing: the namespace, and the workload it leaves open
        assertThat(result.findings()).filteredOn(f -> f.controlId().equals("PG001"))
                .singleElement().satisfies(f -> assertThat(f.message())
                        .isEqualTo("namespace billing holds PHI but has no default-deny egress policy"));
        // 3. plaintext 8080: the rule holding the commented port (lines 49-61)
        assertThat(result.findings()).filteredOn(f -> f.controlId().equals("PG006")).singleElement()
                .satisfies(f -> {
                    assertThat(f.location().file()).isEqualTo("examples/clinic/phi/network-policies.yaml");
                    assertThat(f.location().line()).isBetween(49, 59);
                });
        // 4. 0.0.0.0/0 egress: the rule right below the comment
        assertThat(result.findings()).filteredOn(f -> f.location().toString()
                .equals("examples/clinic/portal/network-policies.yaml:119:7"))
                .extracting(Finding::controlId).containsExactlyInAnyOrder("PG005", "PG007");
        // 5. analytics without a policy: the Namespace object right below the comment
        assertThat(result.findings()).filteredOn(f -> f.location().toString()
                .equals("examples/clinic/namespaces.yaml:79:1"))
                .extracting(Finding::controlId).containsExactly("PG009");
    }

    @Test
    void testClinicControlsWithoutAPlantedMistakePassWithEvidence() {
        AuditResult result = auditClinic();
        for (ControlResult control : result.controls()) {
            switch (control.control().id()) {
                case "PG003", "PG008", "PG010" -> {
                    assertThat(control.status()).as(control.control().id()).isEqualTo(ControlResult.Status.PASS);
                    assertThat(control.evidence()).as(control.control().id()).isNotEmpty();
                }
                case "PG011", "PG012", "PG013" ->
                    assertThat(control.status()).isEqualTo(ControlResult.Status.NOT_ASSESSED);
                default -> assertThat(control.status()).as(control.control().id())
                        .isEqualTo(ControlResult.Status.FAIL);
            }
        }
        // deid-export reads PHI but holds none: the profile lists it as a client, not as PHI
        assertThat(result.phiWorkloads().keySet()).containsExactlyInAnyOrder(PORTAL, FHIR, EHR_DB, BILLING_API, CLAIMS,
                RABBITMQ);
        assertThat(control(result, "PG010").evidence()).containsExactly(
                "namespace billing holds only PHI workloads (2)", "namespace messaging holds only PHI workloads (1)",
                "namespace phi holds only PHI workloads (2)", "namespace portal holds only PHI workloads (1)");
    }

    static ControlResult control(AuditResult result, String id) {
        return result.controls().stream().filter(c -> c.control().id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void testClinicProposesOnePolicyPerFixOnce() {
        AuditResult result = auditClinic();
        assertThat(result.fixes()).extracting(NetworkPolicy::namespacedName).containsExactlyInAnyOrder(
                "billing/claims-worker-allow-egress",
                "billing/default-deny-egress",
                "phi/ehr-db-ingress",
                "phi/fhir-server-ingress",
                "portal/patient-portal-api-egress");
        Map<String, List<String>> fixesByFinding = new TreeMap<>();
        for (Finding finding : result.findings()) {
            fixesByFinding.put(describe(finding), finding.remediation().policies().stream()
                    .map(NetworkPolicy::namespacedName).toList());
        }
        assertThat(fixesByFinding).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "PG001 billing", List.of("billing/default-deny-egress", "billing/claims-worker-allow-egress"),
                "PG002 billing/claims-worker[Deployment]",
                List.of("billing/default-deny-egress", "billing/claims-worker-allow-egress"),
                "PG004 analytics/reporting[Deployment], analytics/warehouse[StatefulSet] -> phi/ehr-db[StatefulSet] : TCP 5432",
                List.of("phi/ehr-db-ingress"),
                "PG005 billing/claims-worker[Deployment]",
                List.of("billing/default-deny-egress", "billing/claims-worker-allow-egress"),
                "PG005 portal/patient-portal-api[Deployment]", List.of("portal/patient-portal-api-egress"),
                "PG006 phi/fhir-server[Deployment] : TCP 8080", List.of("phi/fhir-server-ingress"),
                "PG007 portal/patient-portal-api-egress egress[3]", List.of(),
                "PG009 analytics", List.of())));
    }

    // ---------------------------------------------------------------- (b) the --fix-dir round trip

    @Test
    void testFixDirRoundTripClearsEveryFindingAndAddsNone(@TempDir Path fixDir) {
        AuditResult before = auditClinic();
        writeFixes(before.fixes(), fixDir);
        IngestResult fixed = read(CLINIC, fixDir.toString());
        // the later path replaces the three narrowed policies; nothing else is reported
        assertThat(fixed.errorCount()).isZero();
        assertThat(fixed.diagnostics()).extracting(Diagnostic::message).hasSize(3).allSatisfy(message ->
                assertThat(message).contains("replaces the definition at examples/clinic/"));
        assertThat(fixed.cluster().policies()).hasSize(before.scope().policies() + 2);
        AuditResult after = Auditor.audit(fixed.cluster(), clinicProfile(fixed));

        Set<String> fixedControls = new TreeSet<>();
        before.findings().stream().filter(f -> !f.remediation().policies().isEmpty())
                .forEach(f -> fixedControls.add(f.controlId()));
        assertThat(fixedControls).containsExactly("PG001", "PG002", "PG004", "PG005", "PG006");
        for (String id : fixedControls) {
            assertThat(control(after, id).findings()).as(id).isEmpty();
            assertThat(control(after, id).status()).as(id).isEqualTo(ControlResult.Status.PASS);
        }
        // no new finding appears; the broad rule goes with the narrowed egress policy; analytics, which
        // holds no PHI, keeps its low finding: no policy is proposed for it
        Set<String> beforeIds = new TreeSet<>(before.findings().stream().map(Finding::id).toList());
        assertThat(after.findings()).allSatisfy(f -> assertThat(beforeIds).contains(f.id()));
        assertThat(after.findings()).extracting(FixesTest::describe).containsExactly("PG009 analytics");
        assertThat(after.failed()).isFalse();
        assertThat(after.count(ControlResult.Status.PASS)).isEqualTo(9);
    }

    // ---------------------------------------------------------------- (c) the fixes are valid and keep what is accepted

    @Test
    void testProposedPoliciesAreValidManifestsThatReadBackTheSame(@TempDir Path fixDir) throws IOException {
        AuditResult result = auditClinic();
        List<Path> files = writeFixes(result.fixes(), fixDir);
        assertThat(files).hasSize(5);
        for (int i = 0; i < files.size(); i++) {
            NetworkPolicy proposed = result.fixes().get(i);
            String written = Files.readString(files.get(i));
            IngestResult back = read(files.get(i).toString());
            assertThat(back.diagnostics()).as(files.get(i).toString()).isEmpty();
            assertThat(back.cluster().policies()).as(files.get(i).toString()).hasSize(1);
            NetworkPolicy policy = back.cluster().policies().get(0);
            assertThat(policy.namespacedName()).isEqualTo(proposed.namespacedName());
            assertThat(policy.podSelector()).isEqualTo(proposed.podSelector());
            assertThat(policy.policyTypes()).isEqualTo(proposed.policyTypes());
            // read back and written again, the policy is the same text
            assertThat(NetworkPolicyYaml.write(policy)).isEqualTo(written);
        }
    }

    @Test
    void testFixedClusterKeepsTheConnectionsTheProfileAccepts(@TempDir Path fixDir) {
        AuditResult result = auditClinic();
        writeFixes(result.fixes(), fixDir);
        IngestResult fixed = read(CLINIC, fixDir.toString());
        IpSet clearinghouse = IpSet.of(IpRange.fromCidr("203.0.113.0/24"));
        IpSet sms = IpSet.of(IpRange.fromCidr("198.51.100.0/24"));
        ConnectivityMap map = ConnectivityAnalyzer.analyze(fixed.cluster(),
                ConnectivityAnalyzer.Options.DEFAULT.withBoundaries(List.of(clearinghouse, sms)));

        assertThat(between(map, FHIR, EHR_DB)).isEqualTo(conns("TCP 5432"));
        assertThat(between(map, PORTAL, FHIR)).isEqualTo(conns("TCP 8443"));
        assertThat(between(map, BILLING_API, FHIR)).isEqualTo(conns("TCP 8443"));
        assertThat(between(map, PROMETHEUS, FHIR)).isEqualTo(conns("TCP 9464"));
        assertThat(between(map, PROMETHEUS, EHR_DB)).isEqualTo(conns("TCP 9187"));
        assertThat(between(map, CLAIMS, RABBITMQ)).isEqualTo(conns("TCP 5671"));
        assertThat(between(map, CLAIMS, COREDNS)).isEqualTo(conns("TCP 53,UDP 53"));
        // what the findings forbade is gone
        assertThat(between(map, REPORTING, EHR_DB)).isEqualTo(ConnectionSet.NONE);
        assertThat(between(map, WAREHOUSE, EHR_DB)).isEqualTo(ConnectionSet.NONE);
        // the portal reaches exactly the profile's two external destinations, on 443
        assertThat(external(map, PORTAL)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                IpRange.fromCidr("198.51.100.0/24"), conns("TCP 443"),
                IpRange.fromCidr("203.0.113.0/24"), conns("TCP 443"))));
        assertThat(external(map, CLAIMS)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                IpRange.fromCidr("198.51.100.0/24"), conns("TCP 443"),
                IpRange.fromCidr("203.0.113.0/24"), conns("TCP 443"))));
        assertThat(external(map, BILLING_API)).containsEntry(IpRange.fromCidr("203.0.113.0/24"), conns("TCP 443"));
    }

    /**
     * Without the analytics default deny (which a team applies with its own allow policies), the
     * fixes take away exactly the traffic the findings name, and the narrowed ehr-db ingress still
     * admits the de-identification export.
     */
    @Test
    void testNarrowingFixesTakeAwayOnlyTheForbiddenTraffic(@TempDir Path fixDir) {
        AuditResult result = auditClinic();
        Predicate<NetworkPolicy> outsideAnalytics = policy -> !policy.namespace().equals("analytics");
        writeFixes(result.fixes().stream().filter(outsideAnalytics).toList(), fixDir);
        ConnectivityMap before = ConnectivityAnalyzer.analyze(read(CLINIC).cluster());
        ConnectivityMap after = ConnectivityAnalyzer.analyze(read(CLINIC, fixDir.toString()).cluster());

        assertThat(between(after, DEID, EHR_DB)).isEqualTo(conns("TCP 5432"));
        assertThat(lost(before, after)).containsExactly(
                "analytics/reporting[Deployment] => phi/ehr-db[StatefulSet] : TCP 5432",
                "analytics/warehouse[StatefulSet] => phi/ehr-db[StatefulSet] : TCP 5432",
                "billing/claims-worker[Deployment] => analytics/deid-export[CronJob] : All Connections",
                "billing/claims-worker[Deployment] => analytics/reporting[Deployment] : All Connections",
                "billing/claims-worker[Deployment] => analytics/warehouse[StatefulSet] : All Connections",
                "billing/claims-worker[Deployment] => ingress-nginx/ingress-nginx-controller[Deployment] : TCP 80,443",
                "portal/patient-portal-api[Deployment] => phi/fhir-server[Deployment] : TCP 8080");
    }

    /**
     * A rule with several peers, each admitting some forbidden peers: each peer is expanded to
     * what it admits itself, so the narrowed rule keeps the allowed client the second peer admits.
     */
    @Test
    void testANarrowedRuleKeepsTheAllowedPeersOfEachOfItsPeers(@TempDir Path extra) throws IOException {
        Files.writeString(extra.resolve("two-peers.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: ehr-db-two-peers, namespace: phi}
                spec:
                  podSelector: {matchLabels: {app.kubernetes.io/name: ehr-db}}
                  policyTypes: [Ingress]
                  ingress:
                    - from:
                        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: analytics}}
                          podSelector: {matchLabels: {app.kubernetes.io/name: reporting}}
                        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: analytics}}
                      ports: [{port: 5432, protocol: TCP}]
                """);
        IngestResult read = read(CLINIC, extra.toString());
        AuditResult result = Auditor.audit(read.cluster(), clinicProfile(read));
        List<NetworkPolicy> narrowed = result.fixes().stream()
                .filter(policy -> policy.name().equals("ehr-db-two-peers")).toList();

        assertThat(narrowed).hasSize(1);
        String written = NetworkPolicyYaml.write(narrowed.get(0));
        assertThat(written).contains("deid-export").doesNotContain("reporting").doesNotContain("warehouse");
    }

    @Test
    void testWholeFixSetKeepsTheIntendedAnalyticsFlows(@TempDir Path fixDir) {
        AuditResult result = auditClinic();
        writeFixes(result.fixes(), fixDir);
        ConnectivityMap after = ConnectivityAnalyzer.analyze(read(CLINIC, fixDir.toString()).cluster());
        // analytics has no policy before or after (PG009 proposes none), so these stay open; what matters is
        // that no fix cuts an intended flow
        assertThat(between(after, DEID, EHR_DB)).isEqualTo(conns("TCP 5432"));
        assertThat(between(after, INGRESS, REPORTING)).isEqualTo(conns("TCP 8088"));
        assertThat(between(after, REPORTING, WAREHOUSE).containsAll(conns("TCP 8123"))).isTrue();
        assertThat(between(after, DEID, WAREHOUSE).containsAll(conns("TCP 9000"))).isTrue();
        assertThat(between(after, PROMETHEUS, WAREHOUSE)).isEqualTo(conns("TCP 9363"));
        assertThat(between(after, DEID, COREDNS)).isEqualTo(conns("TCP 53,UDP 53"));
    }
}
