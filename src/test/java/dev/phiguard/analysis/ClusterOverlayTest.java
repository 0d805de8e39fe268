package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.WorkloadId;
import org.junit.jupiter.api.Test;

class ClusterOverlayTest {
    private static final String BASE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {team: web}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: shop, labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: shop}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: keep, namespace: shop}
            spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Egress]}
            """;

    private static Cluster read(String text) {
        return ManifestReader.readString("test.yaml", text).cluster();
    }

    @Test
    void testSameNameReplacesNewNameIsAddedNothingIsDeleted() {
        Cluster changes = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: extra, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """);
        Cluster applied = ClusterOverlay.apply(read(BASE), changes);
        assertThat(applied.policies()).extracting(NetworkPolicy::namespacedName)
                .containsExactly("shop/deny", "shop/keep", "shop/extra");
        assertThat(applied.policies().get(0).policyTypes()).hasSize(2);
        assertThat(applied.workloads()).extracting(w -> w.id()).containsExactly(new WorkloadId("shop", "db", "Pod"));
    }

    @Test
    void testANamespaceKnownOnlyByNameKeepsTheBaseLabels() {
        Cluster changes = read("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: extra, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """);
        Cluster applied = ClusterOverlay.apply(read(BASE), changes);
        assertThat(applied.namespace("shop").orElseThrow().labels()).containsEntry("team", "web");

        Cluster relabelled = ClusterOverlay.apply(read(BASE), read("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {team: payments}}
                """));
        assertThat(relabelled.namespace("shop").orElseThrow().labels()).containsEntry("team", "payments");
    }
}
