package dev.phiguard.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable snapshot of what NetworkPolicy evaluation reads from a cluster. Namespaces that
 * workloads or policies live in but that have no Namespace object are added, known only by name.
 * {@code platform} is what only a live cluster shows (its network plugin, mesh, flow logs);
 * manifests leave it {@link Platform#NOT_OBSERVED}.
 */
public record Cluster(List<Namespace> namespaces, List<Workload> workloads, List<Service> services,
        List<NetworkPolicy> policies, Platform platform) {

    /** A snapshot of manifests, which show nothing of the running platform. */
    public Cluster(List<Namespace> namespaces, List<Workload> workloads, List<Service> services,
            List<NetworkPolicy> policies) {
        this(namespaces, workloads, services, policies, Platform.NOT_OBSERVED);
    }

    public Cluster {
        java.util.Objects.requireNonNull(platform, "platform");
        workloads = List.copyOf(workloads);
        services = List.copyOf(services);
        policies = List.copyOf(policies);
        // looked up by hash for each of thousands of objects, sorted by name once
        Map<String, Namespace> byName = new HashMap<>();
        for (Namespace namespace : namespaces) {
            if (byName.putIfAbsent(namespace.name(), namespace) != null) {
                throw new IllegalArgumentException("Duplicate namespace: " + namespace.name());
            }
        }
        // objects come namespace after namespace as a rule: each namespace is looked up when it changes
        String last = null;
        for (Workload workload : workloads) {
            if (!workload.namespace().equals(last)) {
                last = workload.namespace();
                byName.computeIfAbsent(last, Namespace::implicit);
            }
        }
        for (NetworkPolicy policy : policies) {
            if (!policy.namespace().equals(last)) {
                last = policy.namespace();
                byName.computeIfAbsent(last, Namespace::implicit);
            }
        }
        namespaces = List.copyOf(new TreeMap<>(byName).values());
        // sized for every element, so that thousands of them are not rehashed on the way
        Set<WorkloadId> ids = new HashSet<>(workloads.size() * 4 / 3 + 1);
        for (Workload workload : workloads) {
            if (!ids.add(workload.id())) {
                throw new IllegalArgumentException("Duplicate workload: " + workload.id());
            }
        }
        Set<String> policyNames = new HashSet<>(policies.size() * 4 / 3 + 1);
        for (NetworkPolicy policy : policies) {
            if (!policyNames.add(policy.namespacedName())) {
                throw new IllegalArgumentException("Duplicate NetworkPolicy: " + policy.namespacedName());
            }
        }
    }

    public static Cluster of(List<Namespace> namespaces, List<Workload> workloads, List<NetworkPolicy> policies) {
        return new Cluster(namespaces, workloads, List.of(), policies);
    }

    /** This snapshot with what was observed of the running platform. */
    public Cluster withPlatform(Platform observed) {
        return new Cluster(namespaces, workloads, services, policies, observed);
    }

    public Optional<Namespace> namespace(String name) {
        for (Namespace namespace : namespaces) {
            if (namespace.name().equals(name)) {
                return Optional.of(namespace);
            }
        }
        return Optional.empty();
    }

    public Optional<Workload> workload(WorkloadId id) {
        for (Workload workload : workloads) {
            if (workload.id().equals(id)) {
                return Optional.of(workload);
            }
        }
        return Optional.empty();
    }

    /** The policies of each namespace, in input order. */
    public Map<String, List<NetworkPolicy>> policiesByNamespace() {
        Map<String, List<NetworkPolicy>> result = new HashMap<>();
        for (NetworkPolicy policy : policies) {
            result.computeIfAbsent(policy.namespace(), key -> new ArrayList<>()).add(policy);
        }
        return result;
    }
}
