package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntBinaryOperator;

/**
 * Connection sets of one analysis interned as small ints, with unions and intersections
 * remembered: an analysis meets few distinct sets but combines them millions of times, so each
 * combination is computed once and then looked up. One per analysis; safe to share between
 * threads: lookups take no lock, only a set never seen before does.
 */
final class ConnectionTable {
    static final int NONE = 0;
    static final int ALL = 1;

    // few sets, read constantly, added rarely
    private final List<ConnectionSet> sets = new CopyOnWriteArrayList<>();
    private final Map<ConnectionSet, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Long, Integer> unions = new ConcurrentHashMap<>();
    private final Map<Long, Integer> intersections = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> complements = new ConcurrentHashMap<>();
    /**
     * The latest unions and intersections asked for, in a direct-mapped cache in front of the
     * maps: they are asked for millions of pairs of classes, and a map with boxed keys cost more
     * than the rest of a pair's work. An entry packs both ids and the answer into one long, read
     * and written whole, so threads share it without a lock; a collision only means asking the map.
     */
    private static final int RECENT = 1 << 13;
    private static final int ID_BITS = 21;
    private static final long ID_MASK = (1L << ID_BITS) - 1;
    private final AtomicLongArray recentUnions = new AtomicLongArray(RECENT);
    private final AtomicLongArray recentIntersections = new AtomicLongArray(RECENT);

    ConnectionTable() {
        id(ConnectionSet.NONE);
        id(ConnectionSet.ALL);
    }

    int id(ConnectionSet set) {
        Integer known = ids.get(set);
        if (known != null) {
            return known;
        }
        return add(set);
    }

    private synchronized int add(ConnectionSet set) {
        Integer known = ids.get(set);
        if (known != null) {
            return known;
        }
        int id = sets.size();
        sets.add(set);
        ids.put(set, id);
        return id;
    }

    /** How many sets the table holds. */
    int size() {
        return sets.size();
    }

    ConnectionSet set(int id) {
        return sets.get(id);
    }

    int union(int a, int b) {
        if (a == b || b == NONE || a == ALL) {
            return a;
        }
        if (a == NONE || b == ALL) {
            return b;
        }
        return combine(a, b, recentUnions, unions, (x, y) -> id(set(x).union(set(y))));
    }

    int intersect(int a, int b) {
        if (a == b || b == ALL || a == NONE) {
            return a;
        }
        if (a == ALL || b == NONE) {
            return b;
        }
        return combine(a, b, recentIntersections, intersections, (x, y) -> id(set(x).intersect(set(y))));
    }

    /** A commutative operation on two ids, looked up in the recent cache, then in the map, computed once. */
    private static int combine(int a, int b, AtomicLongArray recent, Map<Long, Integer> remembered,
            IntBinaryOperator compute) {
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        long key = PairKey.of(low, high);
        boolean cacheable = high <= ID_MASK;
        // both ids above the answer's bits; never 0, since NONE and ALL are answered before
        long tag = ((long) low << ID_BITS | high) << ID_BITS;
        int slot = (int) key & (RECENT - 1);
        if (cacheable) {
            long entry = recent.getOpaque(slot);
            if ((entry & ~ID_MASK) == tag) {
                return (int) (entry & ID_MASK);
            }
        }
        Integer known = remembered.get(key);
        if (known == null) {
            known = compute.applyAsInt(low, high);
            remembered.put(key, known);
        }
        if (cacheable && known <= ID_MASK) {
            recent.setOpaque(slot, tag | known);
        }
        return known;
    }

    int complement(int a) {
        if (a == NONE) {
            return ALL;
        }
        if (a == ALL) {
            return NONE;
        }
        return complements.computeIfAbsent(a, key -> id(set(key).complement()));
    }

    int minus(int a, int b) {
        return intersect(a, complement(b));
    }
}
