package dev.phiguard.model;

import java.util.Objects;

/**
 * Names a workload: {@code namespace/name[Kind]}, the form every output prints. A value: equal
 * when its three parts are. A class rather than a record so that it keeps its hash: ids key the
 * large maps of every audit, where reading three strings for each lookup cost more than the
 * lookup.
 */
public final class WorkloadId implements Comparable<WorkloadId> {
    private final String namespace;
    private final String name;
    private final String kind;
    private final int hash;

    public WorkloadId(String namespace, String name, String kind) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("Workload needs a name and a kind: " + namespace + "/" + name + "[" + kind + "]");
        }
        this.namespace = namespace;
        this.name = name;
        this.kind = kind;
        this.hash = mix(namespace, name, kind);
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    /** {@code namespace/name}. */
    public String namespacedName() {
        return namespace + "/" + name;
    }

    /**
     * Orders as {@link #toString()} does, without building the strings: ids are compared inside
     * hash maps and sorts of every large cluster.
     */
    @Override
    public int compareTo(WorkloadId other) {
        if (this == other) {
            return 0;
        }
        int length = printedLength();
        int otherLength = other.printedLength();
        for (int i = 0, n = Math.min(length, otherLength); i < n; i++) {
            char mine = printedCharAt(i);
            char theirs = other.printedCharAt(i);
            if (mine != theirs) {
                return mine - theirs;
            }
        }
        return length - otherLength;
    }

    private int printedLength() {
        return namespace.length() + name.length() + kind.length() + 3;
    }

    private char printedCharAt(int index) {
        int i = index;
        if (i < namespace.length()) {
            return namespace.charAt(i);
        }
        i -= namespace.length();
        if (i == 0) {
            return '/';
        }
        i--;
        if (i < name.length()) {
            return name.charAt(i);
        }
        i -= name.length();
        if (i == 0) {
            return '[';
        }
        i--;
        return i < kind.length() ? kind.charAt(i) : ']';
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof WorkloadId id && hash == id.hash && namespace.equals(id.namespace)
                && name.equals(id.name) && kind.equals(id.kind);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * Mixes the parts thoroughly: generated and real names differ in a digit or two, which a plain
     * sum of their hashes maps onto few buckets of the large maps keyed by workload.
     */
    private static int mix(String namespace, String name, String kind) {
        int hash = namespace.hashCode() * 0x9E3779B1 + name.hashCode();
        hash = hash * 0x85EBCA6B + kind.hashCode();
        hash ^= hash >>> 16;
        hash *= 0x7FEB352D;
        return hash ^ (hash >>> 15);
    }

    @Override
    public String toString() {
        return namespace + "/" + name + "[" + kind + "]";
    }
}
