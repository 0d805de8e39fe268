package dev.phiguard.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * A path to a field of an object, printed as Kubernetes prints it:
 * {@code spec.ingress[0].ports[1].port}, with keys of free-form maps in brackets,
 * {@code metadata.labels[app.kubernetes.io/name]}.
 */
public final class FieldPath {
    private static final FieldPath ROOT = new FieldPath(List.of());

    /** A key of a map whose keys are data (labels, annotations), not field names. */
    public record MapKey(String key) {
    }

    /** Field names (String), list indices (Integer) and map keys ({@link MapKey}). */
    private final List<Object> segments;

    private FieldPath(List<Object> segments) {
        this.segments = segments;
    }

    public static FieldPath root() {
        return ROOT;
    }

    /** A path of field names and list indices. */
    public static FieldPath of(Object... segments) {
        FieldPath path = ROOT;
        for (Object segment : segments) {
            path = path.append(segment instanceof Integer || segment instanceof MapKey ? segment : segment.toString());
        }
        return path;
    }

    public FieldPath child(String name) {
        return append(name);
    }

    public FieldPath index(int index) {
        return append(index);
    }

    public FieldPath key(String key) {
        return append(new MapKey(key));
    }

    /** This path followed by another. */
    public FieldPath concat(FieldPath rest) {
        List<Object> next = new ArrayList<>(segments);
        next.addAll(rest.segments);
        return new FieldPath(List.copyOf(next));
    }

    /** True when this path is {@code prefix} or lies under it. */
    public boolean startsWith(FieldPath prefix) {
        return segments.size() >= prefix.segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** The rest of this path after {@code prefix}, which it must start with. */
    public FieldPath relativeTo(FieldPath prefix) {
        if (!startsWith(prefix)) {
            throw new IllegalArgumentException(this + " is not under " + prefix);
        }
        return new FieldPath(List.copyOf(segments.subList(prefix.segments.size(), segments.size())));
    }

    private FieldPath append(Object segment) {
        List<Object> next = new ArrayList<>(segments);
        next.add(segment);
        return new FieldPath(List.copyOf(next));
    }

    public List<Object> segments() {
        return segments;
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else if (segment instanceof MapKey mapKey) {
                text.append('[').append(mapKey.key()).append(']');
            } else {
                if (text.length() > 0) {
                    text.append('.');
                }
                text.append(segment);
            }
        }
        return text.toString();
    }
}
