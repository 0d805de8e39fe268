package dev.phiguard.analysis;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A cluster with other objects applied on top, as {@code kubectl apply} would leave it: an object
 * of the same kind, namespace and name replaces the base's, a new one is added, nothing is
 * deleted. Namespaces known only by name in the changes do not replace the base's labelled ones.
 * Pure: no I/O.
 */
public final class ClusterOverlay {
    private ClusterOverlay() {
    }

    public static Cluster apply(Cluster base, Cluster changes) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(changes, "changes");
        List<Namespace> explicitChanges = changes.namespaces().stream().filter(n -> !n.isImplicit()).toList();
        return new Cluster(
                merge(base.namespaces(), explicitChanges, Namespace::name),
                merge(base.workloads(), changes.workloads(), workload -> workload.id().toString()),
                merge(base.services(), changes.services(), service -> service.namespace() + "/" + service.name()),
                merge(base.policies(), changes.policies(), NetworkPolicy::namespacedName));
    }

    /** The base's objects in their order, each replaced by its namesake among the changes, then the new ones. */
    private static <T> List<T> merge(List<T> base, List<T> changes, Function<T, String> key) {
        Map<String, T> merged = new LinkedHashMap<>();
        base.forEach(object -> merged.put(key.apply(object), object));
        changes.forEach(object -> merged.put(key.apply(object), object));
        return new ArrayList<>(merged.values());
    }
}
