package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.report.ExplanationJsonFormatter;
import dev.phiguard.report.ExplanationTextFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every outcome of {@code phiguard explain} on small fixtures, with the whole text the user reads.
 * Each expected text was worked out from the Kubernetes semantics (DESIGN.md) and the fixture's
 * line numbers, not copied from phiguard's output.
 *
 * <p>Every fixture starts with {@link #PODS} (lines 1-15), so its first policy starts at line 16.
 */
class ExplainerTest {

    private static final String FILE = "fixture.yaml";

    /**
     * Three pods of namespace shop. The client and the db both have a container port named pg, on
     * different numbers, so that a test can tell on which end a port name was resolved.
     */
    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: shop, labels: {app: client}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 6000}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: shop, labels: {app: db}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}, {name: metrics, containerPort: 9187}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: stranger, namespace: shop, labels: {app: stranger}}
            spec: {containers: [{name: c, image: i}]}
            ---
            """;

    /** The db admits the client on 5432 and a monitor (which does not exist) on its metrics port. */
    private static final String DB_INGRESS = PODS + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-ingress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: client}}}]
                ports: [{port: 5432}]
              - from: [{podSelector: {matchLabels: {app: monitor}}}]
                ports: [{port: metrics}]
            """;

    private static final Peer CLIENT = workload("client");
    private static final Peer DB = workload("db");
    private static final Peer STRANGER = workload("stranger");

    private static final ConnectionSet TCP_5432 = ConnectionSet.of(Protocol.TCP, 5432);

    // ---------------------------------------------------------------------------------------------
    // Allowed by a rule.

    @Test
    void testAllowedByARuleNamesTheRuleItsLocationAndTheMatchingPeer() {
        Explanation explanation = explain(DB_INGRESS, CLIENT, DB, TCP_5432);
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 5432: allowed

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: allows TCP 5432
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  + shop/db-ingress ingress[0] (fixture.yaml:22:5): allows TCP 5432; admits shop/client[Pod] by podSelector{app=client}
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): admits neither shop/client[Pod] nor these ports (it allows TCP 9187)
                """);
        assertThat(explanation.fullyAllowed()).isTrue();
        assertThat(explanation.allowed()).isEqualTo(TCP_5432);
        assertThat(explanation.egress().isolation()).isEqualTo(Explanation.Isolation.NOT_ISOLATED);
        assertThat(explanation.ingress().isolation()).isEqualTo(Explanation.Isolation.ISOLATED);
        assertThat(outcomes(explanation.ingress()))
                .containsExactly(Explanation.Outcome.GRANTS, Explanation.Outcome.NEITHER);
        assertThat(explanation.ingress().granting()).hasSize(1);
        assertThat(explanation.ingress().granting().get(0).matchingPeer()).isPresent();
    }

    // ---------------------------------------------------------------------------------------------
    // Denied: the destination is isolated and no rule admits the source.

    @Test
    void testDeniedBecauseIsolatedListsWhyEachRuleFails() {
        Explanation explanation = explain(DB_INGRESS, STRANGER, DB, TCP_5432);
        assertThat(text(explanation)).isEqualTo("""
                shop/stranger[Pod] => shop/db[Pod] on TCP 5432: denied by the ingress of shop/db[Pod]

                Egress of shop/stranger[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  - shop/db-ingress ingress[0] (fixture.yaml:22:5): covers the ports (TCP 5432), but does not admit shop/stranger[Pod]
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): admits neither shop/stranger[Pod] nor these ports (it allows TCP 9187)
                """);
        assertThat(explanation.allowed()).isEqualTo(ConnectionSet.NONE);
        assertThat(explanation.ingress().granting()).isEmpty();
        assertThat(explanation.ingress().rules()).allSatisfy(rule -> assertThat(rule.matchingPeer()).isEmpty());
    }

    // ---------------------------------------------------------------------------------------------
    // Port mismatch: a rule admits the peer, not the port (the protocol counts too).

    @Test
    void testPortMismatchSaysTheRuleAdmitsThePeerButNotThePort() {
        Explanation explanation = explain(DB_INGRESS, CLIENT, DB, ConnectionSet.of(Protocol.UDP, 5432));
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on UDP 5432: denied by the ingress of shop/db[Pod]

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  - shop/db-ingress ingress[0] (fixture.yaml:22:5): admits shop/client[Pod] by podSelector{app=client}, but not on these ports (it allows TCP 5432)
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): admits neither shop/client[Pod] nor these ports (it allows TCP 9187)
                """);
        assertThat(outcomes(explanation.ingress()))
                .containsExactly(Explanation.Outcome.PEER_ONLY, Explanation.Outcome.NEITHER);
    }

    // ---------------------------------------------------------------------------------------------
    // Peer mismatch: a rule covers the port, not the peer.

    @Test
    void testPeerMismatchSaysTheRuleCoversThePortButNotThePeer() {
        Explanation explanation = explain(DB_INGRESS, STRANGER, DB, ConnectionSet.of(Protocol.TCP, 9187));
        assertThat(text(explanation)).isEqualTo("""
                shop/stranger[Pod] => shop/db[Pod] on TCP 9187: denied by the ingress of shop/db[Pod]

                Egress of shop/stranger[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  - shop/db-ingress ingress[0] (fixture.yaml:22:5): admits neither shop/stranger[Pod] nor these ports (it allows TCP 5432)
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): covers the ports (TCP 9187), but does not admit shop/stranger[Pod]
                """);
        assertThat(outcomes(explanation.ingress()))
                .containsExactly(Explanation.Outcome.NEITHER, Explanation.Outcome.PORTS_ONLY);
    }

    // ---------------------------------------------------------------------------------------------
    // Partly allowed; no port given.

    @Test
    void testPortRangePartlyAllowedSaysWhatIsAllowedAndWhoDeniesTheRest() {
        Explanation explanation = explain(DB_INGRESS, CLIENT, DB, ConnectionSet.of(Protocol.TCP, PortRange.of(5000, 6000)));
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 5000-6000: partly allowed, TCP 5432; the rest denied by the ingress of shop/db[Pod]

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: allows TCP 5432
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  + shop/db-ingress ingress[0] (fixture.yaml:22:5): allows TCP 5432; admits shop/client[Pod] by podSelector{app=client}
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): admits neither shop/client[Pod] nor these ports (it allows TCP 9187)
                """);
        assertThat(explanation.allowed()).isEqualTo(TCP_5432);
        assertThat(explanation.fullyAllowed()).isFalse();
    }

    @Test
    void testNoPortGivenListsTheAllowedConnectionsInTheVerdict() {
        Explanation explanation = explain(DB_INGRESS, CLIENT, DB, ConnectionSet.ALL);
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod]: allowed TCP 5432

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: allows TCP 5432
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  + shop/db-ingress ingress[0] (fixture.yaml:22:5): allows TCP 5432; admits shop/client[Pod] by podSelector{app=client}
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): covers the ports (TCP 9187), but does not admit shop/client[Pod]
                """);
        assertThat(explanation.fullyAllowed()).isFalse();
    }

    @Test
    void testNoPortGivenAndNothingAllowedIsDenied() {
        Explanation explanation = explain(DB_INGRESS, STRANGER, DB, ConnectionSet.ALL);
        assertThat(text(explanation)).isEqualTo("""
                shop/stranger[Pod] => shop/db[Pod]: denied by the ingress of shop/db[Pod]

                Egress of shop/stranger[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-ingress (fixture.yaml:16:1)
                  - shop/db-ingress ingress[0] (fixture.yaml:22:5): covers the ports (TCP 5432), but does not admit shop/stranger[Pod]
                  - shop/db-ingress ingress[1] (fixture.yaml:24:5): covers the ports (TCP 9187), but does not admit shop/stranger[Pod]
                """);
        assertThat(outcomes(explanation.ingress()))
                .containsExactly(Explanation.Outcome.PORTS_ONLY, Explanation.Outcome.PORTS_ONLY);
    }

    @Test
    void testNoPortGivenAndEverythingAllowed() {
        Explanation explanation = explain(DB_INGRESS, DB, CLIENT, ConnectionSet.ALL);
        assertThat(text(explanation)).isEqualTo("""
                shop/db[Pod] => shop/client[Pod]: allowed All Connections

                Egress of shop/db[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for ingress
                """);
        assertThat(explanation.fullyAllowed()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------
    // A side that is not isolated.

    @Test
    void testSideSelectedOnlyForTheOtherDirectionAllowsEverything() {
        String yaml = PODS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-no-egress, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Egress]
                """;
        Explanation explanation = explain(yaml, CLIENT, DB, TCP_5432);
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 5432: allowed

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: allows everything; no NetworkPolicy selects it for ingress
                """);
        assertThat(explanation.ingress().isolatingPolicies()).isEmpty();
        assertThat(explanation.ingress().allowed()).isEqualTo(ConnectionSet.ALL);
    }

    // ---------------------------------------------------------------------------------------------
    // A policy that isolates a direction and has no rule for it; both sides deny.

    @Test
    void testPolicyWithoutRulesAllowsNothingAndBothSidesDeny() {
        String yaml = PODS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                """;
        Explanation explanation = explain(yaml, CLIENT, DB, TCP_5432);
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 5432: denied by the egress of shop/client[Pod] and the ingress of shop/db[Pod]

                Egress of shop/client[Pod]: denies
                  isolated by shop/default-deny (fixture.yaml:16:1)
                  no rule: these policies allow nothing in this direction

                Ingress of shop/db[Pod]: denies
                  isolated by shop/default-deny (fixture.yaml:16:1)
                  no rule: these policies allow nothing in this direction
                """);
        assertThat(explanation.egress().rules()).isEmpty();
        assertThat(explanation.ingress().rules()).isEmpty();
        assertThat(explanation.egress().allowed()).isEqualTo(ConnectionSet.NONE);
    }

    @Test
    void testEmptyIngressListWithAbsentPolicyTypesIsolatesIngressOnly() {
        String yaml = PODS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-deny-ingress, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress: []
                """;
        Explanation explanation = explain(yaml, DB, CLIENT, ConnectionSet.ALL);
        assertThat(explanation.egress().isolation()).isEqualTo(Explanation.Isolation.NOT_ISOLATED);
        assertThat(text(explain(yaml, CLIENT, DB, ConnectionSet.ALL))).isEqualTo("""
                shop/client[Pod] => shop/db[Pod]: denied by the ingress of shop/db[Pod]

                Egress of shop/client[Pod]: allows everything; no NetworkPolicy selects it for egress

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-deny-ingress (fixture.yaml:16:1)
                  no rule: these policies allow nothing in this direction
                """);
    }

    // ---------------------------------------------------------------------------------------------
    // Named ports.

    /** The client may reach the db on "pg"; the db admits the client on "pg". */
    private static final String NAMED_PORTS = PODS + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: client-egress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: client}}
              policyTypes: [Egress]
              egress:
              - to: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: pg}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-pg, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: client}}}]
                ports: [{port: pg}]
            """;

    @Test
    void testAskedPortNameResolvesOnTheDestination() {
        Cluster cluster = cluster(NAMED_PORTS);
        ConnectionSet asked = PortMatcher.parse("pg").resolve(cluster.workload(id("db")).orElseThrow().templates().get(0));
        assertThat(asked).isEqualTo(TCP_5432);
        Explanation explanation = Explainer.explain(cluster, CLIENT, DB, asked);
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 5432: allowed

                Egress of shop/client[Pod]: allows TCP 5432
                  isolated by shop/client-egress (fixture.yaml:16:1)
                  + shop/client-egress egress[0] (fixture.yaml:23:5): allows TCP 5432; admits shop/db[Pod] by podSelector{app=db}

                Ingress of shop/db[Pod]: allows TCP 5432
                  isolated by shop/db-pg (fixture.yaml:26:1)
                  + shop/db-pg ingress[0] (fixture.yaml:32:5): allows TCP 5432; admits shop/client[Pod] by podSelector{app=client}
                """);
    }

    @Test
    void testRuleNamedPortResolvesOnTheDestinationNotTheSourceSoBothSidesDeny() {
        // 6000 is the client's own "pg": neither side may resolve the name on the client.
        Explanation explanation = explain(NAMED_PORTS, CLIENT, DB, ConnectionSet.of(Protocol.TCP, 6000));
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod] on TCP 6000: denied by the egress of shop/client[Pod] and the ingress of shop/db[Pod]

                Egress of shop/client[Pod]: denies
                  isolated by shop/client-egress (fixture.yaml:16:1)
                  - shop/client-egress egress[0] (fixture.yaml:23:5): admits shop/db[Pod] by podSelector{app=db}, but not on these ports (it allows TCP 5432)

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-pg (fixture.yaml:26:1)
                  - shop/db-pg ingress[0] (fixture.yaml:32:5): admits shop/client[Pod] by podSelector{app=client}, but not on these ports (it allows TCP 5432)
                """);
        assertThat(outcomes(explanation.egress())).containsExactly(Explanation.Outcome.PEER_ONLY);
        assertThat(outcomes(explanation.ingress())).containsExactly(Explanation.Outcome.PEER_ONLY);
    }

    @Test
    void testRuleNamedPortOnADestinationWithoutThatNameMeansNothing() {
        // the stranger declares no port: the egress rule's "pg" means no connection towards it
        Explanation explanation = explain(NAMED_PORTS, DB, STRANGER, ConnectionSet.ALL);
        assertThat(explanation.egress().isolation()).isEqualTo(Explanation.Isolation.NOT_ISOLATED);
        Explanation fromClient = explain(NAMED_PORTS.replace("{app: db}}}]", "{app: stranger}}}]"), CLIENT, STRANGER,
                ConnectionSet.ALL);
        assertThat(text(fromClient)).isEqualTo("""
                shop/client[Pod] => shop/stranger[Pod]: denied by the egress of shop/client[Pod]

                Egress of shop/client[Pod]: denies
                  isolated by shop/client-egress (fixture.yaml:16:1)
                  - shop/client-egress egress[0] (fixture.yaml:23:5): admits shop/stranger[Pod] by podSelector{app=stranger}, but not on these ports (its ports mean nothing towards this destination)

                Ingress of shop/stranger[Pod]: allows everything; no NetworkPolicy selects it for ingress
                """);
        assertThat(explanation.allowed()).isEqualTo(ConnectionSet.ALL);
    }

    // ---------------------------------------------------------------------------------------------
    // Addresses outside the cluster.

    /** The db admits part of a partner network, and anyone on its metrics port. */
    private static final String DB_FROM_PARTNER = PODS + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-partner, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from:
                - podSelector: {matchLabels: {app: client}}
                - ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.128/25]}
                ports: [{port: 5432}]
              - ports: [{port: metrics}]
            """;

    @Test
    void testExternalSourceOnlyTheDestinationsIngressApplies() {
        Explanation explanation = explain(DB_FROM_PARTNER, external("203.0.113.7"), DB, TCP_5432);
        assertThat(text(explanation)).isEqualTo("""
                203.0.113.7-203.0.113.7[External] => shop/db[Pod] on TCP 5432: allowed

                Egress of 203.0.113.7-203.0.113.7[External]: outside the cluster; no policy governs it

                Ingress of shop/db[Pod]: allows TCP 5432
                  isolated by shop/db-partner (fixture.yaml:16:1)
                  + shop/db-partner ingress[0] (fixture.yaml:22:5): allows TCP 5432; admits 203.0.113.7-203.0.113.7[External] by ipBlock{203.0.113.0/24 except 203.0.113.128/25}
                  - shop/db-partner ingress[1] (fixture.yaml:26:5): admits 203.0.113.7-203.0.113.7[External] (it admits every peer), but not on these ports (it allows TCP 9187)
                """);
        assertThat(explanation.egress().isolation()).isEqualTo(Explanation.Isolation.OUTSIDE_CLUSTER);
        assertThat(explanation.egress().allowed()).isEqualTo(ConnectionSet.ALL);
    }

    @Test
    void testExternalSourceInTheExceptIsNotAdmitted() {
        Explanation explanation = explain(DB_FROM_PARTNER, external("203.0.113.200"), DB, TCP_5432);
        assertThat(text(explanation)).isEqualTo("""
                203.0.113.200-203.0.113.200[External] => shop/db[Pod] on TCP 5432: denied by the ingress of shop/db[Pod]

                Egress of 203.0.113.200-203.0.113.200[External]: outside the cluster; no policy governs it

                Ingress of shop/db[Pod]: denies
                  isolated by shop/db-partner (fixture.yaml:16:1)
                  - shop/db-partner ingress[0] (fixture.yaml:22:5): covers the ports (TCP 5432), but does not admit 203.0.113.200-203.0.113.200[External]
                  - shop/db-partner ingress[1] (fixture.yaml:26:5): admits 203.0.113.200-203.0.113.200[External] (it admits every peer), but not on these ports (it allows TCP 9187)
                """);
    }

    /** The client may reach 10.0.0.0/8 except 10.1.0.0/16 on 443, and the db on "pg". */
    private static final String CLIENT_EGRESS = PODS + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: client-egress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: client}}
              policyTypes: [Egress]
              egress:
              - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
                ports: [{port: 443}]
              - to: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: pg}]
            """;

    @Test
    void testExternalDestinationOnlyTheSourcesEgressApplies() {
        Explanation explanation = explain(CLIENT_EGRESS, CLIENT, external("10.2.3.4"), ConnectionSet.of(Protocol.TCP, 443));
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => 10.2.3.4-10.2.3.4[External] on TCP 443: allowed

                Egress of shop/client[Pod]: allows TCP 443
                  isolated by shop/client-egress (fixture.yaml:16:1)
                  + shop/client-egress egress[0] (fixture.yaml:23:5): allows TCP 443; admits 10.2.3.4-10.2.3.4[External] by ipBlock{10.0.0.0/8 except 10.1.0.0/16}
                  - shop/client-egress egress[1] (fixture.yaml:25:5): admits neither 10.2.3.4-10.2.3.4[External] nor these ports (its ports mean nothing towards this destination)

                Ingress of 10.2.3.4-10.2.3.4[External]: outside the cluster; no policy governs it
                """);
        assertThat(explanation.ingress().isolation()).isEqualTo(Explanation.Isolation.OUTSIDE_CLUSTER);
    }

    @Test
    void testExternalDestinationInTheExceptIsNotAdmitted() {
        Explanation explanation = explain(CLIENT_EGRESS, CLIENT, external("10.1.2.3"), ConnectionSet.of(Protocol.TCP, 443));
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => 10.1.2.3-10.1.2.3[External] on TCP 443: denied by the egress of shop/client[Pod]

                Egress of shop/client[Pod]: denies
                  isolated by shop/client-egress (fixture.yaml:16:1)
                  - shop/client-egress egress[0] (fixture.yaml:23:5): covers the ports (TCP 443), but does not admit 10.1.2.3-10.1.2.3[External]
                  - shop/client-egress egress[1] (fixture.yaml:25:5): admits neither 10.1.2.3-10.1.2.3[External] nor these ports (its ports mean nothing towards this destination)

                Ingress of 10.1.2.3-10.1.2.3[External]: outside the cluster; no policy governs it
                """);
        assertThat(explanation.allowed()).isEqualTo(ConnectionSet.NONE);
    }

    @Test
    void testEgressRuleNamedPortResolvesOnThePeer() {
        Explanation explanation = explain(CLIENT_EGRESS, CLIENT, DB, ConnectionSet.ALL);
        assertThat(text(explanation)).isEqualTo("""
                shop/client[Pod] => shop/db[Pod]: allowed TCP 5432

                Egress of shop/client[Pod]: allows TCP 5432
                  isolated by shop/client-egress (fixture.yaml:16:1)
                  - shop/client-egress egress[0] (fixture.yaml:23:5): covers the ports (TCP 443), but does not admit shop/db[Pod]
                  + shop/client-egress egress[1] (fixture.yaml:25:5): allows TCP 5432; admits shop/db[Pod] by podSelector{app=db}

                Ingress of shop/db[Pod]: allows everything; no NetworkPolicy selects it for ingress
                """);
    }

    // ---------------------------------------------------------------------------------------------
    // A workload whose pods differ (read from a dump or a live cluster).

    /**
     * Two pods of one ReplicaSet differ in a label and in the number of their port named http. The
     * workload shows the connections of any of its pods (Workload, ClusterAssembler), as the
     * connectivity map does: the v=2 pod is not isolated for ingress and its http is 9090.
     */
    @Test
    void testWorkloadWithPodVariantsAllowsWhatAnyVariantAllows() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: shop, labels: {app: client}}
                spec: {containers: [{name: c, image: i}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-abc-1
                  namespace: shop
                  labels: {app: web, v: "1"}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, controller: true, uid: u1}]
                spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-abc-2
                  namespace: shop
                  labels: {app: web, v: "2"}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, controller: true, uid: u1}]
                spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 9090}]}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-v1-deny, namespace: shop}
                spec:
                  podSelector: {matchLabels: {v: "1"}}
                  policyTypes: [Ingress]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: client-egress, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: client}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: http}]
                """;
        Cluster cluster = ManifestReader.readString(FILE, yaml).cluster();
        Peer web = new Peer.WorkloadPeer(new WorkloadId("shop", "web-abc", "ReplicaSet"));
        ConnectionSet listed = ConnectivityAnalyzer.analyze(cluster).between(CLIENT, web).orElseThrow().connections();
        assertThat(listed).isEqualTo(ConnectionSet.of(Protocol.TCP, 9090));
        Explanation explanation = Explainer.explain(cluster, CLIENT, web, ConnectionSet.ALL);
        assertThat(explanation.allowed()).isEqualTo(listed);
        assertThat(Explainer.explain(cluster, CLIENT, web, ConnectionSet.of(Protocol.TCP, 9090)).fullyAllowed()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------
    // JSON.

    @Test
    void testJsonCarriesVerdictOutcomesAndLocations() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode denied = mapper.readTree(new ExplanationJsonFormatter().format(explain(DB_INGRESS, STRANGER, DB, TCP_5432)));
        assertThat(denied.path("schema").asText()).isEqualTo("phiguard.dev/explain/v1");
        assertThat(denied.path("verdict").asText()).isEqualTo("denied");
        assertThat(denied.path("summary").asText())
                .isEqualTo("shop/stranger[Pod] => shop/db[Pod] on TCP 5432: denied by the ingress of shop/db[Pod]");
        assertThat(denied.path("source").path("id").asText()).isEqualTo("shop/stranger[Pod]");
        assertThat(denied.path("asked").path("connections").asText()).isEqualTo("TCP 5432");
        assertThat(denied.path("allowed").path("connections").asText()).isEqualTo("No Connections");
        assertThat(denied.path("egress").path("isolation").asText()).isEqualTo("not-isolated");
        JsonNode ingress = denied.path("ingress");
        assertThat(ingress.path("isolation").asText()).isEqualTo("isolated");
        assertThat(ingress.path("isolatingPolicies").get(0).path("policy").asText()).isEqualTo("shop/db-ingress");
        assertThat(ingress.path("isolatingPolicies").get(0).path("location").path("line").asInt()).isEqualTo(16);
        JsonNode rules = ingress.path("rules");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).path("rule").asText()).isEqualTo("ingress[0]");
        assertThat(rules.get(0).path("outcome").asText()).isEqualTo("ports-only");
        assertThat(rules.get(0).has("matchingPeer")).isFalse();
        assertThat(rules.get(0).path("location").path("file").asText()).isEqualTo(FILE);
        assertThat(rules.get(0).path("location").path("line").asInt()).isEqualTo(22);
        assertThat(rules.get(0).path("location").path("column").asInt()).isEqualTo(5);
        assertThat(rules.get(1).path("outcome").asText()).isEqualTo("neither");
        assertThat(rules.get(1).path("ports").asText()).isEqualTo("TCP 9187");
        assertThat(rules.get(1).path("location").path("line").asInt()).isEqualTo(24);

        JsonNode allowed = mapper.readTree(new ExplanationJsonFormatter().format(explain(DB_INGRESS, CLIENT, DB, TCP_5432)));
        assertThat(allowed.path("verdict").asText()).isEqualTo("allowed");
        JsonNode grant = allowed.path("ingress").path("rules").get(0);
        assertThat(grant.path("outcome").asText()).isEqualTo("grants");
        assertThat(grant.path("matchingPeer").asText()).isEqualTo("podSelector{app=client}");
        assertThat(grant.path("granted").asText()).isEqualTo("TCP 5432");

        JsonNode partly = mapper.readTree(new ExplanationJsonFormatter().format(
                explain(DB_INGRESS, CLIENT, DB, ConnectionSet.of(Protocol.TCP, PortRange.of(5000, 6000)))));
        assertThat(partly.path("verdict").asText()).isEqualTo("partly-allowed");
        assertThat(partly.path("allowed").path("protocols").path("TCP").get(0).path("first").asInt()).isEqualTo(5432);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers.

    private static WorkloadId id(String name) {
        return new WorkloadId("shop", name, "Pod");
    }

    private static Peer workload(String name) {
        return new Peer.WorkloadPeer(id(name));
    }

    private static Peer external(String address) {
        return new Peer.ExternalPeer(IpRange.fromAddress(address));
    }

    private static Cluster cluster(String yaml) {
        IngestResult result = ManifestReader.readString(FILE, yaml);
        assertThat(result.diagnostics()).as("diagnostics of the fixture").isEmpty();
        return result.cluster();
    }

    private static Explanation explain(String yaml, Peer source, Peer destination, ConnectionSet asked) {
        return Explainer.explain(cluster(yaml), source, destination, asked);
    }

    private static String text(Explanation explanation) {
        return new ExplanationTextFormatter().format(explanation);
    }

    private static List<Explanation.Outcome> outcomes(Explanation.Side side) {
        List<Explanation.Outcome> outcomes = new ArrayList<>();
        side.rules().forEach(rule -> outcomes.add(rule.outcome()));
        return outcomes;
    }
}
