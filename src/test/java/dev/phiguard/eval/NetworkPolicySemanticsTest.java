package dev.phiguard.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.report.ConnectivityTxtFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins networking.k8s.io/v1 NetworkPolicy semantics (DESIGN.md, points 1-11) on small hand-written
 * fixtures. Every expected line was worked out from the Kubernetes documentation, not copied from
 * phiguard's output.
 */
class NetworkPolicySemanticsTest {
    /** The whole IPv4 space, as printed when no ipBlock cuts it. */
    private static final String ANYWHERE = "0.0.0.0-255.255.255.255[External]";
    private static final String ALL = "All Connections";

    // ---------------------------------------------------------------------------------------------
    // 1. Isolation is per direction.

    @Test
    void testPodSelectedOnlyForEgressAcceptsAllIngress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-no-egress, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Egress]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : " + ALL));
    }

    @Test
    void testPodSelectedByNoPolicyIsOpenBothWays() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-isolated, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Ingress, Egress]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL));
    }

    // ---------------------------------------------------------------------------------------------
    // 2. policyTypes defaulting.

    private static final String DB_INGRESS_FROM_WEB_RESULT = lines(
            ANYWHERE + " => clinic/web[Pod] : " + ALL,
            "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
            "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
            "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
            "clinic/web[Pod] => clinic/db[Pod] : " + ALL);

    private static final String DB_EGRESS_TO_WEB_RESULT = lines(
            ANYWHERE + " => clinic/web[Pod] : " + ALL,
            "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
            "clinic/web[Pod] => " + ANYWHERE + " : " + ALL);

    @Test
    void testAbsentPolicyTypesWithoutEgressRulesIsolatesIngressOnly() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(DB_INGRESS_FROM_WEB_RESULT);
    }

    @Test
    void testAbsentPolicyTypesWithEgressRuleIsolatesBothDirections() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-to-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  egress:
                  - to: [{podSelector: {matchLabels: {app: web}}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(DB_EGRESS_TO_WEB_RESULT);
    }

    @Test
    void testEmptyPolicyTypesWithoutEgressRulesIsolatesIngressOnly() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: []
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(DB_INGRESS_FROM_WEB_RESULT);
    }

    @Test
    void testEmptyPolicyTypesWithEgressRuleIsolatesBothDirections() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-to-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: []
                  egress:
                  - to: [{podSelector: {matchLabels: {app: web}}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(DB_EGRESS_TO_WEB_RESULT);
    }

    @Test
    void testEgressRulesHaveNoEffectWhenPolicyTypesListsOnlyIngress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Ingress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                  egress:
                  - to: [{podSelector: {matchLabels: {app: nothing}}}]
                """;
        IngestResult ingested = ingestAllowingWarnings(yaml);
        assertThat(ingested.diagnostics()).extracting(Diagnostic::message)
                .containsExactly("NetworkPolicy clinic/db-from-web: spec.egress: policyTypes does not list Egress,"
                        + " so these rules have no effect");
        assertThat(format(ConnectivityAnalyzer.analyze(ingested.cluster()))).isEqualTo(DB_INGRESS_FROM_WEB_RESULT);
    }

    @Test
    void testIngressRulesHaveNoEffectWhenPolicyTypesListsOnlyEgress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-to-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Egress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: nothing}}}]
                  egress:
                  - to: [{podSelector: {matchLabels: {app: web}}}]
                """;
        IngestResult ingested = ingestAllowingWarnings(yaml);
        assertThat(ingested.diagnostics()).extracting(Diagnostic::message)
                .containsExactly("NetworkPolicy clinic/db-to-web: spec.ingress: policyTypes does not list Ingress,"
                        + " so these rules have no effect");
        assertThat(format(ConnectivityAnalyzer.analyze(ingested.cluster()))).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : " + ALL));
    }

    // ---------------------------------------------------------------------------------------------
    // 3. Rules of every policy selecting a pod are united; no rule denies.

    private static final String UNION_FIXTURE = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}")
            + pod("clinic", "api", "{app: api}") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny-ingress, namespace: clinic}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-web, namespace: clinic}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 5432}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-from-web-and-api, namespace: clinic}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 8080}]
              - from: [{podSelector: {matchLabels: {app: api}}}]
            """;

    @Test
    void testRulesOfEveryPolicySelectingAPodAreUnited() {
        assertThat(connectivity(UNION_FIXTURE)).isEqualTo(lines(
                "clinic/api[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/api[Pod] => clinic/db[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : TCP 5432,8080"));
    }

    @Test
    void testAllowedByListsEveryPolicyRuleOfTheUnion() {
        ConnectivityMap map = analyze(UNION_FIXTURE);
        assertThat(ruleNames(connection(map, "clinic/web[Pod]", "clinic/db[Pod]").ingress()))
                .containsExactly("clinic/db-from-web ingress[0]", "clinic/db-from-web-and-api ingress[0]");
        assertThat(ruleNames(connection(map, "clinic/api[Pod]", "clinic/db[Pod]").ingress()))
                .containsExactly("clinic/db-from-web-and-api ingress[1]");
    }

    @Test
    void testNarrowerPolicyDoesNotRestrictABroaderOne() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-open, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - {}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-web-only, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 80}]
                """;
        ConnectivityMap map = analyze(yaml);
        assertThat(format(map)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : " + ALL));
        assertThat(ruleNames(connection(map, ANYWHERE, "clinic/db[Pod]").ingress()))
                .containsExactly("clinic/db-open ingress[0]");
        assertThat(ruleNames(connection(map, "clinic/web[Pod]", "clinic/db[Pod]").ingress()))
                .containsExactly("clinic/db-open ingress[0]", "clinic/db-web-only ingress[0]");
    }

    // ---------------------------------------------------------------------------------------------
    // 4. Empty rules, empty rule lists, missing from/ports.

    @Test
    void testIngressWithOneEmptyRuleAllowsEveryPeerAndAddress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}")
                + pod("lab", "probe", "{app: probe}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny-ingress, namespace: clinic}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-open, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress: [{}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => lab/probe[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => lab/probe[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : " + ALL,
                "clinic/web[Pod] => lab/probe[Pod] : " + ALL,
                "lab/probe[Pod] => " + ANYWHERE + " : " + ALL,
                "lab/probe[Pod] => clinic/db[Pod] : " + ALL));
    }

    private static final String DB_CLOSED_RESULT = lines(
            ANYWHERE + " => clinic/web[Pod] : " + ALL,
            "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
            "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
            "clinic/web[Pod] => " + ANYWHERE + " : " + ALL);

    @Test
    void testEmptyIngressListAllowsNothing() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-closed, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress: []
                """;
        assertThat(connectivity(yaml)).isEqualTo(DB_CLOSED_RESULT);
    }

    @Test
    void testIngressPolicyTypeWithoutIngressSectionAllowsNothing() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-closed, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Ingress]
                """;
        assertThat(connectivity(yaml)).isEqualTo(DB_CLOSED_RESULT);
    }

    @Test
    void testRuleWithFromButNoPortsAllowsEveryPortAndProtocol() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}")
                + pod("clinic", "api", "{app: api}") + pod("clinic", "other", "{app: other}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                  - from: [{podSelector: {matchLabels: {app: api}}}]
                    ports: []
                """;
        assertThat(linesTo(connectivity(yaml), "clinic/db[Pod]")).containsExactly(
                "clinic/api[Pod] => clinic/db[Pod] : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : " + ALL);
    }

    @Test
    void testRuleWithPortsButNoFromAllowsThosePortsFromEveryPeer() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}")
                + pod("lab", "probe", "{app: probe}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-https, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - ports: [{port: 443}]
                """;
        assertThat(linesTo(connectivity(yaml), "clinic/db[Pod]")).containsExactly(
                ANYWHERE + " => clinic/db[Pod] : TCP 443",
                "clinic/web[Pod] => clinic/db[Pod] : TCP 443",
                "lab/probe[Pod] => clinic/db[Pod] : TCP 443");
    }

    @Test
    void testRuleWithEmptyFromListAllowsThosePortsFromEveryPeer() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}")
                + pod("lab", "probe", "{app: probe}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-https, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: []
                    ports: [{port: 443}]
                """;
        assertThat(linesTo(connectivity(yaml), "clinic/db[Pod]")).containsExactly(
                ANYWHERE + " => clinic/db[Pod] : TCP 443",
                "clinic/web[Pod] => clinic/db[Pod] : TCP 443",
                "lab/probe[Pod] => clinic/db[Pod] : TCP 443");
    }

    // ---------------------------------------------------------------------------------------------
    // 5. Peers: podSelector, namespaceSelector, both (AND), several (OR).

    /** Sources allowed into clinic/db when its only ingress rule has this {@code from} (flow YAML). */
    private static List<String> sourcesOfDb(String from) {
        String yaml = """
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: clinic, labels: {team: care}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: billing, labels: {team: finance}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: lab, labels: {team: science}}
                """
                + pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}")
                + pod("billing", "web", "{app: web}") + pod("billing", "invoicer", "{app: invoicer}")
                + pod("lab", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: %s
                """.formatted(from);
        return sources(linesTo(connectivity(yaml), "clinic/db[Pod]"));
    }

    @Test
    void testPodSelectorAloneSelectsPodsOfThePolicyNamespaceOnly() {
        assertThat(sourcesOfDb("[{podSelector: {matchLabels: {app: web}}}]"))
                .containsExactly("clinic/web[Pod]");
    }

    @Test
    void testNamespaceSelectorAloneSelectsEveryPodOfMatchingNamespaces() {
        assertThat(sourcesOfDb("[{namespaceSelector: {matchLabels: {team: finance}}}]"))
                .containsExactly("billing/invoicer[Pod]", "billing/web[Pod]");
    }

    @Test
    void testPodAndNamespaceSelectorsInOnePeerAreAnded() {
        assertThat(sourcesOfDb(
                "[{namespaceSelector: {matchLabels: {team: finance}}, podSelector: {matchLabels: {app: web}}}]"))
                .containsExactly("billing/web[Pod]");
    }

    @Test
    void testSeparatePeerElementsAreOred() {
        assertThat(sourcesOfDb(
                "[{namespaceSelector: {matchLabels: {team: finance}}}, {podSelector: {matchLabels: {app: web}}}]"))
                .containsExactly("billing/invoicer[Pod]", "billing/web[Pod]", "clinic/web[Pod]");
    }

    @Test
    void testEmptyNamespaceSelectorSelectsEveryPodOfEveryNamespaceButNoAddress() {
        assertThat(sourcesOfDb("[{namespaceSelector: {}}]"))
                .containsExactly("billing/invoicer[Pod]", "billing/web[Pod]", "clinic/web[Pod]", "lab/web[Pod]");
    }

    @Test
    void testEmptyNamespaceSelectorWithPodSelectorSelectsMatchingPodsOfEveryNamespace() {
        assertThat(sourcesOfDb("[{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]"))
                .containsExactly("billing/web[Pod]", "clinic/web[Pod]", "lab/web[Pod]");
    }

    @Test
    void testEmptyPodSelectorSelectsEveryPodOfThePolicyNamespaceOnly() {
        assertThat(sourcesOfDb("[{podSelector: {}}]")).containsExactly("clinic/web[Pod]");
    }

    // ---------------------------------------------------------------------------------------------
    // 6. ipBlock.

    @Test
    void testIpBlockExceptCutsExternalRangesAtBlockBoundaries() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-ten, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                        except: [10.1.0.0/16]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                "0.0.0.0-9.255.255.255[External] => clinic/web[Pod] : " + ALL,
                "10.0.0.0-10.0.255.255[External] => clinic/db[Pod] : " + ALL,
                "10.0.0.0-10.0.255.255[External] => clinic/web[Pod] : " + ALL,
                "10.1.0.0-10.1.255.255[External] => clinic/web[Pod] : " + ALL,
                "10.2.0.0-10.255.255.255[External] => clinic/db[Pod] : " + ALL,
                "10.2.0.0-10.255.255.255[External] => clinic/web[Pod] : " + ALL,
                "11.0.0.0-255.255.255.255[External] => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL));
    }

    @Test
    void testEgressIpBlockCutsDestinationsButNotSources() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-to-partner, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{ipBlock: {cidr: 192.168.0.0/16}}]
                    ports: [{port: 443}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => 0.0.0.0-192.167.255.255[External] : " + ALL,
                "clinic/db[Pod] => 192.168.0.0-192.168.255.255[External] : " + ALL,
                "clinic/db[Pod] => 192.169.0.0-255.255.255.255[External] : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => 192.168.0.0-192.168.255.255[External] : TCP 443"));
    }

    @Test
    void testIpBlockNeverMatchesPodsEvenWhenItCoversEveryAddress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-anywhere, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL));
    }

    @Test
    void testEgressIpBlockNeverMatchesPodsEvenWhenItCoversEveryAddress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-to-anywhere, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL));
    }

    @Test
    void testIpv6IpBlockMakesIpv6RangesAppear() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-v6, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{ipBlock: {cidr: "2001:db8::/32"}}]
                """;
        String allV6 = "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]";
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff[External] => clinic/web[Pod] : " + ALL,
                "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External] => clinic/db[Pod] : " + ALL,
                "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External] => clinic/web[Pod] : " + ALL,
                "2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => " + allV6 + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => " + allV6 + " : " + ALL));
    }

    // ---------------------------------------------------------------------------------------------
    // 7. Ports.

    /** What clinic/web may open to clinic/db when db's only ingress rule is from web with these ports. */
    private static List<String> webToDbWithPorts(String ports) {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: %s
                """.formatted(ports);
        return linesTo(connectivity(yaml), "clinic/db[Pod]");
    }

    @Test
    void testProtocolDefaultsToTcp() {
        assertThat(webToDbWithPorts("[{port: 5432}]"))
                .containsExactly("clinic/web[Pod] => clinic/db[Pod] : TCP 5432");
    }

    @Test
    void testPortWithEndPortAllowsTheWholeRange() {
        assertThat(webToDbWithPorts("[{port: 8000, endPort: 8080}, {protocol: UDP, port: 53}]"))
                .containsExactly("clinic/web[Pod] => clinic/db[Pod] : TCP 8000-8080,UDP 53");
    }

    @Test
    void testUdpAndSctpPortsAreKeptApartFromTcp() {
        assertThat(webToDbWithPorts("[{protocol: UDP, port: 53}, {protocol: SCTP, port: 9090}, {port: 53}]"))
                .containsExactly("clinic/web[Pod] => clinic/db[Pod] : SCTP 9090,TCP 53,UDP 53");
    }

    @Test
    void testProtocolWithoutPortAllowsEveryPortOfThatProtocol() {
        assertThat(webToDbWithPorts("[{protocol: UDP}]"))
                .containsExactly("clinic/web[Pod] => clinic/db[Pod] : UDP 1-65535");
    }

    @Test
    void testNamedPortInIngressRuleResolvesOnTheSelectedPod() {
        String yaml = pod("clinic", "db", "{app: db}", "[{name: pg, containerPort: 5432}]")
                + pod("clinic", "web", "{app: web}", "[{name: pg, containerPort: 6000}]") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-pg, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: pg}]
                  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]
                    ports: [{port: pg}]
                """;
        assertThat(linesTo(connectivity(yaml), "clinic/db[Pod]")).containsExactly(
                ANYWHERE + " => clinic/db[Pod] : TCP 5432",
                "clinic/web[Pod] => clinic/db[Pod] : TCP 5432");
    }

    @Test
    void testNamedPortInEgressRuleResolvesOnThePeerPod() {
        String yaml = pod("clinic", "web", "{app: web}", "[{name: pg, containerPort: 6000}]")
                + pod("clinic", "db", "{app: db}", "[{name: pg, containerPort: 5432}]")
                + pod("clinic", "replica", "{app: replica}", "[{name: pg, containerPort: 15432}]")
                + pod("clinic", "cache", "{app: cache}", "[{name: redis, containerPort: 6379}]") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-to-pg, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{podSelector: {}}]
                    ports: [{port: pg}]
                """;
        assertThat(linesFrom(connectivity(yaml), "clinic/web[Pod]")).containsExactly(
                "clinic/web[Pod] => clinic/db[Pod] : TCP 5432",
                "clinic/web[Pod] => clinic/replica[Pod] : TCP 15432");
    }

    @Test
    void testNamedPortInEgressRuleToIpBlockMatchesNothing() {
        String yaml = pod("clinic", "web", "{app: web}", "[{name: https, containerPort: 443}]") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-out, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                    ports: [{port: https}, {port: 8443}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : TCP 8443"));
    }

    @Test
    void testNamedPortMatchesOnlyAContainerPortOfTheSameProtocol() {
        String yaml = pod("clinic", "db", "{app: db}", "[{name: dns, containerPort: 53, protocol: UDP}]")
                + pod("clinic", "web", "{app: web}") + pod("clinic", "api", "{app: api}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-dns, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: dns}]
                  - from: [{podSelector: {matchLabels: {app: api}}}]
                    ports: [{protocol: UDP, port: dns}]
                """;
        assertThat(linesTo(connectivity(yaml), "clinic/db[Pod]"))
                .containsExactly("clinic/api[Pod] => clinic/db[Pod] : UDP 53");
    }

    // ---------------------------------------------------------------------------------------------
    // 8. Both ends must allow.

    @Test
    void testConnectionIsTheIntersectionOfEgressAndIngress() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-to-db, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{podSelector: {matchLabels: {app: db}}}]
                    ports: [{port: 80}, {port: 443}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 443}, {port: 8443}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : TCP 443"));
    }

    @Test
    void testDisjointEgressAndIngressAllowNothing() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-to-db, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{podSelector: {matchLabels: {app: db}}}]
                    ports: [{port: 80}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 443}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL));
    }

    @Test
    void testFromOutsideOnlyTheDestinationIngressApplies() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-https-from-anywhere, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]
                    ports: [{port: 443}]
                """;
        ConnectivityMap map = analyze(yaml);
        assertThat(format(map)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : TCP 443",
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL));
        Connection fromOutside = connection(map, ANYWHERE, "clinic/db[Pod]");
        assertThat(fromOutside.egress().isolation()).isEqualTo(DirectionVerdict.Isolation.OUTSIDE_CLUSTER);
        assertThat(fromOutside.egress().allowedBy()).isEmpty();
        assertThat(fromOutside.ingress().isolation()).isEqualTo(DirectionVerdict.Isolation.ISOLATED);
        assertThat(ruleNames(fromOutside.ingress())).containsExactly("clinic/db-https-from-anywhere ingress[0]");
    }

    @Test
    void testToOutsideOnlyTheSourceEgressApplies() {
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-https-out, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                    ports: [{port: 443}]
                """;
        ConnectivityMap map = analyze(yaml);
        assertThat(format(map)).isEqualTo(lines(
                ANYWHERE + " => clinic/db[Pod] : " + ALL,
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : TCP 443"));
        Connection toOutside = connection(map, "clinic/web[Pod]", ANYWHERE);
        assertThat(toOutside.ingress().isolation()).isEqualTo(DirectionVerdict.Isolation.OUTSIDE_CLUSTER);
        assertThat(toOutside.ingress().allowedBy()).isEmpty();
        assertThat(ruleNames(toOutside.egress())).containsExactly("clinic/web-https-out egress[0]");
    }

    // ---------------------------------------------------------------------------------------------
    // 9. Label selectors.

    /** Sources allowed into clinic/db when its only ingress rule is from pods matching this selector (flow YAML). */
    private static List<String> podsSelectedBy(String podSelector) {
        String yaml = pod("clinic", "db", "{app: db}")
                + pod("clinic", "front", "{app: web, tier: front, env: prod}")
                + pod("clinic", "back", "{app: web, tier: back}")
                + pod("clinic", "plain", "{app: web}")
                + pod("clinic", "batch", "{app: batch, env: dev}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: %s}]
                """.formatted(podSelector);
        return sources(linesTo(connectivity(yaml), "clinic/db[Pod]"));
    }

    @Test
    void testEveryMatchLabelsPairMustHold() {
        assertThat(podsSelectedBy("{matchLabels: {app: web, tier: back}}")).containsExactly("clinic/back[Pod]");
    }

    @Test
    void testMatchLabelsAndMatchExpressionsMustBothHold() {
        assertThat(podsSelectedBy(
                "{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [front, gone]}]}"))
                .containsExactly("clinic/front[Pod]");
    }

    @Test
    void testEveryMatchExpressionMustHold() {
        assertThat(podsSelectedBy("{matchExpressions: [{key: env, operator: Exists},"
                + " {key: tier, operator: DoesNotExist}]}"))
                .containsExactly("clinic/batch[Pod]");
    }

    @Test
    void testInOperatorMatchesAnyListedValue() {
        assertThat(podsSelectedBy("{matchExpressions: [{key: tier, operator: In, values: [front, back]}]}"))
                .containsExactly("clinic/back[Pod]", "clinic/front[Pod]");
    }

    @Test
    void testNotInOperatorMatchesPodsWithoutTheKey() {
        assertThat(podsSelectedBy("{matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}"))
                .containsExactly("clinic/back[Pod]", "clinic/batch[Pod]", "clinic/plain[Pod]");
    }

    @Test
    void testExistsOperatorMatchesAnyValueOfTheKey() {
        assertThat(podsSelectedBy("{matchExpressions: [{key: env, operator: Exists}]}"))
                .containsExactly("clinic/batch[Pod]", "clinic/front[Pod]");
    }

    @Test
    void testDoesNotExistOperatorMatchesPodsWithoutTheKey() {
        assertThat(podsSelectedBy("{matchExpressions: [{key: tier, operator: DoesNotExist}]}"))
                .containsExactly("clinic/batch[Pod]", "clinic/plain[Pod]");
    }

    // ---------------------------------------------------------------------------------------------
    // 10. Workloads.

    @Test
    void testEveryWorkloadKindIsAnalysedThroughItsPodTemplateLabels() {
        String template = """
                  template:
                    metadata: {labels: {role: client}}
                    spec: {containers: [{name: main, image: registry.example/app:1}]}
                """;
        String jobTemplate = """
                  template:
                    metadata: {labels: {role: client}}
                    spec: {restartPolicy: OnFailure, containers: [{name: main, image: registry.example/app:1}]}
                """;
        String yaml = pod("clinic", "db", "{app: db}") + pod("clinic", "bare", "{role: client}") + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: deploy, namespace: clinic, labels: {role: decoy}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {role: client}}
                """ + template + """
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: sts, namespace: clinic, labels: {role: decoy}}
                spec:
                  serviceName: sts
                  replicas: 2
                  selector: {matchLabels: {role: client}}
                """ + template + """
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: daemon, namespace: clinic, labels: {role: decoy}}
                spec:
                  selector: {matchLabels: {role: client}}
                """ + template + """
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: rs, namespace: clinic, labels: {role: decoy}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {role: client}}
                """ + template + """
                ---
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: rc, namespace: clinic, labels: {role: decoy}}
                spec:
                  replicas: 1
                  selector: {role: client}
                """ + template + """
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: job, namespace: clinic, labels: {role: decoy}}
                spec:
                """ + jobTemplate + """
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: cron, namespace: clinic, labels: {role: decoy}}
                spec:
                  schedule: "0 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {role: client}}
                        spec: {restartPolicy: OnFailure, containers: [{name: main, image: registry.example/app:1}]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: decoy, namespace: clinic, labels: {role: client}}
                spec:
                  selector: {matchLabels: {role: decoy}}
                  template:
                    metadata: {labels: {role: decoy}}
                    spec: {containers: [{name: main, image: registry.example/app:1}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-clients, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {role: client}}}]
                """;
        assertThat(sources(linesTo(connectivity(yaml), "clinic/db[Pod]"))).containsExactly(
                "clinic/bare[Pod]",
                "clinic/cron[CronJob]",
                "clinic/daemon[DaemonSet]",
                "clinic/deploy[Deployment]",
                "clinic/job[Job]",
                "clinic/rc[ReplicationController]",
                "clinic/rs[ReplicaSet]",
                "clinic/sts[StatefulSet]");
    }

    @Test
    void testPodWithControllerOwnerReferenceShowsAsItsOwner() {
        String yaml = """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-7d77fb55cc-abcde
                  namespace: clinic
                  labels: {app: web}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d77fb55cc, uid: 1f0c, controller: true}
                spec: {containers: [{name: main, image: registry.example/web:1}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-7d77fb55cc-fghij
                  namespace: clinic
                  labels: {app: web}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d77fb55cc, uid: 1f0c, controller: true}
                spec: {containers: [{name: main, image: registry.example/web:1}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: helper
                  namespace: clinic
                  labels: {app: helper}
                  ownerReferences:
                  - {apiVersion: v1, kind: ConfigMap, name: settings, uid: 2a7d}
                spec: {containers: [{name: main, image: registry.example/helper:1}]}
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/helper[Pod] : " + ALL,
                ANYWHERE + " => clinic/web-7d77fb55cc[ReplicaSet] : " + ALL,
                "clinic/helper[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/helper[Pod] => clinic/web-7d77fb55cc[ReplicaSet] : " + ALL,
                "clinic/web-7d77fb55cc[ReplicaSet] => " + ANYWHERE + " : " + ALL,
                "clinic/web-7d77fb55cc[ReplicaSet] => clinic/helper[Pod] : " + ALL));
    }

    @Test
    void testMissingNamespaceMeansDefault() {
        String yaml = pod(null, "db", "{app: db}") + pod(null, "web", "{app: web}")
                + pod("clinic", "web", "{app: web}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 5432}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                ANYWHERE + " => default/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => default/web[Pod] : " + ALL,
                "default/db[Pod] => " + ANYWHERE + " : " + ALL,
                "default/db[Pod] => clinic/web[Pod] : " + ALL,
                "default/db[Pod] => default/web[Pod] : " + ALL,
                "default/web[Pod] => " + ANYWHERE + " : " + ALL,
                "default/web[Pod] => clinic/web[Pod] : " + ALL,
                "default/web[Pod] => default/db[Pod] : TCP 5432"));
    }

    /** Sources allowed into clinic/db when its only ingress rule is from namespaces matching this selector. */
    private static List<String> namespacesSelectedBy(String namespaceSelector) {
        String yaml = """
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: billing, labels: {team: finance}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: research}
                """
                + pod("clinic", "db", "{app: db}") + pod("billing", "client", "{app: client}")
                + pod("research", "client", "{app: client}") + pod("lab", "client", "{app: client}") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-ingress, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{namespaceSelector: %s}]
                """.formatted(namespaceSelector);
        return sources(linesTo(connectivity(yaml), "clinic/db[Pod]"));
    }

    @Test
    void testNamespaceSelectorReadsTheNamespaceObjectLabels() {
        assertThat(namespacesSelectedBy("{matchLabels: {team: finance}}")).containsExactly("billing/client[Pod]");
        assertThat(namespacesSelectedBy("{matchExpressions: [{key: team, operator: Exists}]}"))
                .containsExactly("billing/client[Pod]");
    }

    @Test
    void testNamespaceWithoutObjectHasOnlyTheNameLabel() {
        assertThat(namespacesSelectedBy("{matchLabels: {kubernetes.io/metadata.name: lab}}"))
                .containsExactly("lab/client[Pod]");
        assertThat(namespacesSelectedBy("{matchExpressions: [{key: team, operator: DoesNotExist}]}"))
                .containsExactly("lab/client[Pod]", "research/client[Pod]");
    }

    @Test
    void testNamespaceObjectWithoutNameLabelGetsIt() {
        assertThat(namespacesSelectedBy("{matchLabels: {kubernetes.io/metadata.name: research}}"))
                .containsExactly("research/client[Pod]");
        assertThat(namespacesSelectedBy("{matchLabels: {kubernetes.io/metadata.name: billing}}"))
                .containsExactly("billing/client[Pod]");
    }

    // ---------------------------------------------------------------------------------------------
    // 11. Self connections and look-alike workloads.

    @Test
    void testConnectionOfAWorkloadToItselfIsNeverListed() {
        String yaml = """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: clinic}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: main, image: registry.example/web:1}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines("clinic/web[Deployment] => " + ANYWHERE + " : " + ALL));
    }

    @Test
    void testWorkloadsWithIdenticalLabelsAreBothListedBothWays() {
        String yaml = pod("clinic", "web-a", "{app: web}", "[{name: http, containerPort: 80}]")
                + pod("clinic", "web-b", "{app: web}", "[{name: http, containerPort: 80}]") + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-from-web, namespace: clinic}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: http}]
                """;
        assertThat(connectivity(yaml)).isEqualTo(lines(
                "clinic/web-a[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web-a[Pod] => clinic/web-b[Pod] : TCP 80",
                "clinic/web-b[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web-b[Pod] => clinic/web-a[Pod] : TCP 80"));
    }

    // ---------------------------------------------------------------------------------------------
    // Attribution: which rules allow a connection.

    private static final String ATTRIBUTION_FIXTURE = pod("clinic", "db", "{app: db}")
            + pod("clinic", "web", "{app: web}") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-ingress, namespace: clinic}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 80}]
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 443}]
              - from: [{podSelector: {matchLabels: {app: nothing}}}]
                ports: [{port: 443}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-egress, namespace: clinic}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Egress]
              egress:
              - to: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: 443}]
              - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
            """;

    @Test
    void testAttributionFixtureConnectivity() {
        assertThat(connectivity(ATTRIBUTION_FIXTURE)).isEqualTo(lines(
                ANYWHERE + " => clinic/web[Pod] : " + ALL,
                "clinic/db[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/db[Pod] => clinic/web[Pod] : " + ALL,
                "clinic/web[Pod] => " + ANYWHERE + " : " + ALL,
                "clinic/web[Pod] => clinic/db[Pod] : TCP 443"));
    }

    @Test
    void testAllowedByNamesOnlyTheRulesThatGrantTheAllowedConnections() {
        Connection webToDb = connection(analyze(ATTRIBUTION_FIXTURE), "clinic/web[Pod]", "clinic/db[Pod]");
        assertThat(webToDb.ingress().isolation()).isEqualTo(DirectionVerdict.Isolation.ISOLATED);
        assertThat(ruleNames(webToDb.ingress())).containsExactly("clinic/db-ingress ingress[1]");
        assertThat(webToDb.ingress().allowed().toString()).isEqualTo("TCP 443");
        assertThat(webToDb.egress().isolation()).isEqualTo(DirectionVerdict.Isolation.ISOLATED);
        assertThat(ruleNames(webToDb.egress())).containsExactly("clinic/web-egress egress[0]");
    }

    @Test
    void testSideNoPolicySelectsIsNotIsolatedAndNamesNoRule() {
        Connection dbToWeb = connection(analyze(ATTRIBUTION_FIXTURE), "clinic/db[Pod]", "clinic/web[Pod]");
        assertThat(dbToWeb.egress().isolation()).isEqualTo(DirectionVerdict.Isolation.NOT_ISOLATED);
        assertThat(dbToWeb.egress().allowedBy()).isEmpty();
        assertThat(dbToWeb.ingress().isolation()).isEqualTo(DirectionVerdict.Isolation.NOT_ISOLATED);
        assertThat(dbToWeb.ingress().allowedBy()).isEmpty();
    }

    @Test
    void testExternalSideIsOutsideTheCluster() {
        ConnectivityMap map = analyze(ATTRIBUTION_FIXTURE);
        Connection webOut = connection(map, "clinic/web[Pod]", ANYWHERE);
        assertThat(webOut.ingress().isolation()).isEqualTo(DirectionVerdict.Isolation.OUTSIDE_CLUSTER);
        assertThat(webOut.ingress().allowedBy()).isEmpty();
        assertThat(webOut.egress().isolation()).isEqualTo(DirectionVerdict.Isolation.ISOLATED);
        assertThat(ruleNames(webOut.egress())).containsExactly("clinic/web-egress egress[1]");

        Connection intoWeb = connection(map, ANYWHERE, "clinic/web[Pod]");
        assertThat(intoWeb.egress().isolation()).isEqualTo(DirectionVerdict.Isolation.OUTSIDE_CLUSTER);
        assertThat(intoWeb.egress().allowedBy()).isEmpty();
        assertThat(intoWeb.ingress().isolation()).isEqualTo(DirectionVerdict.Isolation.NOT_ISOLATED);
        assertThat(intoWeb.ingress().allowedBy()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers.

    /** A bare Pod with one container and no ports; {@code namespace} null leaves metadata.namespace out. */
    private static String pod(String namespace, String name, String labels) {
        return pod(namespace, name, labels, "[]");
    }

    /** A bare Pod whose container has these ports (a YAML flow list). */
    private static String pod(String namespace, String name, String labels, String ports) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                %s  labels: %s
                spec:
                  containers:
                  - name: main
                    image: registry.example/app:1
                    ports: %s
                """.formatted(name, namespace == null ? "" : "  namespace: " + namespace + "\n", labels, ports);
    }

    private static IngestResult ingestAllowingWarnings(String yaml) {
        IngestResult ingested = ManifestReader.readString("fixture.yaml", yaml);
        assertThat(ingested.diagnostics()).as("errors in the fixture").noneMatch(Diagnostic::isError);
        assertThat(ingested.rejected()).as("objects left out of the fixture").isEmpty();
        return ingested;
    }

    private static ConnectivityMap analyze(String yaml) {
        IngestResult ingested = ingestAllowingWarnings(yaml);
        assertThat(ingested.diagnostics()).as("diagnostics of the fixture").isEmpty();
        return ConnectivityAnalyzer.analyze(ingested.cluster());
    }

    private static String format(ConnectivityMap map) {
        return new ConnectivityTxtFormatter().format(map);
    }

    private static String connectivity(String yaml) {
        return format(analyze(yaml));
    }

    /** The expected output: these lines, sorted, each ended by a newline. */
    private static String lines(String... lines) {
        StringBuilder out = new StringBuilder();
        Arrays.stream(lines).sorted().forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The lines of {@code output} whose destination is {@code destination}, in output order. */
    private static List<String> linesTo(String output, String destination) {
        List<String> result = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split(" => | : ");
            if (parts.length == 3 && parts[1].equals(destination)) {
                result.add(line);
            }
        }
        return result;
    }

    /** The lines of {@code output} whose source is {@code source}, in output order. */
    private static List<String> linesFrom(String output, String source) {
        List<String> result = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split(" => | : ");
            if (parts.length == 3 && parts[0].equals(source)) {
                result.add(line);
            }
        }
        return result;
    }

    /** The sources of connectivity lines, after checking that each allows all connections. */
    private static List<String> sources(List<String> lines) {
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" => | : ");
            assertThat(parts[2]).as(line).isEqualTo(ALL);
            result.add(parts[0]);
        }
        return result;
    }

    private static Connection connection(ConnectivityMap map, String source, String destination) {
        return map.connections().stream()
                .filter(connection -> connection.source().toString().equals(source)
                        && connection.destination().toString().equals(destination))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no connection " + source + " => " + destination
                        + " in\n" + format(map)));
    }

    private static List<String> ruleNames(DirectionVerdict verdict) {
        return verdict.allowedBy().stream().map(RuleRef::toString).toList();
    }
}
