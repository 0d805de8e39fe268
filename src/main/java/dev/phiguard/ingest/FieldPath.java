package dev.phiguard.ingest;

import java.util.ArrayList;
import java.util.List;

/** A path to a field of an object, printed as Kubernetes prints it: {@code spec.ingress[0].ports[1].port}. */
public final class FieldPath {
    private static final FieldPath ROOT = new FieldPath(List.of());

    /** Field names (String) and list indices (Integer). */
    private final List<Object> segments;

    private FieldPath(List<Object> segments) {
        this.segments = segments;
    }

    public static FieldPath root() {
        return ROOT;
    }

    public static FieldPath of(Object... segments) {
        FieldPath path = ROOT;
        for (Object segment : segments) {
            path = segment instanceof Integer index ? path.index(index) : path.child(segment.toString());
        }
        return path;
    }

    public FieldPath child(String name) {
        List<Object> next = new ArrayList<>(segments);
        next.add(name);
        return new FieldPath(List.copyOf(next));
    }

    public FieldPath index(int index) {
        List<Object> next = new ArrayList<>(segments);
        next.add(index);
        return new FieldPath(List.copyOf(next));
    }

    public List<Object> segments() {
        return segments;
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
