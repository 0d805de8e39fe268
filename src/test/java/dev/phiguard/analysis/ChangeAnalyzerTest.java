package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phiguard.cli.Main;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChangeAnalyzer}: identical inputs give nothing, a change and its undoing mirror each
 * other, ipBlocks that only move range boundaries change nothing, and the clinic's own fixes
 * resolve its planted findings by removing exactly the traffic they should.
 */
class ChangeAnalyzerTest {
    private static final String CLINIC = "examples/clinic";

    private static IngestResult read(String... paths) {
        return ManifestReader.read(List.of(paths), InputStream.nullInputStream());
    }

    private static Cluster yaml(String text) {
        IngestResult read = ManifestReader.readString("test.yaml", text);
        assertThat(read.diagnostics()).as("fixture diagnostics").isEmpty();
        return read.cluster();
    }

    private static Profile clinicProfile() {
        return read(CLINIC).profiles().get(0);
    }

    /** Each change as {@code src => dst : before -> after}. */
    private static List<String> lines(ConnectivityDiff diff) {
        return diff.changes().stream().map(ConnectionChange::toString).toList();
    }

    private static Set<String> ids(List<Finding> findings) {
        return findings.stream().map(Finding::id).collect(Collectors.toCollection(TreeSet::new));
    }

    // ---------------------------------------------------------------- identical inputs

    @Test
    void testIdenticalInputsGiveAnEmptyReport() {
        IngestResult clinic = read(CLINIC);
        ChangeReport report = ChangeAnalyzer.compare(clinic.cluster(), read(CLINIC).cluster(), clinicProfile());
        assertThat(report.isEmpty()).isTrue();
        assertThat(report.connectivity().changes()).isEmpty();
        assertThat(report.findings().appeared()).isEmpty();
        assertThat(report.findings().disappeared()).isEmpty();
        assertThat(ids(report.findings().remaining()))
                .isEqualTo(ids(Auditor.audit(clinic.cluster(), clinicProfile()).findings())).hasSize(8);
        assertThat(report.failed()).as("findings that were there before never fail a change").isFalse();
    }

    // ---------------------------------------------------------------- the clinic and its fixes

    @Test
    void testClinicFixesResolveThePlantedFindingsAndRemoveExactlyTheirTraffic(@TempDir Path fixes) {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"audit", CLINIC, "--fix-dir", fixes.toString(), "-q"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(exit).as(err.toString()).isEqualTo(1);
        IngestResult before = read(CLINIC);
        IngestResult after = read(CLINIC, fixes.toString());
        assertThat(after.diagnostics()).allMatch(d -> !d.isError());

        ChangeReport report = ChangeAnalyzer.compare(before.cluster(), after.cluster(), clinicProfile());

        AuditResult audit = Auditor.audit(before.cluster(), clinicProfile());
        Set<String> planted = audit.findings().stream().filter(f -> !f.controlId().equals("PG009"))
                .map(Finding::id).collect(Collectors.toCollection(TreeSet::new));
        assertThat(planted).hasSize(7);
        assertThat(ids(report.findings().disappeared())).isEqualTo(planted);
        assertThat(report.findings().appeared()).isEmpty();
        assertThat(report.findings().remaining()).extracting(Finding::controlId).containsExactly("PG009");
        assertThat(report.failed()).isFalse();

        assertThat(report.connectivity().added()).as("fixes only take traffic away").isEmpty();
        assertThat(report.connectivity().changes()).allMatch(change -> change.gained().isEmpty());
        assertThat(lines(report.connectivity())).containsExactly(
                "analytics/reporting[Deployment] => phi/ehr-db[StatefulSet] : TCP 5432 -> No Connections",
                "analytics/warehouse[StatefulSet] => phi/ehr-db[StatefulSet] : TCP 5432 -> No Connections",
                "billing/claims-worker[Deployment] => 0.0.0.0-198.51.99.255[External] : All Connections"
                        + " -> No Connections",
                "billing/claims-worker[Deployment] => 198.51.100.0-198.51.100.255[External] : All Connections"
                        + " -> TCP 443",
                "billing/claims-worker[Deployment] => 198.51.101.0-203.0.112.255[External] : All Connections"
                        + " -> No Connections",
                "billing/claims-worker[Deployment] => 203.0.113.0-203.0.113.255[External] : All Connections"
                        + " -> TCP 443",
                "billing/claims-worker[Deployment] => 203.0.114.0-255.255.255.255[External] : All Connections"
                        + " -> No Connections",
                "billing/claims-worker[Deployment] => analytics/deid-export[CronJob] : All Connections"
                        + " -> No Connections",
                "billing/claims-worker[Deployment] => analytics/reporting[Deployment] : All Connections"
                        + " -> No Connections",
                "billing/claims-worker[Deployment] => analytics/warehouse[StatefulSet] : All Connections"
                        + " -> No Connections",
                "billing/claims-worker[Deployment] => ingress-nginx/ingress-nginx-controller[Deployment] : TCP 80,443"
                        + " -> No Connections",
                "portal/patient-portal-api[Deployment] => 0.0.0.0-9.255.255.255[External] : TCP 443"
                        + " -> No Connections",
                "portal/patient-portal-api[Deployment] => 11.0.0.0-198.51.99.255[External] : TCP 443"
                        + " -> No Connections",
                "portal/patient-portal-api[Deployment] => 198.51.101.0-203.0.112.255[External] : TCP 443"
                        + " -> No Connections",
                "portal/patient-portal-api[Deployment] => 203.0.114.0-255.255.255.255[External] : TCP 443"
                        + " -> No Connections",
                "portal/patient-portal-api[Deployment] => phi/fhir-server[Deployment] : TCP 8080,8443 -> TCP 8443");
        // every pair that lost traffic is one a resolved finding named
        Set<String> named = new TreeSet<>();
        report.findings().disappeared().forEach(f -> f.workloads().forEach(id -> named.add(id.toString())));
        assertThat(report.connectivity().changes()).allMatch(change -> named.contains(change.source().toString())
                || named.contains(change.destination().toString()));
    }

