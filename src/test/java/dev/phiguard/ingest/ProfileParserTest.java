package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadSelector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profile documents: every problem is a diagnostic at its line and column, pinned to its exact
 * text ({@code file:line:column: error: Profile name: path: message ('bad value')}), and a
 * profile with an error is not used.
 */
class ProfileParserTest {
    private static final String FILE = "p.yaml";
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    /**
     * How diagnostics name a profile called {@code t}. A Profile is not a namespaced object, yet it
     * is named like one, in the namespace {@code default} (see
     * {@link #testProfileIsNamedWithoutANamespace}).
     */
    private static final String T = "Profile t";
    private static final String BAD_PORT = "invalid port, expected PORT/PROTOCOL (443/TCP, 8000-8100/UDP; 1-65535;"
            + " TCP, UDP or SCTP) or a container port name (https)";

    /** Lines 1-3; the body starts on line 4. */
    private static final String HEAD = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Profile
            metadata: {name: t}
            """;

    private static IngestResult read(String yaml) {
        return ManifestReader.readString(FILE, yaml);
    }

    private static List<String> diagnostics(String yaml) {
        IngestResult result = read(yaml);
        if (!result.diagnostics().isEmpty()) {
            // a profile with a problem is not used
            assertThat(result.profiles()).isEmpty();
            assertThat(result.rejected()).containsExactly(T);
        }
        return result.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private static Profile parse(String yaml) {
        IngestResult result = read(yaml);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.profiles()).hasSize(1);
        return result.profiles().get(0);
    }

    private static List<String> texts(List<PortMatcher> ports) {
        return ports.stream().map(PortMatcher::toString).toList();
    }

    // ---------------------------------------------------------------- diagnostics

    @Test
    void testUnknownKeysAtEveryLevel() {
        assertThat(diagnostics(HEAD + """
                foo: 1
                phi:
                  bar: []
                clients:
                  - name: a
                    port: [443/TCP]
                """)).containsExactly(
                "p.yaml:4:1: error: " + T + ": foo: unknown key, expected one of: apiVersion, clients, dns,"
                        + " encryptedPorts, externalDestinations, failOn, gateways, kind, metadata, phi ('foo')",
                "p.yaml:6:3: error: " + T + ": phi.bar: unknown key, expected one of: namespaceSelectors,"
                        + " podSelectors ('bar')",
                "p.yaml:9:5: error: " + T + ": clients[0].port: unknown key, expected one of: name,"
                        + " namespaceSelector, plaintext, podSelector, ports, to ('port')");
    }

    @Test
    void testWrongApiVersion() {
        assertThat(diagnostics("""
                apiVersion: phiguard.dev/v1
                kind: Profile
                metadata: {name: t}
                """)).containsExactly("p.yaml:1:13: error: " + T + ": apiVersion: unsupported apiVersion, expected"
                + " phiguard.dev/v1alpha1 ('phiguard.dev/v1')");
    }

    @Test
    void testBadCidrsInExternalDestinationsAndGateways() {
        assertThat(diagnostics(HEAD + """
                externalDestinations:
                  - name: x
                    cidrs: [10.0.0.0/33, 1.2.3]
                gateways:
                  - {name: g, from: [203.0.113.0/24, nonsense]}
                """)).containsExactly(
                "p.yaml:6:13: error: " + T + ": externalDestinations[0].cidrs[0]: invalid CIDR, expected an address"
                        + " and a prefix length such as 203.0.113.0/24 ('10.0.0.0/33')",
                "p.yaml:6:26: error: " + T + ": externalDestinations[0].cidrs[1]: invalid CIDR, expected an address"
                        + " and a prefix length such as 203.0.113.0/24 ('1.2.3')",
                "p.yaml:8:38: error: " + T + ": gateways[0].from[1]: invalid CIDR, expected an address and a prefix"
                        + " length such as 203.0.113.0/24 ('nonsense')");
    }

    @Test
    void testBadPortsPointAtTheItemAndNameTheBadText() {
        List<String> found = diagnostics(HEAD + """
                encryptedPorts: [443/ICMP, abc/TCP]
                """);
        assertThat(found).hasSize(2);
        assertThat(found.get(0)).startsWith("p.yaml:4:18: error: " + T + ": encryptedPorts[0]: ").contains("ICMP");
        assertThat(found.get(1)).startsWith("p.yaml:4:28: error: " + T + ": encryptedPorts[1]: ").contains("abc/TCP");
        assertThat(found).containsExactly(
                "p.yaml:4:18: error: " + T + ": encryptedPorts[0]: " + BAD_PORT + " ('443/ICMP')",
                "p.yaml:4:28: error: " + T + ": encryptedPorts[1]: " + BAD_PORT + " ('abc/TCP')");
    }

    @Test
    void testBadPortsFollowTheDiagnosticConvention() {
        assertThat(diagnostics(HEAD + """
                encryptedPorts: [443/ICMP, abc/TCP, 70000/TCP]
                """)).allSatisfy(diagnostic -> assertThat(diagnostic).matches(".*: [a-z][^']* \\('[^']+'\\)"));
    }

    @Test
    void testPortsInClientsGatewaysDestinationsAndDnsAreChecked() {
        assertThat(diagnostics(HEAD + """
                clients: [{name: c, ports: [70000/TCP]}]
                gateways: [{name: g, ports: [9-1/TCP]}]
                externalDestinations: [{name: d, cidrs: [192.0.2.0/24], ports: [{port: 443}]}]
                dns: {ports: [53/DNS]}
                """)).containsExactly(
                "p.yaml:4:29: error: " + T + ": clients[0].ports[0]: " + BAD_PORT + " ('70000/TCP')",
                "p.yaml:5:30: error: " + T + ": gateways[0].ports[0]: " + BAD_PORT + " ('9-1/TCP')",
                "p.yaml:6:65: error: " + T + ": externalDestinations[0].ports[0]: " + BAD_PORT,
                "p.yaml:7:15: error: " + T + ": dns.ports[0]: " + BAD_PORT + " ('53/DNS')");
    }

    @Test
    void testBadSelectorOperator() {
        assertThat(diagnostics(HEAD + """
                phi:
                  podSelectors:
                    - matchExpressions:
                        - {key: app, operator: Has, values: [x]}
                """)).containsExactly("p.yaml:7:32: error: " + T + ": phi.podSelectors[0].matchExpressions[0].operator:"
                + " unsupported operator, expected In, NotIn, Exists or DoesNotExist ('Has')");
    }

    @Test
    void testFailOnMustBeAThreshold() {
        assertThat(diagnostics(HEAD + "failOn: severe\n")).containsExactly(
                "p.yaml:4:9: error: " + T + ": failOn: expected critical, high, medium, low or none ('severe')");
        // info is a severity of findings, not a threshold
        assertThat(diagnostics(HEAD + "failOn: info\n")).containsExactly(
                "p.yaml:4:9: error: " + T + ": failOn: expected critical, high, medium, low or none ('info')");
    }

    @Test
    void testEntriesNeedANameAndDestinationsNeedCidrs() {
        assertThat(diagnostics(HEAD + """
                clients:
                  - podSelector: {matchLabels: {app: x}}
                externalDestinations:
                  - name: d
                  - cidrs: [192.0.2.0/24]
                """)).containsExactly(
                "p.yaml:5:5: error: " + T + ": clients[0]: name is required: a short text saying what the entry is"
                        + " for",
                "p.yaml:7:5: error: " + T + ": externalDestinations[0]: cidrs is required: the address ranges, such as"
                        + " [203.0.113.0/24]",
                "p.yaml:8:5: error: " + T + ": externalDestinations[1]: name is required: a short text saying what the"
                        + " entry is for");
    }

    @Test
    void testWrongShapes() {
        assertThat(diagnostics(HEAD + """
                phi: []
                clients: {}
                encryptedPorts: [443, {a: 1}]
                clients2: x
                """)).containsExactly(
                "p.yaml:4:6: error: " + T + ": phi: must be a mapping",
                "p.yaml:5:10: error: " + T + ": clients: must be a list",
                "p.yaml:6:23: error: " + T + ": encryptedPorts[1]: " + BAD_PORT,
                "p.yaml:7:1: error: " + T + ": clients2: unknown key, expected one of: apiVersion, clients, dns,"
                        + " encryptedPorts, externalDestinations, failOn, gateways, kind, metadata, phi ('clients2')");
        assertThat(diagnostics(HEAD + """
                clients: [{name: c, plaintext: "yes"}]
                """)).containsExactly("p.yaml:4:32: error: " + T + ": clients[0].plaintext: expected true or false"
                + " ('yes')");
    }

    @Test
    void testProfileIsNamedWithoutANamespace() {
        assertThat(read(HEAD + "failOn: severe\n").diagnostics()).extracting(Diagnostic::message)
                .containsExactly("Profile t: failOn: expected critical, high, medium, low or none ('severe')");
    }

    // ---------------------------------------------------------------- what a valid profile means

    @Test
    void testValidProfileReadsEveryFeature() {
        Profile profile = parse(HEAD + """
                phi:
                  namespaceSelectors: [{matchLabels: {zone: phi}}]
                  podSelectors: [{matchExpressions: [{key: data, operator: In, values: [phi]}]}]
                clients:
                  - name: scraper
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}
                    ports: [metrics, 9100/TCP]
                    plaintext: true
                  - name: reports
                    podSelector: {matchLabels: {app: reports}}
                    to: {podSelector: {matchLabels: {app: db}}}
                gateways:
                  - name: public
                    podSelector: {matchLabels: {app: api}}
                    ports: [443]
                externalDestinations:
                  - name: clearinghouse
                    cidrs: [203.0.113.0/24, 2001:db8::/32]
                    ports: [443/TCP, 8000-8100/UDP]
                encryptedPorts: [443/TCP, https]
                dns:
                  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dns}}
                failOn: none
                """);
        assertThat(profile.name()).isEqualTo("t");
        assertThat(profile.source()).hasToString("p.yaml:1:1");
        assertThat(profile.phiNamespaces()).containsExactly(LabelSelector.of(Map.of("zone", "phi")));
        assertThat(profile.phiWorkloads()).hasSize(1);
        assertThat(profile.phiWorkloads().get(0).matches(Map.of("data", "phi"))).isTrue();
        assertThat(profile.phiWorkloads().get(0).matches(Map.of("data", "other"))).isFalse();

        assertThat(profile.clients()).extracting(Profile.Client::name).containsExactly("scraper", "reports");
        Profile.Client scraper = profile.clients().get(0);
        assertThat(scraper.from()).isEqualTo(new WorkloadSelector(
                LabelSelector.of(Map.of("kubernetes.io/metadata.name", "mon")), LabelSelector.ALL));
        assertThat(scraper.to()).isEmpty();
        assertThat(texts(scraper.ports())).containsExactly("metrics", "9100/TCP");
        assertThat(scraper.plaintext()).isTrue();
        assertThat(scraper.source()).hasToString("p.yaml:8:5");
        Profile.Client reports = profile.clients().get(1);
        assertThat(reports.to()).contains(new WorkloadSelector(LabelSelector.ALL,
                LabelSelector.of(Map.of("app", "db"))));
        assertThat(reports.ports()).isEmpty();
        assertThat(reports.plaintext()).isFalse();

        Profile.Gateway gateway = profile.gateways().get(0);
        assertThat(gateway.from()).isEqualTo(IpSet.ALL);
        assertThat(texts(gateway.ports())).containsExactly("443/TCP");

        Profile.ExternalDestination destination = profile.externalDestinations().get(0);
        assertThat(destination.cidrs()).containsExactly("203.0.113.0/24", "2001:db8::/32");
        assertThat(destination.addresses()).isEqualTo(IpSet.of(List.of(IpRange.fromCidr("203.0.113.0/24"),
                IpRange.fromCidr("2001:db8::/32"))));
        assertThat(texts(destination.ports())).containsExactly("443/TCP", "8000-8100/UDP");

        assertThat(texts(profile.encryptedPorts())).containsExactly("443/TCP", "https");
        // each DNS key left out takes its default: the pods are kube-dns's, the ports 53 over UDP and TCP
        assertThat(profile.dns().workloads()).isEqualTo(new WorkloadSelector(
                LabelSelector.of(Map.of("kubernetes.io/metadata.name", "dns")),
                LabelSelector.of(Map.of("k8s-app", "kube-dns"))));
        assertThat(texts(profile.dns().ports())).containsExactly("53/UDP", "53/TCP");
        assertThat(profile.failOn()).isEmpty();
    }

    @Test
    void testMinimalProfileFailsOnHighAndHasNothingElse() {
        Profile profile = parse(HEAD);
        assertThat(profile.failOn()).contains(Severity.HIGH);
        assertThat(profile.phiNamespaces()).isEmpty();
        assertThat(profile.phiWorkloads()).isEmpty();
        assertThat(profile.clients()).isEmpty();
        assertThat(profile.gateways()).isEmpty();
        assertThat(profile.externalDestinations()).isEmpty();
        assertThat(profile.encryptedPorts()).isEmpty();
        assertThat(texts(profile.dns().ports())).containsExactly("53/UDP", "53/TCP");
    }

    @Test
    void testMinimalProfileDnsDefaultsToKubeDns() {
        assertThat(parse(HEAD).dns()).isEqualTo(ProfileReader.defaultProfile().dns());
    }

    @Test
    void testFailOnEveryThreshold() {
        for (Severity severity : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            assertThat(parse(HEAD + "failOn: " + severity.label() + "\n").failOn()).contains(severity);
        }
        assertThat(parse(HEAD + "failOn: MEDIUM\n").failOn()).contains(Severity.MEDIUM);
    }

    @Test
    void testProfileAmongManifestsIsFoundBesideOtherObjects() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                ---
                """ + HEAD);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.profiles()).extracting(Profile::name).containsExactly("t");
        assertThat(result.profiles().get(0).source()).hasToString("p.yaml:5:1");
        assertThat(result.cluster().namespaces()).extracting(n -> n.name()).containsExactly("a");
    }

    @Test
    void testUnknownPhiguardKindIsAWarning() {
        IngestResult result = read("""
                apiVersion: phiguard.dev/v1alpha1
                kind: Policy
                metadata: {name: x}
                """);
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "p.yaml:2:7: warning: Policy x: kind: unknown phiguard kind, expected Profile or Expectations; skipped"
                        + " ('Policy')");
        assertThat(result.profiles()).isEmpty();
    }

    // ---------------------------------------------------------------- ProfileReader.read

    private static String write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    private static final String ONE = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Profile
            metadata: {name: one}
            """;

    @Test
    void testReadFileWithTwoProfilesIsAnError(@TempDir Path dir) throws IOException {
        String path = write(dir, "two.yaml", ONE + "---\n" + ONE.replace("one", "two"));
        ProfileReader.Result result = ProfileReader.read(path, NO_STDIN);
        assertThat(result.profile()).isEmpty();
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                path + ": error: holds 2 Profile documents; a profile file must hold exactly one");
    }

    @Test
    void testReadFileWithoutProfileIsAnError(@TempDir Path dir) throws IOException {
        String path = write(dir, "none.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
        ProfileReader.Result result = ProfileReader.read(path, NO_STDIN);
        assertThat(result.profile()).isEmpty();
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                path + ": warning: 1 object that is not a Profile is ignored here",
                path + ": error: no Profile document (apiVersion: phiguard.dev/v1alpha1, kind: Profile);"
                        + " `phiguard profile --default` prints one to start from");
        String empty = write(dir, "empty.yaml", "");
        assertThat(ProfileReader.read(empty, NO_STDIN).diagnostics()).extracting(Diagnostic::toString)
                .containsExactly(empty + ": error: no Profile document (apiVersion: phiguard.dev/v1alpha1, kind:"
                        + " Profile); `phiguard profile --default` prints one to start from");
    }

    @Test
    void testReadFileWithOneProfileAndOtherObjectsWarnsAndUsesIt(@TempDir Path dir) throws IOException {
        String path = write(dir, "mixed.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n" + ONE
                + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
        ProfileReader.Result result = ProfileReader.read(path, NO_STDIN);
        assertThat(result.profile().map(Profile::name)).contains("one");
        assertThat(result.profile().get().source()).hasToString(path + ":5:1");
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                path + ": warning: 2 objects that are not a Profile are ignored here");
    }

    @Test
    void testReadInvalidProfileReportsOnlyItsErrors(@TempDir Path dir) throws IOException {
        String path = write(dir, "bad.yaml", ONE + "failOn: severe\n");
        ProfileReader.Result result = ProfileReader.read(path, NO_STDIN);
        assertThat(result.profile()).isEmpty();
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                path + ":4:9: error: Profile one: failOn: expected critical, high, medium, low or none"
                        + " ('severe')");
    }

    @Test
    void testReadMissingFileAndStandardInput(@TempDir Path dir) {
        String missing = dir.resolve("missing.yaml").toString();
        ProfileReader.Result result = ProfileReader.read(missing, NO_STDIN);
        assertThat(result.profile()).isEmpty();
        assertThat(result.diagnostics()).extracting(Diagnostic::toString)
                .containsExactly(missing + ": error: no such file or folder");
        ProfileReader.Result stdin = ProfileReader.read("-",
                new ByteArrayInputStream(ONE.getBytes(StandardCharsets.UTF_8)));
        assertThat(stdin.diagnostics()).isEmpty();
        assertThat(stdin.profile().map(Profile::name)).contains("one");
    }

    // ---------------------------------------------------------------- the built-in default

    @Test
    void testDefaultProfileParsesWithoutDiagnostics() {
        IngestResult result = ManifestReader.readString(ProfileReader.DEFAULT_SOURCE,
                ProfileReader.defaultProfileText());
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.profiles()).hasSize(1);
        assertThat(result.objectsRead()).isEqualTo(1);
        assertThat(ProfileReader.defaultProfileText()).startsWith("# phiguard profile:").contains("failOn: high");
    }

    @Test
    void testDefaultProfileHasTheDocumentedDefaults() {
        Profile profile = ProfileReader.defaultProfile();
        assertThat(profile.name()).isEqualTo("default");
        assertThat(profile.source().file()).isEqualTo(ProfileReader.DEFAULT_SOURCE);
        assertThat(profile.failOn()).isEqualTo(Optional.of(Severity.HIGH));
        assertThat(profile.dns().workloads()).isEqualTo(new WorkloadSelector(
                LabelSelector.of(Map.of("kubernetes.io/metadata.name", "kube-system")),
                LabelSelector.of(Map.of("k8s-app", "kube-dns"))));
        assertThat(texts(profile.dns().ports())).containsExactly("53/UDP", "53/TCP");
        assertThat(texts(profile.encryptedPorts())).containsExactly("443/TCP", "8443/TCP", "6443/TCP", "465/TCP",
                "636/TCP", "993/TCP", "995/TCP", "2484/TCP", "5671/TCP", "8883/TCP", "https", "grpcs", "tls", "amqps",
                "mqtts", "ldaps");
        assertThat(profile.phiNamespaces()).isEmpty();
        assertThat(profile.phiWorkloads()).isEmpty();
        assertThat(profile.clients()).isEmpty();
        assertThat(profile.gateways()).isEmpty();
        assertThat(profile.externalDestinations()).isEmpty();
    }
}
