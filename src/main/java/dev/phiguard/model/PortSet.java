package dev.phiguard.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * A set of port numbers in 1..65535, kept canonical: sorted, disjoint, non-adjacent ranges, so
 * that equal sets are equal objects.
 */
public final class PortSet {
    public static final PortSet NONE = new PortSet(new int[0]);
    public static final PortSet ALL = new PortSet(new int[] {PortRange.MIN_PORT, PortRange.MAX_PORT});

    /** Pairs of inclusive bounds: first0, last0, first1, last1, ... */
    private final int[] bounds;

    private PortSet(int[] bounds) {
        this.bounds = bounds;
    }

    public static PortSet of(PortRange range) {
        return new PortSet(new int[] {range.first(), range.last()});
    }

    public static PortSet of(int port) {
        return of(PortRange.of(port));
    }

    public static PortSet of(int first, int last) {
        return of(PortRange.of(first, last));
    }

    public static PortSet of(Collection<PortRange> ranges) {
        List<PortRange> sorted = new ArrayList<>(ranges);
        sorted.sort(null);
        int[] merged = new int[sorted.size() * 2];
        int n = 0;
        for (PortRange range : sorted) {
            if (n > 0 && range.first() <= merged[n - 1] + 1) {
                merged[n - 1] = Math.max(merged[n - 1], range.last());
            } else {
                merged[n++] = range.first();
                merged[n++] = range.last();
            }
        }
        return canonical(Arrays.copyOf(merged, n));
    }

    /** Parses the printed form, {@code 80,443,8000-8080}; the empty string is the empty set. */
    public static PortSet fromString(String text) {
        if (text.isBlank()) {
            return NONE;
        }
        List<PortRange> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            ranges.add(PortRange.fromString(part));
        }
        return of(ranges);
    }

    private static PortSet canonical(int[] bounds) {
        if (bounds.length == 0) {
            return NONE;
        }
        if (bounds.length == 2 && bounds[0] == PortRange.MIN_PORT && bounds[1] == PortRange.MAX_PORT) {
            return ALL;
        }
        return new PortSet(bounds);
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    public boolean isAll() {
        return bounds.length == 2 && bounds[0] == PortRange.MIN_PORT && bounds[1] == PortRange.MAX_PORT;
    }

    public boolean contains(int port) {
        for (int i = 0; i < bounds.length; i += 2) {
            if (port < bounds[i]) {
                return false;
            }
            if (port <= bounds[i + 1]) {
                return true;
            }
        }
        return false;
    }

    public boolean containsAll(PortSet other) {
        return other.minus(this).isEmpty();
    }

    public boolean intersects(PortSet other) {
        return !intersect(other).isEmpty();
    }

    /** The number of ports in the set. */
    public int size() {
        int size = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            size += bounds[i + 1] - bounds[i] + 1;
        }
        return size;
    }

    public List<PortRange> ranges() {
        List<PortRange> ranges = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) {
            ranges.add(new PortRange(bounds[i], bounds[i + 1]));
        }
        return ranges;
    }

    public PortSet union(PortSet other) {
        if (other.isEmpty() || this.isAll()) {
            return this;
        }
        if (this.isEmpty() || other.isAll()) {
            return other;
        }
        int[] merged = new int[bounds.length + other.bounds.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < bounds.length || j < other.bounds.length) {
            int first;
            int last;
            if (j >= other.bounds.length || (i < bounds.length && bounds[i] <= other.bounds[j])) {
                first = bounds[i];
                last = bounds[i + 1];
                i += 2;
            } else {
                first = other.bounds[j];
                last = other.bounds[j + 1];
                j += 2;
            }
            if (n > 0 && first <= merged[n - 1] + 1) {
                merged[n - 1] = Math.max(merged[n - 1], last);
            } else {
                merged[n++] = first;
                merged[n++] = last;
            }
        }
        return canonical(Arrays.copyOf(merged, n));
    }

    public PortSet intersect(PortSet other) {
        if (this.isEmpty() || other.isAll()) {
            return this;
        }
        if (other.isEmpty() || this.isAll()) {
            return other;
        }
        int[] result = new int[bounds.length + other.bounds.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < bounds.length && j < other.bounds.length) {
            int first = Math.max(bounds[i], other.bounds[j]);
            int last = Math.min(bounds[i + 1], other.bounds[j + 1]);
            if (first <= last) {
                result[n++] = first;
                result[n++] = last;
            }
            if (bounds[i + 1] < other.bounds[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return canonical(Arrays.copyOf(result, n));
    }

    public PortSet complement() {
        int[] result = new int[bounds.length + 2];
        int n = 0;
        int next = PortRange.MIN_PORT;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] > next) {
                result[n++] = next;
                result[n++] = bounds[i] - 1;
            }
            next = bounds[i + 1] + 1;
        }
        if (next <= PortRange.MAX_PORT) {
            result[n++] = next;
            result[n++] = PortRange.MAX_PORT;
        }
        return canonical(Arrays.copyOf(result, n));
    }

    public PortSet minus(PortSet other) {
        if (this.isEmpty() || other.isEmpty()) {
            return this;
        }
        return intersect(other.complement());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    /** {@code 80,443,8000-8080}; the empty set prints as the empty string. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(",");
        for (PortRange range : ranges()) {
            joiner.add(range.toString());
        }
        return joiner.toString();
    }
}
