package dev.phiguard.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A namespace with its labels, which always include {@code kubernetes.io/metadata.name} as the
 * API server sets it.
 */
public record Namespace(String name, SortedMap<String, String> labels, SortedMap<String, String> annotations,
        SourceRef source) {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public Namespace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        TreeMap<String, String> withName = new TreeMap<>(labels);
        withName.put(NAME_LABEL, name);
        labels = Collections.unmodifiableSortedMap(withName);
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    /** A namespace known only by name: no Namespace object was read for it. */
    public static Namespace implicit(String name) {
        return new Namespace(name, new TreeMap<>(), new TreeMap<>(), SourceRef.UNKNOWN);
    }

    public static Namespace of(String name, Map<String, String> labels) {
        return new Namespace(name, new TreeMap<>(labels), new TreeMap<>(), SourceRef.UNKNOWN);
    }

    /** True when no Namespace object was read, so only the name label is known. */
    public boolean isImplicit() {
        return source.equals(SourceRef.UNKNOWN);
    }
}
