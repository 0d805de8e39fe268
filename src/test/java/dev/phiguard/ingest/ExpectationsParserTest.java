package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.Expectations;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.SourceRef;
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
 * Expectations documents: every problem is a diagnostic at its line and column, pinned to its
 * exact text ({@code file:line:column: error: Expectations name: path: message ('bad value')}),
 * and a document with an error is not used.
 */
class ExpectationsParserTest {
    private static final String FILE = "e.yaml";
    private static final String T = "Expectations t";
    private static final String PORT = ExpectationsParser.PORT_EXPECTED;

    /** Lines 1-4; the first assertion starts on line 5. */
    private static final String HEAD = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Expectations
            metadata: {name: t}
            expectations:
            """;

    private static IngestResult read(String yaml) {
        return ManifestReader.readString(FILE, yaml);
    }

    private static List<String> diagnostics(String yaml) {
        IngestResult result = read(yaml);
        if (result.errorCount() > 0) {
            // a suite with a problem is not used
            assertThat(result.expectations()).isEmpty();
            assertThat(result.rejected()).containsExactly(T);
        }
        return result.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private static Expectations parse(String yaml) {
        IngestResult result = read(yaml);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.expectations()).hasSize(1);
        return result.expectations().get(0);
    }

    // ---------------------------------------------------------------- what is read

    @Test
    void testPairAssertionsWithEveryKindOfEndAndPort() {
        Expectations suite = parse(HEAD + """
                  - name: by name
                    from: phi/fhir-server
                    to: phi/ehr-db[statefulset]
                    port: 5432
                    expect: allow
                  - name: by selector and range
                    from: {namespaceSelector: {matchLabels: {zone: app}}}
                    to: {podSelector: {matchLabels: {app: db}}}
                    port: 8000-8100
                    protocol: udp
                    expect: deny
                  - name: to addresses
                    from: {}
                    to: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}
                    port: 53/UDP
                    expect: deny
                  - name: from an address, by port name
                    from: 192.0.2.1
                    to: phi/ehr-db
                    port: postgres
                    expect: allow
                  - name: a protocol alone
                    from: 2001:db8::/32
                    to: phi/ehr-db
                    protocol: SCTP
                    expect: deny
                  - {name: everything, from: a/b, to: c/d, expect: deny}
                """);
        assertThat(suite.name()).isEqualTo("t");
        assertThat(suite.source()).isEqualTo(new SourceRef(FILE, 1, 1));
        List<Expectations.Assertion> assertions = suite.assertions();
        assertThat(assertions).hasSize(6).allSatisfy(a -> assertThat(a).isInstanceOf(Expectations.Pair.class));

        Expectations.Pair byName = (Expectations.Pair) assertions.get(0);
        assertThat(byName.name()).isEqualTo("by name");
        assertThat(byName.from()).isEqualTo(new Expectations.Endpoint.Workload("phi", "fhir-server", Optional.empty(),
                new SourceRef(FILE, 6, 11)));
        // the kind is spelled as phiguard prints it
        assertThat(byName.to()).hasToString("phi/ehr-db[StatefulSet]");
        assertThat(byName.port()).contains(new PortMatcher.Numbers(Protocol.TCP, PortRange.of(5432)));
        assertThat(byName.expect()).isEqualTo(Expectations.Verdict.ALLOW);
        assertThat(byName.source()).isEqualTo(new SourceRef(FILE, 5, 5));

        Expectations.Pair bySelector = (Expectations.Pair) assertions.get(1);
        assertThat(bySelector.from()).isInstanceOfSatisfying(Expectations.Endpoint.Selector.class, s -> assertThat(
                s.selector()).isEqualTo(new WorkloadSelector(LabelSelector.of(Map.of("zone", "app")),
                        LabelSelector.ALL)));
        assertThat(bySelector.from()).hasToString("every workload in namespaces zone=app");
        assertThat(bySelector.to()).hasToString("pods app=db in every namespace");
        assertThat(bySelector.port()).contains(new PortMatcher.Numbers(Protocol.UDP, PortRange.of(8000, 8100)));
        assertThat(bySelector.expect()).isEqualTo(Expectations.Verdict.DENY);

        Expectations.Pair toAddresses = (Expectations.Pair) assertions.get(2);
        assertThat(toAddresses.from()).hasToString("every workload");
        assertThat(toAddresses.to()).isInstanceOfSatisfying(Expectations.Endpoint.Addresses.class, a -> {
            assertThat(a.text()).isEqualTo("0.0.0.0/0 except 10.0.0.0/8");
            assertThat(a.addresses()).isEqualTo(IpSet.fromCidr("0.0.0.0/0", List.of("10.0.0.0/8")));
        });
        assertThat(toAddresses.port()).contains(new PortMatcher.Numbers(Protocol.UDP, PortRange.of(53)));

        Expectations.Pair fromAddress = (Expectations.Pair) assertions.get(3);
        assertThat(fromAddress.from()).isInstanceOfSatisfying(Expectations.Endpoint.Addresses.class,
                a -> assertThat(a.addresses()).isEqualTo(IpSet.of(IpRange.fromAddress("192.0.2.1"))));
        assertThat(fromAddress.port()).contains(new PortMatcher.Named("postgres"));

        Expectations.Pair protocolAlone = (Expectations.Pair) assertions.get(4);
        assertThat(protocolAlone.from()).isInstanceOfSatisfying(Expectations.Endpoint.Addresses.class,
                a -> assertThat(a.addresses()).isEqualTo(IpSet.of(IpRange.fromCidr("2001:db8::/32"))));
        assertThat(protocolAlone.port()).contains(new PortMatcher.Numbers(Protocol.SCTP, PortRange.ALL));

        assertThat(assertions.get(5).port()).isEmpty();
    }

    @Test
    void testOnlyAssertionsInBothDirections() {
        Expectations suite = parse(HEAD + """
                  - name: only these reach the database
                    only:
                      to: phi/ehr-db
                      from: [phi/fhir-server, {cidr: 10.0.0.0/8}]
                    port: postgres
                  - name: the database reaches only DNS
                    only: {from: phi/ehr-db, to: [kube-system/coredns]}
                  - name: nothing reaches the vault
                    only: {to: sec/vault, from: []}
                """);
        assertThat(suite.assertions().get(0)).isInstanceOfSatisfying(Expectations.OnlyReachedBy.class, only -> {
            assertThat(only.to()).hasToString("phi/ehr-db");
            assertThat(only.from()).extracting(Object::toString).containsExactly("phi/fhir-server", "10.0.0.0/8");
            assertThat(only.port()).contains(new PortMatcher.Named("postgres"));
        });
        assertThat(suite.assertions().get(1)).isInstanceOfSatisfying(Expectations.ReachesOnly.class, only -> {
            assertThat(only.from()).hasToString("phi/ehr-db");
            assertThat(only.to()).extracting(Object::toString).containsExactly("kube-system/coredns");
            assertThat(only.port()).isEmpty();
        });
        assertThat(suite.assertions().get(2)).isInstanceOfSatisfying(Expectations.OnlyReachedBy.class,
                only -> assertThat(only.from()).isEmpty());
    }

    // ---------------------------------------------------------------- diagnostics

    @Test
    void testUnknownKeysAtEveryLevel() {
        assertThat(diagnostics("""
                apiVersion: phiguard.dev/v1alpha1
                kind: Expectations
                metadata: {name: t}
                tests: []
                expectations:
                  - name: a
                    form: a/b
                    from: a/b
                    to: {podSelector: {matchLabel: {app: x}}, namespace: c}
                    expect: deny
                  - name: b
                    only: {to: a/b, from: [], port: 80}
                """)).containsExactly(
                "e.yaml:4:1: error: " + T + ": tests: unknown key, expected one of: apiVersion, expectations, kind,"
                        + " metadata ('tests')",
                "e.yaml:7:5: error: " + T + ": expectations[0].form: unknown key, expected one of: expect, from, name,"
                        + " only, port, protocol, to ('form')",
                "e.yaml:9:24: error: " + T + ": expectations[0].to.podSelector.matchLabel: unknown key, expected one"
                        + " of: matchExpressions, matchLabels ('matchLabel')",
                "e.yaml:9:47: error: " + T + ": expectations[0].to.namespace: unknown key, expected one of: cidr,"
                        + " except, namespaceSelector, podSelector ('namespace')",
                "e.yaml:12:31: error: " + T + ": expectations[1].only.port: unknown key, expected one of: from, to"
                        + " ('port')");
    }

    @Test
    void testWrongApiVersion() {
        assertThat(diagnostics("""
                apiVersion: phiguard.dev/v1
                kind: Expectations
                metadata: {name: t}
                expectations: []
                """)).containsExactly(
                "e.yaml:1:13: error: " + T + ": apiVersion: unsupported apiVersion, expected phiguard.dev/v1alpha1"
                        + " ('phiguard.dev/v1')",
                "e.yaml:4:15: warning: " + T + ": expectations: the list is empty: nothing will be tested");
    }

    @Test
    void testNameAndListAreRequired() {
        IngestResult unnamed = read("""
                apiVersion: phiguard.dev/v1alpha1
                kind: Expectations
                metadata: {labels: {a: b}}
                """);
        assertThat(unnamed.rejected()).containsExactly("Expectations (unnamed)");
        assertThat(unnamed.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "e.yaml:1:1: error: Expectations (unnamed): expectations is required: the list of assertions",
                "e.yaml:3:11: error: Expectations (unnamed): metadata: metadata.name is required: the name of the"
                        + " suite in test reports");
        assertThat(diagnostics(HEAD.replace("expectations:", "expectations: {a: 1}"))).containsExactly(
                "e.yaml:4:15: error: " + T + ": expectations: must be a list");
    }

    @Test
    void testEveryAssertionNeedsADistinctName() {
        assertThat(diagnostics(HEAD + """
                  - {from: a/b, to: c/d, expect: deny}
                  - {name: "", from: a/b, to: c/d, expect: deny}
                  - {name: x, from: a/b, to: c/d, expect: deny}
                  - {name: x, from: a/b, to: c/d, expect: allow}
                  - just text
                """)).containsExactly(
                "e.yaml:5:5: error: " + T + ": expectations[0]: name is required: a short sentence saying what must"
                        + " hold, the test case's name in reports",
                "e.yaml:6:12: error: " + T + ": expectations[1].name: name is required: a short sentence saying what"
                        + " must hold, the test case's name in reports ('')",
                "e.yaml:8:12: error: " + T + ": expectations[3].name: duplicate name: expectations[2] has it already;"
                        + " test cases need distinct names ('x')",
                "e.yaml:9:5: error: " + T + ": expectations[4]: must be a mapping with name and either from, to and"
                        + " expect, or only ('just text')");
    }

    @Test
    void testAPairOrAnOnlyNeitherBothNorHalf() {
        assertThat(diagnostics(HEAD + """
                  - name: neither
                  - name: both
                    from: a/b
                    only: {to: a/b, from: []}
                  - name: half a pair
                    from: a/b
                """)).containsExactly(
                "e.yaml:5:5: error: " + T + ": expectations[0]: needs from, to and expect (a pair), or only (\"only"
                        + " these reach X\": only: {to: X, from: [A, B]}; \"X reaches only these\": only: {from: X, to:"
                        + " [A, B]})",
                "e.yaml:8:5: error: " + T + ": expectations[1].only: only cannot be combined with from, to or expect:"
                        + " an assertion is either a pair (from, to, expect) or a blanket one (only)",
                "e.yaml:9:5: error: " + T + ": expectations[2]: to is required: " + ExpectationsParser.ENDPOINT_EXPECTED,
                "e.yaml:9:5: error: " + T + ": expectations[2]: expect is required: allow or deny");
    }

    @Test
    void testOnlyNeedsOneEndAndOneList() {
        assertThat(diagnostics(HEAD + """
                  - {name: two lists, only: {to: [a/b], from: [c/d]}}
                  - {name: no list, only: {to: a/b, from: c/d}}
                  - {name: one key, only: {to: a/b}}
                  - {name: not a mapping, only: [a/b]}
                """)).containsExactly(
                "e.yaml:5:29: error: " + T + ": expectations[0].only: exactly one of from and to must be a list: {to:"
                        + " X, from: [A, B]} (only these reach X) or {from: X, to: [A, B]} (X reaches only these)",
                "e.yaml:6:27: error: " + T + ": expectations[1].only: exactly one of from and to must be a list: {to:"
                        + " X, from: [A, B]} (only these reach X) or {from: X, to: [A, B]} (X reaches only these)",
                "e.yaml:7:27: error: " + T + ": expectations[2].only: needs to and from: {to: X, from: [A, B]} (only"
                        + " these reach X) or {from: X, to: [A, B]} (X reaches only these)",
                "e.yaml:8:33: error: " + T + ": expectations[3].only: must be a mapping: {to: X, from: [A, B]} or"
                        + " {from: X, to: [A, B]}");
    }

    @Test
    void testBadWorkloadReferences() {
        assertThat(diagnostics(HEAD + """
                  - {name: a, from: phi, to: phi/, expect: deny}
                  - {name: b, from: Phi/db, to: phi/DB, expect: deny}
                  - {name: c, from: "phi/db[Thing]", to: "phi/db[", expect: deny}
                  - {name: d, from: a/b/c, to: 42, expect: deny}
                """)).containsExactly(
                "e.yaml:5:21: error: " + T + ": expectations[0].from: " + ExpectationsParser.ENDPOINT_EXPECTED
                        + " ('phi')",
                "e.yaml:5:30: error: " + T + ": expectations[0].to: " + ExpectationsParser.ENDPOINT_EXPECTED
                        + " ('phi/')",
                "e.yaml:6:21: error: " + T + ": expectations[1].from: invalid namespace in workload: a namespace is a"
                        + " lower-case DNS label (phi, kube-system) ('Phi/db')",
                "e.yaml:6:33: error: " + T + ": expectations[1].to: invalid name in workload: a workload name is a"
                        + " lower-case DNS subdomain (ehr-db) ('phi/DB')",
                "e.yaml:7:21: error: " + T + ": expectations[2].from: unknown workload kind, expected one of: CronJob,"
                        + " DaemonSet, Deployment, Job, Pod, ReplicaSet, ReplicationController, StatefulSet"
                        + " ('phi/db[Thing]')",
                "e.yaml:7:42: error: " + T + ": expectations[2].to: " + ExpectationsParser.ENDPOINT_EXPECTED
                        + " ('phi/db[')",
                "e.yaml:8:21: error: " + T + ": expectations[3].from: " + ExpectationsParser.ENDPOINT_EXPECTED
                        + " ('a/b/c')",
                "e.yaml:8:32: error: " + T + ": expectations[3].to: " + ExpectationsParser.ENDPOINT_EXPECTED
                        + " ('42')");
    }

    @Test
    void testBadAddresses() {
        assertThat(diagnostics(HEAD + """
                  - {name: a, from: 10.1.0.0/8, to: 300.1.1.1, expect: deny}
                  - {name: b, from: {cidr: 10.0.0.0/33}, to: a/b, expect: deny}
                  - {name: c, from: {cidr: 10.0.0.0/8, except: [11.0.0.0/16, 10.0.0.0/8]}, to: a/b, expect: deny}
                  - {name: d, from: {except: [10.0.0.0/8]}, to: a/b, expect: deny}
                  - {name: e, from: {cidr: 10.0.0.0/8, podSelector: {}}, to: a/b, expect: deny}
                  - {name: f, from: {cidr: [10.0.0.0/8]}, to: a/b, expect: deny}
                """)).containsExactly(
                "e.yaml:5:21: error: " + T + ": expectations[0].from: not a canonical CIDR (bits set beyond the prefix"
                        + " length, or leading zeros); write 10.0.0.0/8 ('10.1.0.0/8')",
                "e.yaml:5:37: error: " + T + ": expectations[0].to: invalid address, expected an IP address such as"
                        + " 8.8.8.8 or a CIDR such as 203.0.113.0/24 ('300.1.1.1')",
                "e.yaml:6:28: error: " + T + ": expectations[1].from.cidr: invalid CIDR, expected an address and a"
                        + " prefix length such as 203.0.113.0/24 ('10.0.0.0/33')",
                "e.yaml:7:49: error: " + T + ": expectations[2].from.except[0]: except must be a strict subset of cidr"
                        + " 10.0.0.0/8 ('11.0.0.0/16')",
                "e.yaml:7:62: error: " + T + ": expectations[2].from.except[1]: except must be a strict subset of cidr"
                        + " 10.0.0.0/8 ('10.0.0.0/8')",
                "e.yaml:8:22: error: " + T + ": expectations[3].from.except: except needs a cidr to take addresses"
                        + " out of",
                "e.yaml:9:21: error: " + T + ": expectations[4].from: an endpoint is either workloads"
                        + " (namespaceSelector, podSelector) or addresses (cidr), not both",
                "e.yaml:10:28: error: " + T + ": expectations[5].from.cidr: invalid CIDR, expected an address and a"
                        + " prefix length such as 203.0.113.0/24, or an address");
    }

    @Test
    void testAddressesAtBothEndsAndPortNamesTowardsAddresses() {
        assertThat(diagnostics(HEAD + """
                  - {name: a, from: 10.0.0.1, to: {cidr: 0.0.0.0/0}, expect: deny}
                  - {name: b, from: a/b, to: 10.0.0.1, port: https, expect: allow}
                  - {name: c, only: {from: 10.0.0.0/8, to: [a/b, 192.0.2.0/24]}}
                  - {name: d, only: {to: 10.0.0.0/8, from: [a/b]}, port: https}
                """)).containsExactly(
                "e.yaml:5:35: error: " + T + ": expectations[0].to: from and to are both addresses outside the"
                        + " cluster; no policy governs traffic between them",
                "e.yaml:6:46: error: " + T + ": expectations[1].port: a port name means a container port of the"
                        + " destination, which is outside the cluster here; give a number ('https')",
                "e.yaml:7:50: error: " + T + ": expectations[2].only.to[1]: addresses outside the cluster here would"
                        + " pair with the addresses of from; no policy governs traffic between them",
                "e.yaml:8:58: error: " + T + ": expectations[3].port: a port name means a container port of the"
                        + " destination, which is outside the cluster here; give a number ('https')");
    }

    @Test
    void testBadPortsProtocolsAndVerdicts() {
        assertThat(diagnostics(HEAD + """
                  - {name: a, from: a/b, to: c/d, port: 70000, expect: allow}
                  - {name: b, from: a/b, to: c/d, port: 9-1, expect: allow}
                  - {name: c, from: a/b, to: c/d, port: my_port, expect: allow}
                  - {name: d, from: a/b, to: c/d, port: {number: 80}, expect: allow}
                  - {name: e, from: a/b, to: c/d, port: 80, protocol: ICMP, expect: allow}
                  - {name: f, from: a/b, to: c/d, port: https, protocol: TCP, expect: allow}
                  - {name: g, from: a/b, to: c/d, port: 53/UDP, protocol: UDP, expect: allow}
                  - {name: h, from: a/b, to: c/d, expect: maybe}
                  - {name: i, from: a/b, to: c/d, expect: Allow}
                """)).containsExactly(
                "e.yaml:5:41: error: " + T + ": expectations[0].port: " + PORT + " ('70000')",
                "e.yaml:6:41: error: " + T + ": expectations[1].port: " + PORT + " ('9-1')",
                "e.yaml:7:41: error: " + T + ": expectations[2].port: " + PORT + " ('my_port')",
                "e.yaml:8:41: error: " + T + ": expectations[3].port: " + PORT,
                "e.yaml:9:55: error: " + T + ": expectations[4].protocol: unsupported protocol, expected TCP, UDP or"
                        + " SCTP ('ICMP')",
                "e.yaml:10:58: error: " + T + ": expectations[5].protocol: a container port name carries its own"
                        + " protocol; leave protocol out ('TCP')",
                "e.yaml:11:59: error: " + T + ": expectations[6].protocol: the port names its protocol already"
                        + " ('53/UDP'); give it once ('UDP')",
                "e.yaml:12:43: error: " + T + ": expectations[7].expect: expected allow or deny ('maybe')",
                "e.yaml:13:43: error: " + T + ": expectations[8].expect: expected allow or deny ('Allow')");
    }

    @Test
    void testBadSelectorsAreReportedWhereTheyAre() {
        assertThat(diagnostics(HEAD + """
                  - name: a
                    from:
                      podSelector:
                        matchExpressions:
                          - {key: app, operator: Has, values: [x]}
                    to: a/b
                    expect: deny
                  - name: b
                    from: {namespaceSelector: [zone]}
                    to: a/b
                    expect: deny
                """)).containsExactly(
                "e.yaml:9:34: error: " + T + ": expectations[0].from.podSelector.matchExpressions[0].operator:"
                        + " unsupported operator, expected In, NotIn, Exists or DoesNotExist ('Has')",
                "e.yaml:13:31: error: " + T + ": expectations[1].from.namespaceSelector: must be a label selector"
                        + " (matchLabels, matchExpressions)");
    }

    @Test
    void testDiagnosticsFollowTheConvention() {
        assertThat(diagnostics(HEAD + """
                  - {name: a, from: 10.1.0.0/8, to: 300.1.1.1, port: 70000, expect: maybe}
                """)).hasSize(4).allSatisfy(diagnostic -> assertThat(diagnostic)
                        .matches("e\\.yaml:\\d+:\\d+: error: Expectations t: expectations\\[0\\]\\.[a-z]+: [a-z][^']*"
                                + " \\('[^']+'\\)"));
    }

    // ---------------------------------------------------------------- ExpectationsReader

    @Test
    void testReaderReadsEveryDocumentOfAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tests.yaml");
        Files.writeString(file, HEAD + "  - {name: a, from: a/b, to: c/d, expect: deny}\n---\n"
                + HEAD.replace("name: t", "name: u") + "  - {name: a, from: a/b, to: c/d, expect: allow}\n");
        ExpectationsReader.Result result = ExpectationsReader.read(file.toString(), InputStream.nullInputStream());
        assertThat(result.ok()).isTrue();
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.suites()).extracting(Expectations::name).containsExactly("t", "u");
    }

    @Test
    void testReaderFromStandardInputWarnsAboutOtherObjects() {
        String yaml = HEAD + "  - {name: a, from: a/b, to: c/d, expect: deny}\n---\n"
                + "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
        ExpectationsReader.Result result = ExpectationsReader.read("-",
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.ok()).isTrue();
        assertThat(result.suites()).hasSize(1);
        assertThat(result.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "<stdin>: warning: 1 object that is not an Expectations document is ignored here");
    }

    @Test
    void testReaderNeedsADocumentAndRefusesOneWithAnError(@TempDir Path dir) throws IOException {
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
        ExpectationsReader.Result empty = ExpectationsReader.read(none.toString(), InputStream.nullInputStream());
        assertThat(empty.ok()).isFalse();
        assertThat(empty.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                none + ": warning: 1 object that is not an Expectations document is ignored here",
                none + ": error: no Expectations document (apiVersion: phiguard.dev/v1alpha1, kind: Expectations);"
                        + " `phiguard test --help` shows one to start from");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, HEAD + "  - {name: a, from: a/b, to: c/d, expect: deny}\n---\n"
                + HEAD.replace("name: t", "name: u") + "  - {name: a, from: a/b, to: c/d, expect: allowed}\n");
        ExpectationsReader.Result invalid = ExpectationsReader.read(bad.toString(), InputStream.nullInputStream());
        assertThat(invalid.ok()).isFalse();
        assertThat(invalid.suites()).extracting(Expectations::name).containsExactly("t");
        assertThat(invalid.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                bad + ":11:43: error: Expectations u: expectations[0].expect: expected allow or deny ('allowed')");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, HEAD + "  - {name: a, from: a/b, to: c/d, expect: deny}\n---\nkey: [unclosed\n");
        ExpectationsReader.Result syntax = ExpectationsReader.read(broken.toString(), InputStream.nullInputStream());
        assertThat(syntax.ok()).as("a syntax error may have cost an assertion").isFalse();
        assertThat(syntax.diagnostics()).singleElement().satisfies(d -> assertThat(d.toString())
                .startsWith(broken + ":8:1: error: YAML syntax error: "));
    }
}