    @Test
    void testUndoingTheFixesIntroducesTheFindingsAgainAndFails(@TempDir Path fixes) {
        Main.run(new String[] {"audit", CLINIC, "--fix-dir", fixes.toString(), "-q"},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Cluster fixed = read(CLINIC, fixes.toString()).cluster();
        ChangeReport report = ChangeAnalyzer.compare(fixed, read(CLINIC).cluster(), clinicProfile());
        assertThat(report.findings().appeared()).hasSize(7);
        assertThat(report.findings().appeared()).extracting(Finding::severity)
                .as("new violations come most severe first").isSortedAccordingTo(Severity::compareTo);
        assertThat(report.findings().failing()).hasSize(6).allMatch(f -> f.severity() == Severity.HIGH);
        assertThat(report.failed()).isTrue();
        assertThat(report.connectivity().removed()).isEmpty();
        assertThat(report.connectivity().added()).hasSize(13);
        assertThat(report.connectivity().changed()).hasSize(3).allMatch(change -> change.lost().isEmpty());

        Profile lenient = clinicProfile().withFailOn(Optional.of(Severity.CRITICAL));
        assertThat(ChangeAnalyzer.compare(fixed, read(CLINIC).cluster(), lenient).failed()).isFalse();
        Profile never = clinicProfile().withFailOn(Optional.empty());
        assertThat(ChangeAnalyzer.compare(fixed, read(CLINIC).cluster(), never).findings().failing()).isEmpty();
    }

    // ---------------------------------------------------------------- address ranges

    private static final String WEB_AND_API = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: shop, labels: {app: api}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api-egress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: api}}
              policyTypes: [Egress]
              egress:
                - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                  ports: [{port: 443}]
            """;

    private static final String REDUNDANT_IPBLOCK = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api-egress-partners, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: api}}
              policyTypes: [Egress]
              egress:
                - to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.7.0/24]}}]
                  ports: [{port: 443}]
            """;

    @Test
    void testAnIpBlockThatOnlyCutsRangesDifferentlyChangesNothing() {
        Cluster before = yaml(WEB_AND_API);
        Cluster after = yaml(WEB_AND_API + REDUNDANT_IPBLOCK);
        // analysed apart, the two name different ranges: a naive comparison would report changes
        List<String> apart = ConnectivityAnalyzer.analyze(before).connections().stream().map(Object::toString).toList();
        List<String> apartAfter = ConnectivityAnalyzer.analyze(after).connections().stream().map(Object::toString)
                .toList();
        assertThat(apartAfter).isNotEqualTo(apart);

        ChangeReport report = ChangeAnalyzer.compare(before, after, ProfileReader.defaultProfile());
        assertThat(lines(report.connectivity())).isEmpty();
        assertThat(report.findings().isEmpty()).isTrue();
    }

    @Test
    void testANarrowingIpBlockReportsOnlyTheRangesItChanges() {
        Cluster before = yaml(WEB_AND_API);
        Cluster after = yaml(WEB_AND_API.replace("cidr: 0.0.0.0/0}", "cidr: 0.0.0.0/0, except: [10.0.0.0/8]}"));
        ChangeReport report = ChangeAnalyzer.compare(before, after, ProfileReader.defaultProfile());
        assertThat(lines(report.connectivity())).containsExactly(
                "shop/api[Pod] => 10.0.0.0-10.255.255.255[External] : TCP 443 -> No Connections");
        ConnectionChange change = report.connectivity().changes().get(0);
        assertThat(change.kind()).isEqualTo(ConnectionChange.Kind.REMOVED);
        assertThat(change.beforeRules()).extracting(Object::toString).containsExactly("shop/api-egress egress[0]");
        assertThat(change.afterRules()).isEmpty();
    }

    @Test
    void testTheFirstIpv6IpBlockDoesNotOpenEveryWorkloadToIpv6() {
        Cluster before = yaml(WEB_AND_API);
        String ipv6 = REDUNDANT_IPBLOCK.replace("cidr: 192.168.0.0/16, except: [192.168.7.0/24]", "cidr: \"::/0\"");
        Cluster redundant = yaml(WEB_AND_API + ipv6);
        // the analyser lists the IPv6 space only for the side whose ipBlocks name it
        assertThat(ConnectivityAnalyzer.analyze(redundant).connections().stream().map(Object::toString))
                .contains("shop/web[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections");
        assertThat(ConnectivityAnalyzer.analyze(before).connections().stream().map(Object::toString))
                .noneMatch(line -> line.contains("::"));

        // api gains IPv6 on 443 (its egress allowed only IPv4 before); web, never isolated, changes nothing
        ChangeReport report = ChangeAnalyzer.compare(before, redundant, ProfileReader.defaultProfile());
        assertThat(lines(report.connectivity())).containsExactly(
                "shop/api[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : No Connections -> TCP 443");
        assertThat(lines(ChangeAnalyzer.compare(redundant, before, ProfileReader.defaultProfile())
                .connectivity())).containsExactly(
                "shop/api[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : TCP 443 -> No Connections");
    }

    @Test
    void testAdjacentRangesThatChangeAlikeAreJoined() {
        Cluster before = yaml(WEB_AND_API + REDUNDANT_IPBLOCK);
        Cluster after = yaml(WEB_AND_API.replace("ports: [{port: 443}]", "ports: [{port: 443}, {port: 80}]")
                + REDUNDANT_IPBLOCK);
        ChangeReport report = ChangeAnalyzer.compare(before, after, ProfileReader.defaultProfile());
        // the partner block cuts the space in four ranges, but all gain port 80 alike
        assertThat(lines(report.connectivity())).containsExactly(
                "shop/api[Pod] => 0.0.0.0-255.255.255.255[External] : TCP 443 -> TCP 80,443");
        assertThat(report.connectivity().changes().get(0).gained()).hasToString("TCP 80");
        assertThat(report.connectivity().changes().get(0).lost().isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- mirror property

    private static final Cluster CLINIC_CLUSTER = read(CLINIC).cluster();
    private static final Profile CLINIC_PROFILE = clinicProfile();

    /** One edit of the clinic: what to do, to which policy or workload (by index, modulo their count). */
    record Edit(int action, int target) {
        Cluster apply(Cluster cluster) {
            List<NetworkPolicy> policies = new ArrayList<>(cluster.policies());
            List<Workload> workloads = new ArrayList<>(cluster.workloads());
            int p = target % policies.size();
            NetworkPolicy policy = policies.get(p);
            switch (action) {
                case 0 -> policies.remove(p);
                case 1 -> policies.set(p, with(policy, dropFirst(policy.ingress()), policy.egress()));
                case 2 -> policies.set(p, with(policy, policy.ingress(), dropFirst(policy.egress())));
                case 3 -> policies.set(p, with(policy, append(policy.ingress(), new PolicyRule(
                        Direction.INGRESS, policy.ingress().size(), List.of(), List.of(),
                        SourceRef.UNKNOWN)), policy.egress()));
                default -> workloads.remove(target % workloads.size());
            }
            return new Cluster(cluster.namespaces(), workloads, cluster.services(), policies);
        }

        private static NetworkPolicy with(NetworkPolicy policy, List<PolicyRule> ingress, List<PolicyRule> egress) {
            return new NetworkPolicy(policy.namespace(), policy.name(), policy.podSelector(),
                    policy.declaredPolicyTypes(), ingress, egress, policy.source());
        }

        private static List<PolicyRule> dropFirst(List<PolicyRule> rules) {
            return rules.isEmpty() ? rules : rules.subList(1, rules.size());
        }

        private static List<PolicyRule> append(List<PolicyRule> rules, PolicyRule rule) {
            List<PolicyRule> result = new ArrayList<>(rules);
            result.add(rule);
            return result;
        }
    }

    @Provide
    Arbitrary<Cluster> clinicVariants() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 1000)).as(Edit::new);
        return edit.list().ofMinSize(0).ofMaxSize(4).map(edits -> {
            Cluster cluster = CLINIC_CLUSTER;
            for (Edit each : edits) {
                cluster = each.apply(cluster);
            }
            return cluster;
        });
    }

    @Property(tries = 25)
    void testDiffMirrorsItsReverse(@ForAll("clinicVariants") Cluster a, @ForAll("clinicVariants") Cluster b) {
        ChangeReport forward = ChangeAnalyzer.compare(a, b, CLINIC_PROFILE);
        ChangeReport backward = ChangeAnalyzer.compare(b, a, CLINIC_PROFILE);

        assertThat(backward.connectivity()).isEqualTo(forward.connectivity().reversed());
        assertThat(backward.connectivity().added()).hasSameSizeAs(forward.connectivity().removed());
        for (ConnectionChange change : forward.connectivity().changes()) {
            ConnectionChange mirror = backward.connectivity().changes().stream()
                    .filter(other -> other.source().equals(change.source())
                            && other.destination().equals(change.destination()))
                    .findFirst().orElseThrow();
            assertThat(mirror.gained()).isEqualTo(change.lost());
            assertThat(mirror.lost()).isEqualTo(change.gained());
        }
        assertThat(ids(backward.findings().appeared())).isEqualTo(ids(forward.findings().disappeared()));
        assertThat(ids(backward.findings().disappeared())).isEqualTo(ids(forward.findings().appeared()));
        assertThat(ids(backward.findings().remaining())).isEqualTo(ids(forward.findings().remaining()));
        assertThat(forward.isEmpty()).isEqualTo(backward.isEmpty());
    }

    @Property(tries = 10)
    void testDiffOfAVariantWithItselfIsEmpty(@ForAll("clinicVariants") Cluster a) {
        ChangeReport report = ChangeAnalyzer.compare(a, a, CLINIC_PROFILE);
        assertThat(report.isEmpty()).isTrue();
        assertThat(report.failed()).isFalse();
    }

    @Test
    void testTheGeneratedVariantsDoChangeSomething() {
        // a property over variants that never differ would prove nothing
        Cluster dropped = new Edit(0, 0).apply(CLINIC_CLUSTER);
        ChangeReport report = ChangeAnalyzer.compare(CLINIC_CLUSTER, dropped, CLINIC_PROFILE);
        assertThat(report.isEmpty()).isFalse();
        Cluster opened = new Edit(3, 5).apply(CLINIC_CLUSTER);
        assertThat(ChangeAnalyzer.compare(CLINIC_CLUSTER, opened, CLINIC_PROFILE).connectivity().changes())
                .anyMatch(change -> !change.gained().isEmpty());
    }

    @Test
    void testAChangeCannotBeBuiltFromEqualConnections() {
        assertThatThrownBy(() -> new ConnectionChange(new Peer.WorkloadPeer(new WorkloadId("a", "b", "Pod")),
                new Peer.WorkloadPeer(new WorkloadId("a", "c", "Pod")), ConnectionSet.ALL, ConnectionSet.ALL,
                List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a change");
    }
}
