package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A cluster snapshot: namespaces named only by their objects are added, and duplicates refused. */
class ClusterTest {

    private static Workload workload(String namespace, String name) {
        return new Workload(new WorkloadId(namespace, name, "Deployment"), new TreeMap<>(),
                List.of(new PodTemplate(new TreeMap<>(Map.of("app", name)), new TreeMap<>(), List.of(), false)), 1,
                SourceRef.UNKNOWN);
    }

    private static NetworkPolicy policy(String namespace, String name) {
        return new NetworkPolicy(namespace, name, LabelSelector.of(Map.of()), Optional.empty(), List.of(),
                List.of(), SourceRef.UNKNOWN);
    }

    @Test
    void testNamespacesOfWorkloadsAndPoliciesAreAddedSortedByName() {
        Namespace labelled = Namespace.of("b", Map.of("team", "x"));
        // workloads of one namespace need not come together, nor policies after the workloads' namespaces
        Cluster cluster = Cluster.of(List.of(labelled),
                List.of(workload("c", "one"), workload("e", "two"), workload("c", "three")),
                List.of(policy("c", "p"), policy("a", "only-a-policy"), policy("d", "q")));

        assertThat(cluster.namespaces()).extracting(Namespace::name).containsExactly("a", "b", "c", "d", "e");
        assertThat(cluster.namespaces().get(1)).isSameAs(labelled);
        assertThat(cluster.namespaces().get(0)).isEqualTo(Namespace.implicit("a"));
    }

    @Test
    void testDuplicatesAreRefused() {
        assertThatThrownBy(() -> Cluster.of(List.of(), List.of(workload("a", "w"), workload("a", "w")), List.of()))
                .hasMessage("Duplicate workload: a/w[Deployment]");
        assertThatThrownBy(() -> Cluster.of(List.of(), List.of(), List.of(policy("a", "p"), policy("a", "p"))))
                .hasMessage("Duplicate NetworkPolicy: a/p");
        assertThatThrownBy(() -> Cluster.of(List.of(Namespace.implicit("a"), Namespace.implicit("a")), List.of(),
                List.of())).hasMessage("Duplicate namespace: a");
    }
}
