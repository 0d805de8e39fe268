package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
        long key = a < b ? PairKey.of(a, b) : PairKey.of(b, a);
        Integer known = unions.get(key);
        if (known == null) {
            known = id(set(a).union(set(b)));
            unions.put(key, known);
        }
        return known;
    }

    int intersect(int a, int b) {
        if (a == b || b == ALL || a == NONE) {
            return a;
        }
        if (a == ALL || b == NONE) {
            return b;
        }
        long key = a < b ? PairKey.of(a, b) : PairKey.of(b, a);
        Integer known = intersections.get(key);
        if (known == null) {
            known = id(set(a).intersect(set(b)));
            intersections.put(key, known);
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
