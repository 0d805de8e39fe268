package dev.phiguard.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * A set of IPv4 and IPv6 addresses, kept canonical: sorted (IPv4 first), disjoint and
 * non-adjacent ranges, so that equal sets are equal objects.
 */
public final class IpSet {
    public static final IpSet NONE = new IpSet(List.of());
    public static final IpSet ALL = new IpSet(List.of(IpRange.all(IpFamily.IPV4), IpRange.all(IpFamily.IPV6)));

    private final List<IpRange> ranges;

    private IpSet(List<IpRange> ranges) {
        this.ranges = ranges;
    }

    public static IpSet of(IpRange range) {
        return new IpSet(List.of(range));
    }

    public static IpSet of(Collection<IpRange> ranges) {
        List<IpRange> sorted = new ArrayList<>(ranges);
        sorted.sort(null);
        List<IpRange> merged = new ArrayList<>(sorted.size());
        for (IpRange range : sorted) {
            appendMerging(merged, range);
        }
        return new IpSet(List.copyOf(merged));
    }

    /** The whole address space of one family. */
    public static IpSet all(IpFamily family) {
        return of(IpRange.all(family));
    }

    /** {@code cidr} minus every {@code except}; see {@link IpRange#fromCidr}. */
    public static IpSet fromCidr(String cidr, Collection<String> except) {
        IpSet block = of(IpRange.fromCidr(cidr));
        List<IpRange> removed = new ArrayList<>();
        for (String hole : except) {
            removed.add(IpRange.fromCidr(hole));
        }
        return block.minus(of(removed));
    }

    private static void appendMerging(List<IpRange> merged, IpRange range) {
        if (!merged.isEmpty()) {
            IpRange previous = merged.get(merged.size() - 1);
            if (previous.family() == range.family()
                    && range.first().compareTo(previous.last().add(BigInteger.ONE)) <= 0) {
                if (range.last().compareTo(previous.last()) > 0) {
                    merged.set(merged.size() - 1, new IpRange(range.family(), previous.first(), range.last()));
                }
                return;
            }
        }
        merged.add(range);
    }

    public List<IpRange> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(IpRange range) {
        for (IpRange own : ranges) {
            if (own.contains(range)) {
                return true;
            }
        }
        return false;
    }

    public boolean containsAll(IpSet other) {
        return other.minus(this).isEmpty();
    }

    public boolean intersects(IpSet other) {
        return !intersect(other).isEmpty();
    }

    /** True when the set holds at least one address of the family. */
    public boolean hasFamily(IpFamily family) {
        for (IpRange range : ranges) {
            if (range.family() == family) {
                return true;
            }
        }
        return false;
    }

    public IpSet union(IpSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<IpRange> all = new ArrayList<>(ranges);
        all.addAll(other.ranges);
        return of(all);
    }

    public IpSet intersect(IpSet other) {
        List<IpRange> result = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            IpRange a = ranges.get(i);
            IpRange b = other.ranges.get(j);
            if (a.family() != b.family()) {
                if (a.family().compareTo(b.family()) < 0) {
                    i++;
                } else {
                    j++;
                }
                continue;
            }
            BigInteger first = a.first().max(b.first());
            BigInteger last = a.last().min(b.last());
            if (first.compareTo(last) <= 0) {
                result.add(new IpRange(a.family(), first, last));
            }
            if (a.last().compareTo(b.last()) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return result.isEmpty() ? NONE : new IpSet(List.copyOf(result));
    }

    /** Everything of both families that is not in this set. */
    public IpSet complement() {
        List<IpRange> result = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            BigInteger next = BigInteger.ZERO;
            boolean exhausted = false;
            for (IpRange range : ranges) {
                if (range.family() != family) {
                    continue;
                }
                if (range.first().compareTo(next) > 0) {
                    result.add(new IpRange(family, next, range.first().subtract(BigInteger.ONE)));
                }
                if (range.last().equals(family.maxAddress())) {
                    exhausted = true;
                    break;
                }
                next = range.last().add(BigInteger.ONE);
            }
            if (!exhausted) {
                result.add(new IpRange(family, next, family.maxAddress()));
            }
        }
        return result.isEmpty() ? NONE : new IpSet(List.copyOf(result));
    }

    public IpSet minus(IpSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        return intersect(other.complement());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpSet other && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    /** Ranges joined by commas: {@code 0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255}. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(",");
        ranges.forEach(range -> joiner.add(range.toString()));
        return joiner.toString();
    }
}
