package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each lint check against a fixture that fails it and one that passes it, with the exact text.
 * Fixtures are read as {@code c.yaml}, so a location is a line of the text block.
 */
class LinterTest {

    /** Two namespaces: {@code shop} with web (http 8080) and db (pg 5432), {@code kube-system} with DNS. */
    private static final String BASE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {team: shop}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: db, namespace: shop}
            spec:
              replicas: 1
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: coredns, namespace: kube-system}
            spec:
              replicas: 1
              selector: {matchLabels: {k8s-app: kube-dns}}
              template:
                metadata: {labels: {k8s-app: kube-dns}}
                spec: {containers: [{name: c, image: i, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]}
            """;

    private static List<String> lint(String manifests, LintCheck check) {
        IngestResult read = ManifestReader.readString("c.yaml", BASE + "---\n" + manifests);
        assertThat(read.diagnostics().stream().filter(d -> d.isError())).as("fixture errors").isEmpty();
        return Linter.lint(read.cluster()).findings().stream().filter(finding -> finding.check() == check)
                .map(finding -> finding.object() + " " + finding.source() + ": " + finding.message()).toList();
    }

    private static String policy(String name, String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name
                + ", namespace: shop}\nspec:\n" + spec.stripIndent().indent(2);
    }

    @Test
    void testPolicySelectingNothing() {
        assertThat(lint(policy("p", "podSelector: {matchLabels: {app: gone}}\n"), LintCheck.POLICY_SELECTS_NOTHING))
                .containsExactly("NetworkPolicy shop/p c.yaml:35:1: podSelector {app=gone} selects no workload in"
                        + " namespace shop, so the policy does nothing");
        assertThat(lint(policy("p", "podSelector: {matchLabels: {app: web}}\n"), LintCheck.POLICY_SELECTS_NOTHING))
                .isEmpty();
    }

    @Test
    void testPeerSelectingNothing() {
        String failing = policy("p", """
                podSelector: {}
                ingress:
                  - from:
                      - podSelector: {matchLabels: {app: gone}}
                      - namespaceSelector: {matchLabels: {team: nobody}}
                      - namespaceSelector: {matchLabels: {team: shop}}
                        podSelector: {matchLabels: {app: gone}}
                """);
        assertThat(lint(failing, LintCheck.PEER_SELECTS_NOTHING)).containsExactly(
                "NetworkPolicy shop/p c.yaml:41:7: ingress[0].from[0]: podSelector {app=gone} matches no workload in"
                        + " namespace shop",
                "NetworkPolicy shop/p c.yaml:41:7: ingress[0].from[1]: namespaceSelector {team=nobody} matches no"
                        + " namespace",
                "NetworkPolicy shop/p c.yaml:41:7: ingress[0].from[2]: podSelector {app=gone} matches no workload in"
                        + " namespace shop");
        String passing = policy("p", """
                podSelector: {}
                ingress:
                  - from:
                      - podSelector: {matchLabels: {app: web}}
                      - namespaceSelector: {matchLabels: {team: shop}}
                """);
        assertThat(lint(passing, LintCheck.PEER_SELECTS_NOTHING)).isEmpty();
    }

    @Test
    void testNamedPortNoDestinationDeclares() {
        String failing = policy("p", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - ports: [{port: http}]
                egress:
                  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
                    ports: [{port: pg}]
                  - to: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: http, protocol: UDP}]
                """);
        assertThat(lint(failing, LintCheck.NAMED_PORT_UNDEFINED)).containsExactly(
                "NetworkPolicy shop/p c.yaml:43:7: egress[0].ports[0]: named port 'pg' can match nothing: the rule's"
                        + " peers are addresses outside the cluster or no workload, where names mean nothing",
                "NetworkPolicy shop/p c.yaml:45:7: egress[1].ports[0]: no workload the rule admits declares a UDP"
                        + " container port named 'http'",
                "NetworkPolicy shop/p c.yaml:41:7: ingress[0].ports[0]: no selected workload declares a TCP container"
                        + " port named 'http'");
        String passing = policy("p", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - ports: [{port: pg}]
                egress:
                  - to: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: http}]
                """);
        assertThat(lint(passing, LintCheck.NAMED_PORT_UNDEFINED)).isEmpty();
    }

    @Test
    void testExceptRemovingNothing() {
        String failing = policy("p", """
                podSelector: {}
                ingress:
                  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.1.2.0/24]}}]
                """);
        assertThat(lint(failing, LintCheck.EXCEPT_REMOVES_NOTHING)).containsExactly(
                "NetworkPolicy shop/p c.yaml:41:7: ingress[0].from[0].ipBlock.except[1]: 10.1.2.0/24 removes nothing"
                        + " from 10.0.0.0/8 that the other excepts do not already remove");
        String passing = policy("p", """
                podSelector: {}
                ingress:
                  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}}]
                """);
        assertThat(lint(passing, LintCheck.EXCEPT_REMOVES_NOTHING)).isEmpty();
    }

    @Test
    void testPolicyTypesLeavingRulesOut() {
        String failing = policy("p", """
                podSelector: {}
                policyTypes: [Ingress]
                ingress: [{}]
                egress:
                  - ports: [{port: 53, protocol: UDP}]
                """);
        assertThat(lint(failing, LintCheck.POLICY_TYPES_IGNORE_RULES)).containsExactly(
                "NetworkPolicy shop/p c.yaml:35:1: policyTypes [Ingress] does not list Egress, so its 1 egress rule"
                        + " is ignored");
        String passing = policy("p", """
                podSelector: {}
                policyTypes: [Ingress, Egress]
                ingress: [{}]
                """);
        assertThat(lint(passing, LintCheck.POLICY_TYPES_IGNORE_RULES)).isEmpty();
    }

    @Test
    void testEgressIsolatedWithoutDns() {
        String failing = policy("p", """
                podSelector: {matchLabels: {app: web}}
                policyTypes: [Egress]
                egress:
                  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
                    ports: [{port: 53, protocol: UDP}]
                """);
        assertThat(lint(failing, LintCheck.EGRESS_WITHOUT_DNS)).containsExactly(
                "shop/web[Deployment] c.yaml:5:1: isolated for egress but cannot reach cluster DNS"
                        + " (namespaces{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns}) on TCP 53,"
                        + " so name lookups fail");
        String passing = policy("p", """
                podSelector: {matchLabels: {app: web}}
                policyTypes: [Egress]
                egress:
                  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
                    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                """);
        assertThat(lint(passing, LintCheck.EGRESS_WITHOUT_DNS)).isEmpty();
    }

    @Test
    void testServiceTargetPortNobodyCanReach() {
        String service = """
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: shop}
                spec:
                  selector: {app: db}
                  ports: [{name: sql, port: 5432, targetPort: pg}]
                ---
                """;
        String failing = service + policy("p", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 9999}]
                """);
        assertThat(lint(failing, LintCheck.SERVICE_PORT_UNREACHABLE)).containsExactly(
                "Service shop/db c.yaml:35:1: port 5432 (sql) sends traffic to TCP 5432 of shop/db[Deployment], where"
                        + " no workload and no address can connect");
        String passing = service + policy("p", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: pg}]
                """);
        assertThat(lint(passing, LintCheck.SERVICE_PORT_UNREACHABLE)).isEmpty();
    }

    @Test
    void testIngressPortNoSelectedWorkloadDeclares() {
        String failing = policy("p", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - ports: [{port: 5432}, {port: 6000, endPort: 6010}]
                """);
        assertThat(lint(failing, LintCheck.INGRESS_PORT_UNDECLARED)).containsExactly(
                "NetworkPolicy shop/p c.yaml:41:7: ingress[0].ports[1]: TCP 6000-6010 is declared by none of the"
                        + " workloads the policy selects (shop/db[Deployment])");
        String passing = policy("p", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - ports: [{port: 5000, endPort: 6000}]
                """);
        assertThat(lint(passing, LintCheck.INGRESS_PORT_UNDECLARED)).isEmpty();
    }

    @Test
    void testWorkloadCutOff() {
        String failing = policy("p", """
                podSelector: {matchLabels: {app: db}}
                policyTypes: [Ingress, Egress]
                """);
        assertThat(lint(failing, LintCheck.WORKLOAD_CUT_OFF)).containsExactly(
                "shop/db[Deployment] c.yaml:15:1: isolated for ingress and egress, and no rule lets it connect to"
                        + " anything or anything to it");
        String passing = policy("p", """
                podSelector: {matchLabels: {app: db}}
                policyTypes: [Ingress, Egress]
                ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                """);
        assertThat(lint(passing, LintCheck.WORKLOAD_CUT_OFF)).isEmpty();
    }

    @Test
    void testRedundantRuleNamesWhatCoversIt() {
        String failing = policy("wide", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - from: [{podSelector: {}}]
                """) + "---\n" + policy("narrow", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 5432}]
                """);
        assertThat(lint(failing, LintCheck.REDUNDANT_RULE)).containsExactly(
                "NetworkPolicy shop/narrow c.yaml:49:7: ingress[0]: removing it changes no allowed connection: other"
                        + " rules already allow all it allows (shop/wide)");
        assertThat(lint(failing, LintCheck.CONTAINED_POLICY)).containsExactly(
                "NetworkPolicy shop/narrow c.yaml:43:1: shop/wide selects, isolates and allows everything it does");
        String passing = policy("wide", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 6000}]
                """) + "---\n" + policy("narrow", """
                podSelector: {matchLabels: {app: db}}
                ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 5432}]
                """);
        assertThat(lint(passing, LintCheck.REDUNDANT_RULE)).isEmpty();
        assertThat(lint(passing, LintCheck.CONTAINED_POLICY)).isEmpty();
    }

    @Test
    void testRemovingTheLastEgressRuleUnisolatesAndIsNotRedundant() {
        // without policyTypes, the egress rule is what isolates: removing it opens egress to everything
        String manifests = policy("p", """
                podSelector: {matchLabels: {app: web}}
                egress:
                  - to: [{podSelector: {matchLabels: {app: db}}}]
                """);
        assertThat(lint(manifests, LintCheck.REDUNDANT_RULE)).isEmpty();
        String allowAll = policy("p", """
                podSelector: {matchLabels: {app: web}}
                egress: [{}]
                """);
        assertThat(lint(allowAll, LintCheck.REDUNDANT_RULE)).containsExactly(
                "NetworkPolicy shop/p c.yaml:40:12: egress[0]: removing it changes no allowed connection: it allows"
                        + " everything, as no policy at all would");
    }

    @Test
    void testEquivalentPolicies() {
        String manifests = policy("a", """
                podSelector: {matchLabels: {app: db}}
                ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
                """) + "---\n" + policy("b", """
                podSelector: {matchLabels: {app: db}}
                ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
                """);
        assertThat(lint(manifests, LintCheck.CONTAINED_POLICY)).containsExactly(
                "NetworkPolicy shop/b c.yaml:42:1: equivalent to shop/a: it selects, isolates and allows the same");
        assertThat(lint(manifests, LintCheck.REDUNDANT_POLICY)).containsExactly(
                "NetworkPolicy shop/a c.yaml:35:1: removing it changes no allowed connection: other rules already"
                        + " allow all it allows (shop/b)",
                "NetworkPolicy shop/b c.yaml:42:1: removing it changes no allowed connection: other rules already"
                        + " allow all it allows (shop/a)");
    }
}
