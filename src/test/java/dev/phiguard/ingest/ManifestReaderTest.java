package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest reader's diagnostics, pinned to their exact text: {@code file:line:column:
 * severity: message}. Every fixture is written so that its line and column can be checked by
 * counting; comments give the count where it is not obvious.
 */
class ManifestReaderTest {
    private static final String FILE = "m.yaml";
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    private static final String LABEL_VALUE_RULE = "must be empty or at most 63 letters, digits, '-', '_' or '.',"
            + " starting and ending with a letter or digit";
    private static final String LABEL_KEY_RULE = "must be at most 63 letters, digits, '-', '_' or '.', starting and"
            + " ending with a letter or digit, after an optional DNS-subdomain prefix and '/'";

    private static IngestResult read(String yaml) {
        return ManifestReader.readString(FILE, yaml);
    }

    private static List<String> messages(IngestResult result) {
        return result.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    /** NetworkPolicy ns/np; {@code specBody} (indented two spaces) starts on line 7. */
    private static String policy(String specBody) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: np
                  namespace: ns
                spec:
                """ + specBody;
    }

    /** Deployment ns/web with labels app=web; {@code containers} (indented six spaces) starts on line 12. */
    private static String deployment(String containers) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: ns
                spec:
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                """ + containers;
    }

    private static Path write(Path folder, String relative, String text) throws IOException {
        Path file = folder.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
    }

    private static List<String> declaredNamespaces(IngestResult result) {
        return result.cluster().namespaces().stream().filter(n -> !n.isImplicit()).map(n -> n.name()).toList();
    }

    // ---------------------------------------------------------------- NetworkPolicy: ipBlock

