package dev.phiguard.model;

import java.util.Objects;

/** Names a workload: {@code namespace/name[Kind]}, the form every output prints. */
public record WorkloadId(String namespace, String name, String kind) implements Comparable<WorkloadId> {
    public WorkloadId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("Workload needs a name and a kind: " + namespace + "/" + name + "[" + kind + "]");
        }
    }

    /** {@code namespace/name}. */
    public String namespacedName() {
        return namespace + "/" + name;
    }

    @Override
    public int compareTo(WorkloadId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return namespace + "/" + name + "[" + kind + "]";
    }
}
