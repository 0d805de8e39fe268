package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Expectations;
import dev.phiguard.report.ExpectationsTextFormatter;
import dev.phiguard.report.ExplanationTextFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connectivity assertions against a small cluster, each kind passing and failing, with the exact
 * pairs that break them and why.
 *
 * <p>The cluster: {@code shop/client} may reach {@code db/postgres} on its port {@code pg}
 * (5432) and 203.0.113.0/24 on 443, and nothing else (egress isolated); {@code shop/other} is
 * isolated in neither direction; {@code db} denies everything by default, and its
 * {@code postgres} admits only the client.
 */
class ExpectationsTest {
    static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {zone: app}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: db, labels: {zone: data}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop, labels: {app: client}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: other, namespace: shop, labels: {app: other}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: postgres, namespace: db, labels: {app: postgres}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny, namespace: db}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: postgres-ingress, namespace: db}
            spec:
              podSelector: {matchLabels: {app: postgres}}
              ingress:
                - from:
                    - namespaceSelector: {matchLabels: {zone: app}}
                      podSelector: {matchLabels: {app: client}}
                  ports: [{port: pg}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: client-egress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: client}}
              policyTypes: [Egress]
              egress:
                - to: [{namespaceSelector: {matchLabels: {zone: data}}}]
                  ports: [{port: 5432}]
                - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
                  ports: [{port: 443}]
            """;

    private static final String HEAD = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Expectations
            metadata: {name: shop}
            expectations:
            """;

    private static final String POSTGRES_DENIES_OTHER =
            "shop/other[Pod] => db/postgres[Pod] on TCP 5432: denied by the ingress of db/postgres[Pod]";

    private static Cluster cluster(String yaml) {
        IngestResult result = ManifestReader.readString("cluster.yaml", yaml);
        assertThat(result.diagnostics()).isEmpty();
        return result.cluster();
    }

    private static ExpectationsResult evaluate(String clusterYaml, String assertions) {
        IngestResult read = ManifestReader.readString("e.yaml", HEAD + assertions);
        assertThat(read.diagnostics()).isEmpty();
        return ExpectationEvaluator.evaluate(cluster(clusterYaml), read.expectations());
    }

    private static List<AssertionResult> results(String assertions) {
        return evaluate(CLUSTER, assertions).results();
    }

    private static AssertionResult result(String assertion) {
        List<AssertionResult> results = results(assertion);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private static List<String> violations(AssertionResult result) {
        return result.violations().stream().map(AssertionResult.Violation::toString).toList();
    }

    /** The first line of each explanation: its verdict. */
    private static List<String> verdicts(AssertionResult result) {
        return result.explanations().stream()
                .map(explanation -> new ExplanationTextFormatter().format(explanation).lines().findFirst().orElseThrow())
                .toList();
    }

    private static void assertPassed(AssertionResult result, int pairs) {
        assertThat(result.status()).as(result.assertion().name()).isEqualTo(AssertionResult.Status.PASSED);
        assertThat(result.violations()).isEmpty();
        assertThat(result.explanations()).isEmpty();
        assertThat(result.errors()).isEmpty();
        assertThat(result.pairsChecked()).isEqualTo(pairs);
    }

    private static void assertFailed(AssertionResult result, List<String> violations, List<String> verdicts) {
        assertThat(result.status()).as(result.assertion().name()).isEqualTo(AssertionResult.Status.FAILED);
        assertThat(violations(result)).containsExactlyElementsOf(violations);
        assertThat(verdicts(result)).containsExactlyElementsOf(verdicts);
        assertThat(result.errors()).isEmpty();
    }

    private static void assertError(AssertionResult result, String error) {
        assertThat(result.status()).as(result.assertion().name()).isEqualTo(AssertionResult.Status.ERROR);
        assertThat(result.errors()).containsExactly(error);
        assertThat(result.violations()).isEmpty();
    }

    // ---------------------------------------------------------------- pairs

    @Test
    void testAllowPassesByNumberAndByPortName() {
        List<AssertionResult> results = results("""
                  - {name: by number, from: shop/client, to: db/postgres, port: 5432, expect: allow}
                  - {name: by name, from: shop/client, to: "db/postgres[pod]", port: pg, expect: allow}
                """);
        assertPassed(results.get(0), 1);
        assertPassed(results.get(1), 1);
    }

    @Test
    void testAllowFailsWithTheRefusedConnectionAndWhy() {
        assertFailed(result("""
                  - {name: other to postgres, from: shop/other, to: db/postgres, port: 5432, expect: allow}
                """), List.of("shop/other[Pod] => db/postgres[Pod] : TCP 5432"), List.of(POSTGRES_DENIES_OTHER));
    }

    @Test
    void testAllowOfARangeFailsOnThePartRefused() {
        assertFailed(result("""
                  - {name: a range, from: shop/client, to: db/postgres, port: 5000-5500, expect: allow}
                """), List.of("shop/client[Pod] => db/postgres[Pod] : TCP 5000-5431,5433-5500"), List.of(
                "shop/client[Pod] => db/postgres[Pod] on TCP 5000-5500: partly allowed, TCP 5432; the rest denied by"
                        + " the egress of shop/client[Pod] and the ingress of db/postgres[Pod]"));
    }

    @Test
    void testDenyPassesAndFails() {
        List<AssertionResult> results = results("""
                  - {name: other is refused, from: shop/other, to: db/postgres, expect: deny}
                  - {name: no UDP at all, from: shop/client, to: db/postgres, protocol: UDP, expect: deny}
                  - {name: the client is not refused, from: shop/client, to: db/postgres, expect: deny}
                """);
        assertPassed(results.get(0), 1);
        assertPassed(results.get(1), 1);
        assertFailed(results.get(2), List.of("shop/client[Pod] => db/postgres[Pod] : TCP 5432"),
                List.of("shop/client[Pod] => db/postgres[Pod]: allowed TCP 5432"));
    }

    @Test
    void testSelectorCoversEveryWorkloadItSelects() {
        AssertionResult result = result("""
                  - name: the whole shop reaches the database
                    from: {namespaceSelector: {matchLabels: {zone: app}}}
                    to: db/postgres
                    port: 5432
                    expect: allow
                """);
        assertThat(result.pairsChecked()).isEqualTo(2);
        assertFailed(result, List.of("shop/other[Pod] => db/postgres[Pod] : TCP 5432"),
                List.of(POSTGRES_DENIES_OTHER));
    }

    @Test
    void testCidrEveryAddressMustBeAllowed() {
        List<AssertionResult> results = results("""
                  - {name: the whole range, from: shop/client, to: 203.0.113.0/24, port: 443, expect: allow}
                  - {name: one address, from: shop/client, to: 203.0.113.7, port: 443, expect: allow}
                  - {name: a wider range, from: shop/client, to: {cidr: 203.0.112.0/23}, port: 443, expect: allow}
                """);
        // the /24 is cut at the address of the second assertion: three ranges, each checked
        assertPassed(results.get(0), 3);
        assertPassed(results.get(1), 1);
        assertFailed(results.get(2), List.of("shop/client[Pod] => 203.0.112.0-203.0.112.255[External] : TCP 443"),
                List.of("shop/client[Pod] => 203.0.112.0-203.0.112.255[External] on TCP 443: denied by the egress of"
                        + " shop/client[Pod]"));
    }

    @Test
    void testCidrSourceWithExceptAndMergedRanges() {
        List<AssertionResult> results = results("""
                  - {name: the internet is refused, from: {cidr: 0.0.0.0/0}, to: db/postgres, expect: deny}
                  - name: the internet reaches the unprotected client
                    from: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}
                    to: shop/client
                    port: 8080
                    expect: deny
                """);
        // 0.0.0.0/0 is cut at 10.0.0.0/8, the other assertion's boundary: three ranges
        assertPassed(results.get(0), 3);
        // cut at 10.0.0.0/8 and at the other assertion's 0.0.0.0/0; what breaks the assertion alike is merged
        assertFailed(results.get(1), List.of(
                "0.0.0.0-9.255.255.255[External] => shop/client[Pod] : TCP 8080",
                "11.0.0.0-255.255.255.255[External] => shop/client[Pod] : TCP 8080"), List.of(
                "0.0.0.0-9.255.255.255[External] => shop/client[Pod] on TCP 8080: allowed",
                "11.0.0.0-255.255.255.255[External] => shop/client[Pod] on TCP 8080: allowed"));
    }

    @Test
    void testMergedRangeAdmittedByTwoRulesIsExplainedByItsFirstPart() {
        String cluster = CLUSTER + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: client-ingress, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: client}}
                  ingress:
                    - from: [{ipBlock: {cidr: 192.0.2.0/25}}]
                      ports: [{port: 8080}]
                    - from: [{ipBlock: {cidr: 192.0.2.128/25}}]
                      ports: [{port: 8080}]
                """;
        AssertionResult result = evaluate(cluster, """
                  - {name: test net, from: 192.0.2.0/24, to: shop/client, expect: deny}
                """).results().get(0);
        // one line for the /24, which no single rule admits as a whole, so the explanation is of its first half
        assertFailed(result, List.of("192.0.2.0-192.0.2.255[External] => shop/client[Pod] : TCP 8080"),
                List.of("192.0.2.0-192.0.2.127[External] => shop/client[Pod]: allowed TCP 8080"));
    }

    @Test
    void testIpv6NamedByAPolicyIsInTheMap() {
        String cluster = CLUSTER.replace("cidr: 203.0.113.0/24}}]", "cidr: 203.0.113.0/24}}, {ipBlock: {cidr:"
                + " 2001:db8::/32}}]");
        ExpectationsResult result = evaluate(cluster, """
                  - {name: documentation range, from: shop/client, to: 2001:db8::1, port: 443, expect: deny}
                  - {name: elsewhere, from: shop/client, to: "2001:db9::/32", port: 443, expect: deny}
                """);
        assertFailed(result.results().get(0), List.of("shop/client[Pod] => 2001:db8::1-2001:db8::1[External] : TCP 443"),
                List.of("shop/client[Pod] => 2001:db8::1-2001:db8::1[External] on TCP 443: allowed"));
        assertPassed(result.results().get(1), 1);
    }

    // ---------------------------------------------------------------- only

    @Test
    void testOnlyReachedByPassesAndFailsIncludingTheInternet() {
        List<AssertionResult> results = results("""
                  - name: only the client reaches the database
                    only: {to: db/postgres, from: [shop/client]}
                  - name: nothing reaches the client
                    only: {to: shop/client, from: []}
                """);
        // every other workload, every IPv4 range, and the IPv6 space no policy names
        assertPassed(results.get(0), 3);
        assertFailed(results.get(1), List.of(
                "0.0.0.0-255.255.255.255[External] => shop/client[Pod] : All Connections",
                "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => shop/client[Pod] : All Connections",
                "shop/other[Pod] => shop/client[Pod] : All Connections"), List.of(
                "0.0.0.0-255.255.255.255[External] => shop/client[Pod]: allowed All Connections",
                "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => shop/client[Pod]: allowed All Connections",
                "shop/other[Pod] => shop/client[Pod]: allowed All Connections"));
    }

    @Test
    void testOnlyReachedByOnAPort() {
        List<AssertionResult> results = results("""
                  - name: only other on 5432
                    only: {to: db/postgres, from: [shop/other]}
                    port: 5432
                  - name: only other on UDP
                    only: {to: db/postgres, from: [shop/other]}
                    protocol: UDP
                """);
        assertFailed(results.get(0), List.of("shop/client[Pod] => db/postgres[Pod] : TCP 5432"),
                List.of("shop/client[Pod] => db/postgres[Pod] on TCP 5432: allowed"));
        assertPassed(results.get(1), 3);
    }

    @Test
    void testReachesOnlyPassesAndFails() {
        List<AssertionResult> results = results("""
                  - name: the client reaches only the database and the partner
                    only: {from: shop/client, to: [db/postgres, {cidr: 203.0.113.0/24}]}
                  - name: the client reaches only the database
                    only: {from: shop/client, to: [db/postgres]}
                  - name: other reaches only the client
                    only: {from: shop/other, to: [shop/client]}
                """);
        // shop/other, the IPv4 ranges on either side of the partner's, and the IPv6 space
        assertPassed(results.get(0), 4);
        assertFailed(results.get(1), List.of("shop/client[Pod] => 203.0.113.0-203.0.113.255[External] : TCP 443"),
                List.of("shop/client[Pod] => 203.0.113.0-203.0.113.255[External]: allowed TCP 443"));
        assertFailed(results.get(2), List.of(
                "shop/other[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections",
                "shop/other[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections"), List.of(
                "shop/other[Pod] => 0.0.0.0-255.255.255.255[External]: allowed All Connections",
                "shop/other[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]: allowed All Connections"));
    }

    @Test
    void testOnlyTheFirstFewViolationsAreExplained() {
        AssertionResult result = result("""
                  - name: other reaches only the private range
                    only: {from: shop/other, to: [{cidr: 10.0.0.0/8}]}
                """);
        assertThat(violations(result)).containsExactly(
                "shop/other[Pod] => 0.0.0.0-9.255.255.255[External] : All Connections",
                "shop/other[Pod] => 11.0.0.0-255.255.255.255[External] : All Connections",
                "shop/other[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections",
                "shop/other[Pod] => shop/client[Pod] : All Connections");
        assertThat(ExpectationEvaluator.EXPLAINED).isEqualTo(3);
        assertThat(verdicts(result)).containsExactly(
                "shop/other[Pod] => 0.0.0.0-9.255.255.255[External]: allowed All Connections",
                "shop/other[Pod] => 11.0.0.0-255.255.255.255[External]: allowed All Connections",
                "shop/other[Pod] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]: allowed All Connections");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void testUnknownWorkloadIsAnErrorWithASuggestion() {
        assertError(result("""
                  - {name: typo, from: shop/clinet, to: db/postgres, expect: deny}
                """), "e.yaml:5:24: from: no workload shop/clinet; did you mean shop/client[Pod]?");
    }

    @Test
    void testSelectorThatSelectsNothingIsAnError() {
        assertError(result("""
                  - name: nobody
                    from: {podSelector: {matchLabels: {app: none}}}
                    to: db/postgres
                    expect: deny
                """), "e.yaml:6:11: from: selects no workload: pods app=none in every namespace");
        assertError(result("""
                  - name: nobody reaches the database
                    only:
                      to: db/postgres
                      from: [shop/client, {namespaceSelector: {matchLabels: {zone: nowhere}}}]
                """), "e.yaml:8:27: only.from[1]: selects no workload: every workload in namespaces zone=nowhere");
    }

    @Test
    void testPortNameMissingOnTheDestinationIsAnError() {
        assertError(result("""
                  - {name: no pg on other, from: shop/client, to: shop/other, port: pg, expect: deny}
                """), "e.yaml:5:51: to: shop/other[Pod] has no container port named pg");
        assertError(result("""
                  - {name: no pg on other, only: {to: shop/other, from: []}, port: pg}
                """), "e.yaml:5:5: port: shop/other[Pod] has no container port named pg");
    }

    @Test
    void testAWorkloadWithItselfIsAnError() {
        assertError(result("""
                  - {name: self, from: shop/client, to: {podSelector: {matchLabels: {app: client}}}, expect: deny}
                """), "e.yaml:5:5: from and to are the same workload, and connections of a workload to itself are"
                + " not analysed");
    }

    @Test
    void testAmbiguousNameNeedsTheKind() {
        String cluster = CLUSTER + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: client, namespace: shop}
                spec:
                  selector: {matchLabels: {app: client2}}
                  template:
                    metadata: {labels: {app: client2}}
                    spec: {containers: [{name: c, image: i}]}
                """;
        ExpectationsResult result = evaluate(cluster, """
                  - {name: which client, from: shop/client, to: db/postgres, expect: deny}
                  - {name: the pod, from: "shop/client[Pod]", to: db/postgres, port: 5432, expect: allow}
                """);
        assertError(result.results().get(0), "e.yaml:5:32: from: shop/client names 2 workloads"
                + " (shop/client[Deployment], shop/client[Pod]); add the kind");
        assertPassed(result.results().get(1), 1);
    }

    // ---------------------------------------------------------------- the whole text

    @Test
    void testFailureTextNamesThePairsAndExplainsThem() {
        ExpectationsResult result = evaluate(CLUSTER, """
                  - {name: the client is refused, from: shop/client, to: db/postgres, expect: deny}
                  - {name: typo, from: shop/clinet, to: db/postgres, expect: deny}
                  - {name: the client reaches the database, from: shop/client, to: db/postgres, port: pg, expect: allow}
                """);
        assertThat(result.passed()).isFalse();
        assertThat(result.count(AssertionResult.Status.PASSED)).isEqualTo(1);
        assertThat(result.count(AssertionResult.Status.FAILED)).isEqualTo(1);
        assertThat(result.count(AssertionResult.Status.ERROR)).isEqualTo(1);
        assertThat(new ExpectationsTextFormatter().format(result)).isEqualTo("""
                Suite shop (e.yaml)
                FAIL  the client is refused (e.yaml:5:5)
                    expected: shop/client does not reach db/postgres on any port
                    1 pair breaks it:
                      allowed: shop/client[Pod] => db/postgres[Pod] : TCP 5432
                    why, rule by rule:
                      shop/client[Pod] => db/postgres[Pod]: allowed TCP 5432

                        Egress of shop/client[Pod]: allows TCP 5432
                          isolated by shop/client-egress (cluster.yaml:42:1)
                          + shop/client-egress egress[0] (cluster.yaml:49:7): allows TCP 5432; admits db/postgres[Pod] by namespaceSelector{zone=data}
                          - shop/client-egress egress[1] (cluster.yaml:51:7): covers the ports (TCP 443), but does not admit db/postgres[Pod]

                        Ingress of db/postgres[Pod]: allows TCP 5432
                          isolated by db/default-deny (cluster.yaml:24:1), db/postgres-ingress (cluster.yaml:31:1)
                          + db/postgres-ingress ingress[0] (cluster.yaml:37:7): allows TCP 5432; admits shop/client[Pod] by namespaceSelector{zone=app} podSelector{app=client}
                ERROR typo (e.yaml:6:5)
                    expected: shop/clinet does not reach db/postgres on any port
                    cannot be evaluated:
                      e.yaml:6:24: from: no workload shop/clinet; did you mean shop/client[Pod]?
                PASS  the client reaches the database

                Result: FAIL — 3 assertions: 1 passed, 1 failed, 1 error
                """);
    }

    @Test
    void testAnEmptySuitePassesAndSaysSo() {
        ExpectationsResult empty = ExpectationEvaluator.evaluate(cluster(CLUSTER), List.of(
                new Expectations("none", List.of(), dev.phiguard.model.SourceRef.of("x.yaml"))));
        assertThat(empty.passed()).isTrue();
        assertThat(new ExpectationsTextFormatter().format(empty)).isEqualTo("""
                Suite none (x.yaml)

                Result: PASS — 0 assertions: 0 passed, 0 failed, 0 errors
                """);
    }
}