    @Test
    void testInvalidCidrIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - from:
                    - ipBlock:
                        cidr: 10.0.0.0/33
                """));
        // line 11: 8 spaces, "cidr:" at 9-13, the value at 15
        assertThat(messages(result)).containsExactly("m.yaml:11:15: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR, expected an address and a prefix length"
                + " such as 10.0.0.0/8 or fd00::/8 ('10.0.0.0/33')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
        assertThat(result.cluster().policies()).isEmpty();
    }

    @Test
    void testCidrWithoutPrefixLengthIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: 10.0.0.1
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:15: error: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.cidr: invalid CIDR, expected an address and a prefix length"
                + " such as 10.0.0.0/8 or fd00::/8 ('10.0.0.1')");
    }

    @Test
    void testExceptOutsideCidrIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                        except:
                        - 192.168.0.0/16
                """));
        // line 13: 8 spaces, "-" at 9, the value at 11
        assertThat(messages(result)).containsExactly("m.yaml:13:11: error: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.except[0]: except must be a strict subset of cidr 10.0.0.0/8"
                + " ('192.168.0.0/16')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testExceptEqualToCidrIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                        except:
                        - 10.0.0.0/8
                """));
        assertThat(messages(result)).containsExactly("m.yaml:13:11: error: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.except[0]: except must be a strict subset of cidr 10.0.0.0/8"
                + " ('10.0.0.0/8')");
        assertThat(result.cluster().policies()).isEmpty();
    }

    @Test
    void testExceptOfTheOtherFamilyIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: 0.0.0.0/0
                        except:
                        - fd00::/8
                """));
        assertThat(messages(result)).containsExactly("m.yaml:13:11: error: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.except[0]: except must be a strict subset of cidr 0.0.0.0/0"
                + " ('fd00::/8')");
    }

    @Test
    void testInvalidExceptIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                        except:
                        - 10.1.0.0
                """));
        assertThat(messages(result)).containsExactly("m.yaml:13:11: error: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.except[0]: invalid CIDR, expected an address and a prefix length"
                + " ('10.1.0.0')");
    }

    @Test
    void testCidrWithHostBitsIsAWarningAndKeepsThePolicy() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: 10.1.0.0/8
                        except:
                        - 10.9.9.9/16
                """));
        assertThat(messages(result)).containsExactly(
                "m.yaml:11:15: warning: NetworkPolicy ns/np: spec.egress[0].to[0].ipBlock.cidr: CIDR has bits set"
                        + " beyond its prefix length; it means 10.0.0.0/8 ('10.1.0.0/8')",
                "m.yaml:13:11: warning: NetworkPolicy ns/np: spec.egress[0].to[0].ipBlock.except[0]: CIDR has bits"
                        + " set beyond its prefix length; it means 10.9.0.0/16 ('10.9.9.9/16')");
        assertThat(result.rejected()).isEmpty();
        assertThat(result.cluster().policies()).extracting(NetworkPolicy::namespacedName).containsExactly("ns/np");
    }

    @Test
    void testIpv6CidrWithHostBitsIsAWarning() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: fd00::1/8
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:15: warning: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.cidr: CIDR has bits set beyond its prefix length; it means fd00::/8"
                + " ('fd00::1/8')");
        assertThat(result.cluster().policies()).hasSize(1);
    }

    @Test
    void testMissingCidrIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        except:
                        - 10.1.0.0/16
                """));
        // cidr is absent: the position is that of the ipBlock mapping, line 11 column 9
        assertThat(messages(result)).containsExactly("m.yaml:11:9: error: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.cidr: cidr is required");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    // ---------------------------------------------------------------- NetworkPolicy: ports

    @Test
    void testEndPortBelowPortIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 80
                      endPort: 79
                """));
        // line 11: 6 spaces, "endPort:" at 7-14, the value at 16
        assertThat(messages(result)).containsExactly("m.yaml:11:16: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].endPort: endPort must be greater than or equal to port 80 ('79')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testEndPortEqualToPortIsAccepted() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 80
                      endPort: 80
                """));
        assertThat(messages(result)).isEmpty();
        assertThat(result.cluster().policies()).hasSize(1);
    }

    @Test
    void testEndPortOutOfRangeIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 80
                      endPort: 65536
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:16: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].endPort: endPort must be between 1 and 65535 ('65536')");
    }

    @Test
    void testEndPortWithNamedPortIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: http
                      endPort: 90
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:16: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].endPort: endPort may not be specified when port is a name (\"http\")"
                + " ('90')");
    }

    @Test
    void testEndPortWithoutPortIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - protocol: UDP
                      endPort: 90
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:16: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].endPort: endPort may not be specified when port is not ('90')");
    }

    @Test
    void testPortZeroIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 0
                """));
        // line 10: 4 spaces, "-" at 5, "port:" at 7-11, the value at 13
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: port must be between 1 and 65535 ('0')");
    }

    @Test
    void testPort65536IsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 65536
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: port must be between 1 and 65535 ('65536')");
    }

    @Test
    void testQuotedNumberAsPortIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: "80"
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: port is a quoted number; write it without quotes ('80')");
    }

    @Test
    void testNamedPortLongerThan15CharactersIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: abcdefghijklmnop
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: a port name must be no more than 15 characters"
                + " ('abcdefghijklmnop')");
    }

    @Test
    void testNamedPortWithUpperCaseIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: HTTP
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: a port name must contain only lower-case letters, digits and '-'"
                + " ('HTTP')");
    }

    @Test
    void testNamedPortWithoutLetterIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 80-443
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: a port name must contain at least one letter ('80-443')");
    }

    @Test
    void testNamedPortWithDoubleHyphenIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: web--ui
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: a port name must not contain consecutive hyphens ('web--ui')");
    }

    @Test
    void testNamedPortEndingWithHyphenIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: web-
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:13: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].port: a port name must not begin or end with a hyphen ('web-')");
    }

    @Test
    void testValidNamedPortIsKept() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: web-ui
                      protocol: UDP
                """));
        assertThat(messages(result)).isEmpty();
        assertThat(result.cluster().policies().get(0).ingress().get(0).ports())
                .containsExactly(new PolicyPort.NamedPort(Protocol.UDP, "web-ui"));
    }

    @Test
    void testLowerCaseProtocolIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - protocol: tcp
                      port: 80
                """));
        // line 10: "-" at 5, "protocol:" at 7-15, the value at 17
        assertThat(messages(result)).containsExactly("m.yaml:10:17: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].protocol: unsupported protocol, expected TCP, UDP or SCTP ('tcp')");
    }

    @Test
    void testIcmpProtocolIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - protocol: ICMP
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:17: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].ports[0].protocol: unsupported protocol, expected TCP, UDP or SCTP ('ICMP')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    // ---------------------------------------------------------------- NetworkPolicy: selectors

    @Test
    void testLowerCaseSelectorOperatorIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - key: app
                      operator: in
                      values: [web]
                """));
        // line 10: 6 spaces, "operator:" at 7-15, the value at 17
        assertThat(messages(result)).containsExactly("m.yaml:10:17: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].operator: unsupported operator, expected In, NotIn, Exists"
                + " or DoesNotExist ('in')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testInWithoutValuesIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - key: app
                      operator: In
                """));
        // values is absent: the position is that of the expression, line 9 column 7
        assertThat(messages(result)).containsExactly("m.yaml:9:7: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].values: values must be non-empty when operator is In");
    }

    @Test
    void testNotInWithEmptyValuesIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - key: app
                      operator: NotIn
                      values: []
                """));
        // line 11: 6 spaces, "values:" at 7-13, "[" at 15
        assertThat(messages(result)).containsExactly("m.yaml:11:15: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].values: values must be non-empty when operator is NotIn");
    }

    @Test
    void testExistsWithValuesIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - key: app
                      operator: Exists
                      values: [a, b]
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:15: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].values: values must be empty when operator is Exists"
                + " ('a,b')");
    }

    @Test
    void testMatchExpressionWithoutKeyIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - operator: Exists
                """));
        assertThat(messages(result)).containsExactly("m.yaml:9:7: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].key: key is required");
    }

    @Test
    void testInvalidLabelKeyInMatchExpressionsIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - key: Example.com/app
                      operator: Exists
                """));
        // line 9: "-" at 5, "key:" at 7-10, the value at 12
        assertThat(messages(result)).containsExactly("m.yaml:9:12: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].key: invalid label key: the prefix before '/' must be a"
                + " lower-case DNS subdomain ('Example.com/app')");
    }

    @Test
    void testInvalidLabelValueInMatchExpressionsIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchExpressions:
                    - key: app
                      operator: In
                      values:
                      - web
                      - "web server"
                """));
        // line 13: 6 spaces, "-" at 7, the quoted value at 9
        assertThat(messages(result)).containsExactly("m.yaml:13:9: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchExpressions[0].values[1]: invalid label value: " + LABEL_VALUE_RULE
                + " ('web server')");
    }

    @Test
    void testInvalidLabelValueInMatchLabelsIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchLabels:
                      app: "web server"
                """));
        // line 9: 6 spaces, "app:" at 7-10, the quoted value at 12
        assertThat(messages(result)).containsExactly("m.yaml:9:12: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchLabels[app]: invalid label value: " + LABEL_VALUE_RULE + " ('web server')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testInvalidLabelKeyInMatchLabelsIsAnError() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchLabels:
                      "app!": web
                """));
        // the position is pinned by testInvalidLabelKeyPointsAtTheKey, which fails today
        assertThat(result.diagnostics()).singleElement().satisfies(diagnostic -> {
            assertThat(diagnostic.severity()).isEqualTo(Diagnostic.Severity.ERROR);
            assertThat(diagnostic.message()).isEqualTo("NetworkPolicy ns/np: spec.podSelector.matchLabels[app!]:"
                    + " invalid label key: " + LABEL_KEY_RULE + " ('app!')");
            assertThat(diagnostic.location().line()).isEqualTo(9);
        });
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testInvalidLabelKeyPointsAtTheKey() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchLabels:
                      "app!": web
                """));
        assertThat(messages(result)).containsExactly("m.yaml:9:7: error: NetworkPolicy ns/np:"
                + " spec.podSelector.matchLabels[app!]: invalid label key: " + LABEL_KEY_RULE + " ('app!')");
    }

    // ---------------------------------------------------------------- NetworkPolicy: peers and structure

    @Test
    void testIpBlockWithPodSelectorInOnePeerIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - from:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                      podSelector: {}
                """));
        // the peer mapping starts on line 10, column 7
        assertThat(messages(result)).containsExactly("m.yaml:10:7: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].from[0]: may not specify both ipBlock and another peer");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testEmptyPeerIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - from:
                    - {}
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:7: error: NetworkPolicy ns/np:"
                + " spec.ingress[0].from[0]: must specify a peer: podSelector, namespaceSelector or ipBlock");
    }

    @Test
    void testUnsupportedPolicyTypeIsAnError() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  policyTypes:
                  - Ingress
                  - Egres
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:5: error: NetworkPolicy ns/np: spec.policyTypes[1]:"
                + " unsupported policy type, expected Ingress or Egress ('Egres')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/np");
    }

    @Test
    void testIngressRulesWithoutIngressPolicyTypeIsAWarning() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  policyTypes: [Egress]
                  ingress:
                  - {}
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:3: warning: NetworkPolicy ns/np: spec.ingress:"
                + " policyTypes does not list Ingress, so these rules have no effect");
        NetworkPolicy kept = result.cluster().policies().get(0);
        assertThat(kept.policyTypes()).containsExactly(Direction.EGRESS);
    }

    @Test
    void testEgressRulesWithoutEgressPolicyTypeIsAWarning() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  policyTypes: [Ingress]
                  egress:
                  - {}
                """));
        assertThat(messages(result)).containsExactly("m.yaml:10:3: warning: NetworkPolicy ns/np: spec.egress:"
                + " policyTypes does not list Egress, so these rules have no effect");
        assertThat(result.cluster().policies().get(0).policyTypes()).containsExactly(Direction.INGRESS);
    }

    @Test
    void testMissingPodSelectorIsAWarning() {
        IngestResult result = read(policy("""
                  policyTypes: [Ingress]
                """));
        assertThat(messages(result)).containsExactly("m.yaml:7:3: warning: NetworkPolicy ns/np: spec: podSelector is"
                + " missing: this policy selects every pod of its namespace");
        assertThat(result.cluster().policies().get(0).podSelector().isEmpty()).isTrue();
    }

    @Test
    void testMissingSpecIsAWarning() {
        IngestResult result = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: deny
                  namespace: ns
                """);
        assertThat(messages(result)).containsExactly("m.yaml:1:1: warning: NetworkPolicy ns/deny: spec is missing:"
                + " this policy selects every pod of its namespace and denies all their ingress");
        NetworkPolicy kept = result.cluster().policies().get(0);
        assertThat(kept.policyTypes()).containsExactly(Direction.INGRESS);
        assertThat(kept.ingress()).isEmpty();
    }

    // ---------------------------------------------------------------- any object

    @Test
    void testMissingNameIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Service
                metadata:
                  namespace: ns
                spec:
                  selector: {app: web}
                """);
        // metadata.name is absent: the position is that of the metadata mapping, line 4 column 3
        assertThat(messages(result)).containsExactly("m.yaml:4:3: error: Service ns/(unnamed): metadata.name is"
                + " required");
        assertThat(result.rejected()).containsExactly("Service ns/(unnamed)");
        assertThat(result.cluster().services()).isEmpty();
    }

    @Test
    void testStringForIntegerIsAnError() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: ns
                spec:
                  replicas: "three"
                  template:
                    spec:
                      containers: []
                """);
        // line 7: "replicas:" at 3-11, the quoted value at 13
        assertThat(messages(result)).containsExactly("m.yaml:7:13: error: Deployment ns/web: spec.replicas: wrong"
                + " type of value, expected an integer ('three')");
        assertThat(result.rejected()).containsExactly("Deployment ns/web");
        assertThat(result.cluster().workloads()).isEmpty();
    }

    @Test
    void testNumberForListIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  namespace: ns
                spec:
                  containers: 5
                """);
        // line 7: "containers:" at 3-13, the value at 15
        assertThat(messages(result)).containsExactly("m.yaml:7:15: error: Pod ns/web: spec.containers: wrong type"
                + " of value, expected a list ('5')");
        assertThat(result.rejected()).containsExactly("Pod ns/web");
    }

    @Test
    void testTypeErrorNamesTheDefaultNamespace() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers: 5
                """);
        assertThat(messages(result)).containsExactly("m.yaml:6:15: error: Pod default/web: spec.containers: wrong"
                + " type of value, expected a list ('5')");
        assertThat(result.rejected()).containsExactly("Pod default/web");
    }

    @Test
    void testKeyWrittenTwiceIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: team
                  labels:
                    tier: web
                    tier: db
                """);
        assertThat(messages(result)).containsExactly("m.yaml:7:5: error: Namespace team: metadata.labels: mapping key"
                + " \"tier\" is written twice");
        assertThat(result.rejected()).containsExactly("Namespace team");
        assertThat(declaredNamespaces(result)).isEmpty();
    }

    @Test
    void testTopLevelKeyWrittenTwiceIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                kind: Namespace
                metadata:
                  name: team
                """);
        assertThat(messages(result)).containsExactly("m.yaml:3:1: error: Namespace team: mapping key \"kind\" is written twice");
        assertThat(declaredNamespaces(result)).isEmpty();
    }

    @Test
    void testRejectedNamesTheNamespaceOfAnObjectWithAKeyWrittenTwice() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: ns
                spec:
                  replicas: 1
                  replicas: 2
                  template:
                    spec:
                      containers: []
                """);
        assertThat(result.rejected()).containsExactly("Deployment ns/web");
    }

    @Test
    void testKeyWrittenTwiceInAListItemLeavesTheItemOut() {
        IngestResult result = read("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: web
                    namespace: ns
                    labels:
                      app: a
                      app: b
                  spec:
                    containers: []
                """);
        assertThat(messages(result)).containsExactly("m.yaml:11:7: error: Pod ns/web: metadata.labels: mapping key"
                + " \"app\" is written twice");
        assertThat(result.cluster().workloads()).isEmpty();
        assertThat(result.rejected()).containsExactly("Pod ns/web");
    }

    @Test
    void testSecondObjectWithSameNameIsAnErrorAndFirstIsKept() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: ns
                spec:
                  selector: {app: web}
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: ns
                spec:
                  selector: {app: other}
                """);
        assertThat(messages(result)).containsExactly("m.yaml:9:1: error: Service ns/web: defined twice; the first"
                + " definition, at m.yaml:1:1, is analysed and this one is left out");
        assertThat(result.cluster().services()).singleElement()
                .satisfies(service -> assertThat(service.selector()).isEqualTo(Map.of("app", "web")));
    }

    @Test
    void testSameNameOfDifferentKindsIsNotADuplicate() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: ns}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web, namespace: ns}
                spec: {podSelector: {}}
                """);
        assertThat(messages(result)).isEmpty();
        assertThat(result.cluster().services()).hasSize(1);
        assertThat(result.cluster().policies()).hasSize(1);
    }

    @Test
    void testDuplicateOfARejectedObjectDoesNotSayTheFirstIsUsed() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  policyTypes: [Sideways]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: np
                  namespace: ns
                spec:
                  podSelector: {}
                """));
        assertThat(messages(result)).noneMatch(message -> message.contains("is analysed and this one is left out"));
    }

    @Test
    void testYamlSyntaxErrorKeepsEarlierDocumentsAndSkipsTheRestOfTheFile() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: first
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: broken
                  labels: {tier: [}
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: after
                """);
        // line 10: "labels:" at 3-9, "{" at 11, "tier:" at 12-16, "[" at 18, "}" at 19
        assertThat(messages(result)).containsExactly("m.yaml:10:19: error: YAML syntax error: expected the node"
                + " content, but found '}' (while parsing a flow node); the rest of this file is skipped");
        assertThat(declaredNamespaces(result)).containsExactly("first");
        assertThat(result.objectsRead()).isEqualTo(1);
    }

    @Test
    void testYamlSyntaxErrorDoesNotStopOtherFiles(@TempDir Path folder) throws IOException {
        Path broken = write(folder, "broken.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n   x: y\n");
        Path good = write(folder, "good.yaml", namespace("good"));
        IngestResult result = ManifestReader.read(List.of(broken.toString(), good.toString()), NO_STDIN);
        // line 5: 3 spaces, "x" at 4, ":" at 5
        assertThat(messages(result)).containsExactly(broken + ":5:5: error: YAML syntax error: mapping values are"
                + " not allowed here; the rest of this file is skipped");
        assertThat(declaredNamespaces(result)).containsExactly("good");
        assertThat(result.filesRead()).isEqualTo(2);
    }

    @Test
    void testTooManyAliasesIsAnError() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 60; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append("]\n");
        }
        yaml.append("---\n").append(namespace("after"));
        IngestResult result = read(yaml.toString());
        assertThat(messages(result)).containsExactly("m.yaml: error: YAML error: Number of aliases for non-scalar"
                + " nodes exceeds the specified max=50; the rest of this file is skipped");
        assertThat(declaredNamespaces(result)).isEmpty();
    }

    @Test
    void testRecursiveAliasSkipsTheDocument() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: loop
                  labels: &x {a: *x}
                ---
                """ + namespace("after"));
        // line 5: "labels:" at 3-9, the anchored mapping "&x" at 11
        assertThat(messages(result)).containsExactly("m.yaml:5:11: error: the document refers to itself through a"
                + " YAML alias; this document is skipped");
        assertThat(declaredNamespaces(result)).containsExactly("after");
    }

    @Test
    void testDocumentThatIsNotAMappingIsSkippedWithAWarning() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: kept
                ---
                - apiVersion: v1
                  kind: Namespace
                ---
                just some text
                """);
        assertThat(messages(result)).containsExactly(
                "m.yaml:6:1: warning: not a Kubernetes object (the document is not a mapping); skipped",
                "m.yaml:9:1: warning: not a Kubernetes object (the document is not a mapping); skipped");
        assertThat(declaredNamespaces(result)).containsExactly("kept");
        assertThat(result.objectsRead()).isEqualTo(1);
    }

    @Test
    void testDocumentWithoutKindIsSkippedWithAWarning() {
        IngestResult result = read("""
                apiVersion: v1
                metadata:
                  name: web
                ---
                """ + namespace("kept"));
        assertThat(messages(result)).containsExactly("m.yaml:1:1: warning: not a Kubernetes object (no kind);"
                + " skipped");
        assertThat(result.objectsRead()).isEqualTo(1);
        assertThat(declaredNamespaces(result)).containsExactly("kept");
    }

    @Test
    void testEmptyDocumentsAreIgnored() {
        IngestResult result = read("---\n# only a comment\n---\n" + namespace("kept") + "---\n");
        assertThat(messages(result)).isEmpty();
        assertThat(declaredNamespaces(result)).containsExactly("kept");
    }

    @Test
    void testByteOrderMarkIsIgnored() {
        IngestResult result = read("\uFEFF" + namespace("kept"));
        assertThat(messages(result)).isEmpty();
        assertThat(declaredNamespaces(result)).containsExactly("kept");
    }

    @Test
    void testListKindIsExpanded() {
        IngestResult result = read("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Namespace
                  metadata:
                    name: team
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata:
                    name: web
                    namespace: team
                  spec:
                    template:
                      metadata:
                        labels: {app: web}
                      spec:
                        containers: []
                """);
        assertThat(messages(result)).isEmpty();
        assertThat(declaredNamespaces(result)).containsExactly("team");
        assertThat(result.cluster().workloads()).extracting(Workload::id)
                .containsExactly(new WorkloadId("team", "web", "Deployment"));
        assertThat(result.objectsRead()).isEqualTo(2);
    }

    @Test
    void testTypedListItemsWithoutKindTakeTheListsKind() {
        IngestResult result = read("""
                apiVersion: v1
                kind: PodList
                items:
                - metadata:
                    name: web-1
                    namespace: team
                  spec:
                    containers: []
                - metadata:
                    name: web-2
                    namespace: team
                  spec:
                    containers: 7
                """);
        // the error's position is inside the second item: line 13, "containers:" at 5-15, the value at 17
        assertThat(messages(result)).containsExactly("m.yaml:13:17: error: Pod team/web-2: spec.containers: wrong"
                + " type of value, expected a list ('7')");
        assertThat(result.cluster().workloads()).extracting(Workload::id)
                .containsExactly(new WorkloadId("team", "web-1", "Pod"));
        assertThat(result.rejected()).containsExactly("Pod team/web-2");
    }

    @Test
    void testListItemWithoutKindIsSkippedWithAWarning() {
        IngestResult result = read("""
                apiVersion: v1
                kind: List
                items:
                - metadata:
                    name: web
                - 5
                - apiVersion: v1
                  kind: Namespace
                  metadata:
                    name: kept
                """);
        assertThat(messages(result)).containsExactly(
                "m.yaml:4:3: warning: List: items[0] has no kind; skipped",
                "m.yaml:6:3: warning: List: items[1] is not an object; skipped");
        assertThat(declaredNamespaces(result)).containsExactly("kept");
    }

    @Test
    void testListWhoseItemsIsNotAListIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: List
                items: {}
                """);
        assertThat(messages(result)).containsExactly("m.yaml:3:8: error: List: items must be a list");
    }

    @Test
    void testCalicoNetworkPolicyIsCountedAsASkippedKind() {
        IngestResult result = read("""
                apiVersion: projectcalico.org/v3
                kind: NetworkPolicy
                metadata:
                  name: allow-web
                  namespace: ns
                spec:
                  selector: app == 'web'
                  ingress:
                  - action: Allow
                """);
        assertThat(messages(result)).isEmpty();
        assertThat(result.skippedKinds()).containsExactly(Map.entry("NetworkPolicy (projectcalico.org/v3)", 1));
        assertThat(result.cluster().policies()).isEmpty();
        assertThat(result.objectsRead()).isEqualTo(1);
    }

    @Test
    void testOtherKindsAreCountedAsSkippedKinds() {
        IngestResult result = read("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: b}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: r}
                """);
        assertThat(messages(result)).isEmpty();
        assertThat(result.skippedKinds()).containsExactly(Map.entry("ConfigMap", 2), Map.entry("Role", 1));
        assertThat(result.objectsRead()).isEqualTo(3);
        assertThat(result.hasUsableInput()).isFalse();
    }

    @Test
    void testInvalidNamespaceLabelIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: team
                  labels:
                    tier: "front end"
                """);
        // line 6: 4 spaces, "tier:" at 5-9, the quoted value at 11
        assertThat(messages(result)).containsExactly("m.yaml:6:11: error: Namespace team: metadata.labels[tier]:"
                + " invalid label value: " + LABEL_VALUE_RULE + " ('front end')");
        assertThat(result.rejected()).containsExactly("Namespace team");
    }

    @Test
    void testNamespaceNameLabelThatDiffersIsAWarning() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: team
                  labels:
                    kubernetes.io/metadata.name: other
                """);
        // line 6: 4 spaces, the 27-character key at 5-31, ":" at 32, the value at 34
        assertThat(messages(result)).containsExactly("m.yaml:6:34: warning: Namespace team:"
                + " metadata.labels[kubernetes.io/metadata.name]: the API server sets this label to the namespace's"
                + " name, \"team\" ('other')");
        assertThat(declaredNamespaces(result)).containsExactly("team");
    }

    @Test
    void testServicePortOutOfRangeIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: ns
                spec:
                  ports:
                  - port: 0
                """);
        // line 8: "-" at 3, "port:" at 5-9, the value at 11
        assertThat(messages(result)).containsExactly("m.yaml:8:11: error: Service ns/web: spec.ports[0].port: port"
                + " must be between 1 and 65535 ('0')");
        assertThat(result.cluster().services()).isEmpty();
    }

    @Test
    void testServiceProtocolIsAnError() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: ns
                spec:
                  ports:
                  - port: 80
                    protocol: http
                """);
        // line 9: 4 spaces, "protocol:" at 5-13, the value at 15
        assertThat(messages(result)).containsExactly("m.yaml:9:15: error: Service ns/web: spec.ports[0].protocol:"
                + " unsupported protocol, expected TCP, UDP or SCTP ('http')");
        assertThat(result.rejected()).containsExactly("Service ns/web");
    }

    // ---------------------------------------------------------------- workloads

    @Test
    void testContainerPortWithoutNumberIsAWarningAndTheWorkloadIsKept() {
        IngestResult result = read(deployment("""
                      - name: app
                        ports:
                        - name: http
                        - containerPort: 8080
                """));
        // line 14: 8 spaces, "-" at 9, the port mapping at 11
        assertThat(messages(result)).containsExactly("m.yaml:14:11: warning: Deployment ns/web:"
                + " spec.template.spec.containers[0].ports[0]: containerPort is required; this port is ignored");
        assertThat(result.cluster().workloads()).singleElement()
                .satisfies(workload -> assertThat(workload.ports()).containsExactly(ContainerPort.of(8080,
                        Protocol.TCP)));
        assertThat(result.rejected()).isEmpty();
    }

    @Test
    void testContainerPortOutOfRangeIsAWarning() {
        IngestResult result = read(deployment("""
                      - name: app
                        ports:
                        - containerPort: 70000
                """));
        // line 14: "-" at 9, "containerPort:" at 11-24, the value at 26
        assertThat(messages(result)).containsExactly("m.yaml:14:26: warning: Deployment ns/web:"
                + " spec.template.spec.containers[0].ports[0].containerPort: containerPort must be between 1 and"
                + " 65535; this port is ignored ('70000')");
        assertThat(result.cluster().workloads()).singleElement()
                .satisfies(workload -> assertThat(workload.ports()).isEmpty());
    }

    @Test
    void testContainerPortProtocolInvalidIsAWarning() {
        IngestResult result = read(deployment("""
                      - name: app
                        ports:
                        - containerPort: 53
                          protocol: udp
                """));
        // line 15: 10 spaces, "protocol:" at 11-19, the value at 21
        assertThat(messages(result)).containsExactly("m.yaml:15:21: warning: Deployment ns/web:"
                + " spec.template.spec.containers[0].ports[0].protocol: unsupported protocol, expected TCP, UDP or"
                + " SCTP; this port is ignored ('udp')");
        assertThat(result.cluster().workloads()).singleElement()
                .satisfies(workload -> assertThat(workload.ports()).isEmpty());
    }

    @Test
    void testDuplicateContainerPortNameIsAWarning() {
        IngestResult result = read(deployment("""
                      - name: app
                        ports:
                        - containerPort: 8080
                          name: http
                      - name: sidecar
                        ports:
                        - containerPort: 9090
                          name: http
                """));
        // line 19: 10 spaces, "name:" at 11-15, the value at 17
        assertThat(messages(result)).containsExactly("m.yaml:19:17: warning: Deployment ns/web:"
                + " spec.template.spec.containers[1].ports[0].name: port name is used twice in the pod; this name"
                + " is ignored ('http')");
        assertThat(result.cluster().workloads()).singleElement()
                .satisfies(workload -> assertThat(workload.ports()).containsExactly(
                        new ContainerPort("http", 8080, Protocol.TCP), ContainerPort.of(9090, Protocol.TCP)));
    }

    @Test
    void testInvalidContainerPortNameIsAWarning() {
        IngestResult result = read(deployment("""
                      - name: app
                        ports:
                        - containerPort: 8080
                          name: Web
                """));
        assertThat(messages(result)).containsExactly("m.yaml:15:17: warning: Deployment ns/web:"
                + " spec.template.spec.containers[0].ports[0].name: a port name must contain only lower-case"
                + " letters, digits and '-'; this name is ignored ('Web')");
        assertThat(result.cluster().workloads()).singleElement()
                .satisfies(workload -> assertThat(workload.ports()).containsExactly(ContainerPort.of(8080,
                        Protocol.TCP)));
    }

    @Test
    void testControllerWithoutPodTemplateIsAnError() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: db
                  namespace: ns
                spec:
                  replicas: 2
                """);
        // spec.template is absent: the position is that of the spec mapping, line 7 column 3
        assertThat(messages(result)).containsExactly("m.yaml:7:3: error: StatefulSet ns/db: spec.template: a pod"
                + " template is required");
        assertThat(result.rejected()).containsExactly("StatefulSet ns/db");
        assertThat(result.cluster().workloads()).isEmpty();
    }

    @Test
    void testControllerWithoutSpecIsAnError() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: agent
                  namespace: ns
                """);
        assertThat(messages(result)).containsExactly("m.yaml:1:1: error: DaemonSet ns/agent: spec.template: a pod"
                + " template is required");
    }

    @Test
    void testCronJobWithoutPodTemplateIsAnError() {
        IngestResult result = read("""
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: nightly
                  namespace: ns
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      backoffLimit: 2
                """);
        assertThat(messages(result)).containsExactly("m.yaml:10:7: error: CronJob ns/nightly:"
                + " spec.jobTemplate.spec.template: a pod template is required");
        assertThat(result.rejected()).containsExactly("CronJob ns/nightly");
    }

    @Test
    void testPodTemplateWithoutSpecIsAnError() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: ns
                spec:
                  template:
                    metadata:
                      labels: {app: web}
                """);
        assertThat(messages(result)).containsExactly("m.yaml:8:5: error: Deployment ns/web: spec.template.spec: a"
                + " pod spec is required");
        assertThat(result.cluster().workloads()).isEmpty();
    }

    @Test
    void testNegativeReplicasIsAnError() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: ns
                spec:
                  replicas: -1
                  template:
                    spec:
                      containers: []
                """);
        assertThat(messages(result)).containsExactly("m.yaml:7:13: error: Deployment ns/web: spec.replicas: must be"
                + " greater than or equal to 0 ('-1')");
        assertThat(result.rejected()).containsExactly("Deployment ns/web");
    }

    @Test
    void testInvalidPodTemplateLabelIsAnError() {
        IngestResult result = read(deployment("      - name: app\n").replace("{app: web}", "{app: \"a b\"}"));
        // line 9: 6 spaces, "labels:" at 7-13, "{" at 15, "app:" at 16-19, the quoted value at 21
        assertThat(messages(result)).containsExactly("m.yaml:9:21: error: Deployment ns/web:"
                + " spec.template.metadata.labels[app]: invalid label value: " + LABEL_VALUE_RULE + " ('a b')");
        assertThat(result.cluster().workloads()).isEmpty();
    }

    @Test
    void testPodsOfOneControllerAreOneWorkload() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-7d9f-abcde
                  namespace: ns
                  labels: {app: web}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true}
                spec:
                  containers: []
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-7d9f-fghij
                  namespace: ns
                  labels: {app: web}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true}
                spec:
                  containers: []
                """);
        assertThat(messages(result)).isEmpty();
        assertThat(result.cluster().workloads()).singleElement().satisfies(workload -> {
            assertThat(workload.id()).hasToString("ns/web-7d9f[ReplicaSet]");
            assertThat(workload.replicas()).isEqualTo(2);
            assertThat(workload.templates()).hasSize(1);
        });
    }

    @Test
    void testPodsOfOneControllerWithDifferentLabelsAreAWarning() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-7d9f-abcde
                  namespace: ns
                  labels: {app: web}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true}
                spec:
                  containers: []
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-7d9f-fghij
                  namespace: ns
                  labels: {app: web, canary: "true"}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true}
                spec:
                  containers: []
                """);
        assertThat(messages(result)).containsExactly("m.yaml:12:1: warning: Pod ns/web-7d9f-fghij: its labels or"
                + " named ports differ from other pods of ns/web-7d9f[ReplicaSet]; each variant is analysed and"
                + " ns/web-7d9f[ReplicaSet] shows the connections of any of its pods");
        assertThat(result.cluster().workloads()).singleElement().satisfies(workload -> {
            assertThat(workload.id()).hasToString("ns/web-7d9f[ReplicaSet]");
            assertThat(workload.templates()).hasSize(2);
        });
    }

    @Test
    void testOwnerWithoutKindIsShownAsPodWithAWarning() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-1
                  namespace: ns
                  ownerReferences:
                  - apiVersion: apps/v1
                    name: web
                    controller: true
                spec:
                  containers: []
                """);
        // line 7: "-" at 3, the owner mapping at 5
        assertThat(messages(result)).containsExactly("m.yaml:7:5: warning: Pod ns/web-1:"
                + " metadata.ownerReferences[0]: the controlling owner has no kind; it is shown as [Pod] ('web')");
        assertThat(result.cluster().workloads()).extracting(Workload::id)
                .containsExactly(new WorkloadId("ns", "web", "Pod"));
    }

    @Test
    void testOwnerWithoutNameIsAWarningAndThePodIsItsOwnWorkload() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-1
                  namespace: ns
                  ownerReferences:
                  - kind: ReplicaSet
                    controller: true
                spec:
                  containers: []
                """);
        assertThat(messages(result)).containsExactly("m.yaml:7:5: warning: Pod ns/web-1:"
                + " metadata.ownerReferences[0]: the controlling owner has no name; the pod is analysed on its own");
        assertThat(result.cluster().workloads()).extracting(Workload::id)
                .containsExactly(new WorkloadId("ns", "web-1", "Pod"));
    }

    @Test
    void testOwnerThatIsNotTheControllerIsIgnored() {
        IngestResult result = read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-1
                  namespace: ns
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web}
                spec:
                  containers: []
                """);
        assertThat(messages(result)).isEmpty();
        assertThat(result.cluster().workloads()).extracting(Workload::id)
                .containsExactly(new WorkloadId("ns", "web-1", "Pod"));
    }

    // ---------------------------------------------------------------- error, warning, and the rest of the file

    @Test
    void testObjectWithAnErrorIsLeftOutAndTheOthersInTheFileAreKept() {
        IngestResult result = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: ns}
                spec:
                  podSelector: {}
                  ingress:
                  - ports: [{port: 0}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: good, namespace: ns}
                spec:
                  podSelector: {}
                  ingress:
                  - ports: [{port: 443}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: ns}
                spec:
                  containers:
                  - name: app
                    ports: [{containerPort: 8080, protocol: ICMP}]
                """);
        // line 7: "-" at 3, "ports:" at 5-10, "[" at 12, "{" at 13, "port:" at 14-18, the value at 20
        // line 23: "ports:" at 5-10, "[" at 12, "{" at 13, "containerPort: 8080, " at 14-34, "protocol:" at 35-43
        assertThat(messages(result)).containsExactly(
                "m.yaml:7:20: error: NetworkPolicy ns/bad: spec.ingress[0].ports[0].port: port must be between 1 and"
                        + " 65535 ('0')",
                "m.yaml:23:45: warning: Pod ns/web: spec.containers[0].ports[0].protocol: unsupported protocol,"
                        + " expected TCP, UDP or SCTP; this port is ignored ('ICMP')");
        assertThat(result.rejected()).containsExactly("NetworkPolicy ns/bad");
        assertThat(result.cluster().policies()).extracting(NetworkPolicy::namespacedName).containsExactly("ns/good");
        assertThat(result.cluster().workloads()).extracting(Workload::id)
                .containsExactly(new WorkloadId("ns", "web", "Pod"));
        assertThat(result.errorCount()).isEqualTo(1);
        assertThat(result.warningCount()).isEqualTo(1);
        assertThat(result.hasUsableInput()).isTrue();
    }

    @Test
    void testCountsFilesAndObjects() {
        IngestResult result = read(namespace("a") + "---\n" + namespace("b") + "---\napiVersion: v1\nkind: Secret\n"
                + "metadata: {name: s}\n");
        assertThat(result.filesRead()).isEqualTo(1);
        assertThat(result.objectsRead()).isEqualTo(3);
        assertThat(result.skippedKinds()).containsExactly(Map.entry("Secret", 1));
    }

    // ---------------------------------------------------------------- files

    @Test
    void testFolderIsReadRecursively(@TempDir Path folder) throws IOException {
        write(folder, "a.yaml", namespace("a"));
        write(folder, "sub/b.yml", namespace("b"));
        write(folder, "sub/deeper/c.json", "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\","
                + " \"metadata\": {\"name\": \"c\"}}\n");
        write(folder, "README.md", namespace("readme"));
        write(folder, "notes.txt", namespace("notes"));
        write(folder, ".git/config.yaml", namespace("git"));
        write(folder, "sub/.cache/d.yaml", namespace("cache"));
        IngestResult result = ManifestReader.read(List.of(folder.toString()), NO_STDIN);
        assertThat(messages(result)).isEmpty();
        assertThat(declaredNamespaces(result)).containsExactly("a", "b", "c");
        assertThat(result.filesRead()).isEqualTo(3);
        assertThat(result.cluster().namespace("c").orElseThrow().source())
                .hasToString(folder + "/sub/deeper/c.json:1:1");
    }

    @Test
    void testFileIsReadWhateverItsExtension(@TempDir Path folder) throws IOException {
        Path file = write(folder, "manifest.txt", namespace("named"));
        IngestResult result = ManifestReader.read(List.of(file.toString()), NO_STDIN);
        assertThat(declaredNamespaces(result)).containsExactly("named");
    }

    @Test
    void testDiagnosticInAFolderNamesTheFile(@TempDir Path folder) throws IOException {
        write(folder, "ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels:\n"
                + "    tier: \"front end\"\n");
        IngestResult result = ManifestReader.read(List.of(folder + "/"), NO_STDIN);
        assertThat(messages(result)).containsExactly(folder + "/ns.yaml:6:11: error: Namespace team:"
                + " metadata.labels[tier]: invalid label value: " + LABEL_VALUE_RULE + " ('front end')");
    }

    @Test
    void testMissingPathIsAnError(@TempDir Path folder) throws IOException {
        Path present = write(folder, "present.yaml", namespace("present"));
        String absent = folder.resolve("absent.yaml").toString();
        IngestResult result = ManifestReader.read(List.of(absent, present.toString()), NO_STDIN);
        assertThat(messages(result)).containsExactly(absent + ": error: no such file or folder");
        assertThat(result.filesRead()).isEqualTo(1);
        assertThat(declaredNamespaces(result)).containsExactly("present");
    }

    @Test
    void testFolderWithoutManifestsIsAWarning(@TempDir Path folder) throws IOException {
        write(folder, "README.md", "# nothing here\n");
        IngestResult result = ManifestReader.read(List.of(folder.toString()), NO_STDIN);
        assertThat(messages(result)).containsExactly(folder + ": warning: no .yaml, .yml or .json files in this"
                + " folder");
        assertThat(result.filesRead()).isZero();
        assertThat(result.hasUsableInput()).isFalse();
    }

    @Test
    void testDeviceIsNotARegularFile() {
        assumeTrue(Files.exists(Path.of("/dev/null")), "needs /dev/null");
        IngestResult result = ManifestReader.read(List.of("/dev/null"), NO_STDIN);
        assertThat(messages(result)).containsExactly("/dev/null: error: not a regular file or folder");
    }

    @Test
    void testDashReadsStdin() {
        String yaml = namespace("piped") + """
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: other
                  labels:
                    tier: "a b"
                """;
        InputStream stdin = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
        IngestResult result = ManifestReader.read(List.of("-"), stdin);
        // the second document starts on line 6; its label value is on line 11, column 11
        assertThat(messages(result)).containsExactly("<stdin>:11:11: error: Namespace other: metadata.labels[tier]:"
                + " invalid label value: " + LABEL_VALUE_RULE + " ('a b')");
        assertThat(declaredNamespaces(result)).containsExactly("piped");
        assertThat(result.cluster().namespace("piped").orElseThrow().source()).hasToString("<stdin>:1:1");
        assertThat(result.filesRead()).isEqualTo(1);
    }

    @Test
    void testUnreadableStdinIsAnError() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        IngestResult result = ManifestReader.read(List.of("-"), failing);
        assertThat(messages(result)).containsExactly("<stdin>: error: cannot read: connection reset");
        assertThat(result.filesRead()).isZero();
    }

    @Test
    void testNonUtf8FileIsAnError(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("latin1.yaml");
        Files.write(file, namespace("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        IngestResult result = ManifestReader.read(List.of(file.toString()), NO_STDIN);
        assertThat(messages(result)).containsExactly(file + ": error: not UTF-8 text; Kubernetes manifests must be"
                + " UTF-8");
        assertThat(result.filesRead()).isEqualTo(1);
        assertThat(result.hasUsableInput()).isFalse();
    }

    @Test
    void testJsonManifestIsReadWithLineNumbers() {
        IngestResult result = ManifestReader.readString("m.json", """
                {
                  "apiVersion": "v1",
                  "kind": "Pod",
                  "metadata": {
                    "name": "web",
                    "namespace": "ns",
                    "labels": {"app": "web server"}
                  },
                  "spec": {"containers": []}
                }
                """);
        // line 7: 4 spaces, "\"labels\":" at 5-13, "{" at 15, "\"app\":" at 16-21, the value at 23
        assertThat(messages(result)).containsExactly("m.json:7:23: error: Pod ns/web: metadata.labels[app]: invalid"
                + " label value: " + LABEL_VALUE_RULE + " ('web server')");
        assertThat(result.rejected()).containsExactly("Pod ns/web");
    }

    @Test
    void testSameFileNamedTwiceIsReadOnce(@TempDir Path folder) throws IOException {
        Path file = write(folder, "ns.yaml", namespace("team"));
        IngestResult result = ManifestReader.read(List.of(folder.toString(), file.toString()), NO_STDIN);
        assertThat(messages(result)).isEmpty();
    }

    // ---------------------------------------------------------------- known problems, kept out until fixed

    @Test
    void testNullListItemsDoNotThrow() {
        List<String> bodies = List.of(
                "  ingress: [null]\n",
                "  egress: [null]\n",
                "  podSelector: {matchExpressions: [null]}\n",
                "  podSelector: {matchExpressions: [{key: a, operator: In, values: [null]}]}\n");
        for (String body : bodies) {
            assertThatCode(() -> read(policy(body))).as(body).doesNotThrowAnyException();
        }
        assertThatCode(() -> read(deployment("      - null\n"))).doesNotThrowAnyException();
        assertThatCode(() -> read(deployment("      - {name: app, ports: [null]}\n"))).doesNotThrowAnyException();
        assertThatCode(() -> read("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [null]}\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void testNullMatchLabelValueIsReadAsEmpty() {
        IngestResult result = read(policy("""
                  podSelector:
                    matchLabels:
                      app: null
                """));
        assertThat(result.cluster().policies().get(0).podSelector().matchLabels()).isEqualTo(Map.of("app", ""));
    }

    @Test
    void testIpv4CidrWithLeadingZerosIsReadAsDecimalWithAWarning() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  egress:
                  - to:
                    - ipBlock:
                        cidr: "010.0.0.0/8"
                """));
        assertThat(messages(result)).containsExactly("m.yaml:11:15: warning: NetworkPolicy ns/np:"
                + " spec.egress[0].to[0].ipBlock.cidr: leading zeros: Kubernetes reads them as decimal, other tools"
                + " as octal; it means 10.0.0.0/8 ('010.0.0.0/8')");
        PolicyPeer.IpBlockPeer peer = (PolicyPeer.IpBlockPeer) result.cluster().policies().get(0).egress().get(0)
                .peers().get(0);
        assertThat(peer.addresses().toString()).isEqualTo("10.0.0.0-10.255.255.255");
    }

    @Test
    void testNonStandardIpv4CidrsAreInvalid() {
        for (String cidr : List.of("10/8", "1.2.3/24", "0x0a.0.0.0/8", "4294967295/32",
                "1.2.3.4/255.0.0.0")) {
            IngestResult result = read(policy("""
                      podSelector: {}
                      egress:
                      - to:
                        - ipBlock:
                            cidr: "%s"
                    """.formatted(cidr)));
            assertThat(messages(result)).as(cidr).containsExactly("m.yaml:11:15: error: NetworkPolicy ns/np:"
                    + " spec.egress[0].to[0].ipBlock.cidr: invalid CIDR, expected an address and a prefix length"
                    + " such as 10.0.0.0/8 or fd00::/8 ('" + cidr + "')");
        }
    }

    @Test
    void testScalarsOfTheWrongTypeAreErrors() {
        IngestResult result = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: a, namespace: ns}
                spec:
                  replicas: "3"
                  template:
                    spec:
                      containers: [{name: c, ports: [{containerPort: "80"}]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b, namespace: ns, labels: {version: 1}}
                spec:
                  hostNetwork: "true"
                  containers: [{name: c, ports: [{containerPort: 81.7}]}]
                """);
        assertThat(result.cluster().workloads()).isEmpty();
        assertThat(result.rejected()).containsExactly("Deployment ns/a", "Pod ns/b");
    }

    @Test
    void testScalarsAreResolvedAsKubectlResolvesThem() {
        IngestResult nullSpec = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: ns}
                spec: ~
                """);
        assertThat(messages(nullSpec)).containsExactly("m.yaml:1:1: warning: NetworkPolicy ns/deny: spec is missing:"
                + " this policy selects every pod of its namespace and denies all their ingress");
        IngestResult hexPort = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 0x50
                """));
        assertThat(hexPort.cluster().policies().get(0).ingress().get(0).ports())
                .noneMatch(port -> port instanceof PolicyPort.NamedPort);
    }

    @Test
    void testNonIntegerPortMessageNamesNoJavaClass() {
        IngestResult result = read(policy("""
                  podSelector: {}
                  ingress:
                  - ports:
                    - port: 80.5
                """));
        assertThat(result.diagnostics()).singleElement()
                .satisfies(diagnostic -> assertThat(diagnostic.message()).doesNotContain("io.fabric8")
                        .contains("('80.5')"));
    }
}
