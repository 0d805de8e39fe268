package dev.phiguard.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The answers of a computation most recently asked for, up to a number: rows are asked for
 * workload after workload and then rarely again, and all of them would not fit in memory on a
 * large open cluster. An answer is computed outside the lock, so that threads compute side by
 * side (twice, rarely, for the same key); answers must not be changed once made.
 */
final class RecentAnswers<K, V> {
    private final Map<K, V> kept;

    RecentAnswers(int capacity) {
        this.kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The answers kept now, in a map of their own that threads may share. */
    Map<K, V> snapshot() {
        synchronized (kept) {
            return new java.util.concurrent.ConcurrentHashMap<>(kept);
        }
    }

    V get(K key, Function<K, V> compute) {
        V known;
        synchronized (kept) {
            known = kept.get(key);
        }
        if (known == null) {
            known = compute.apply(key);
            synchronized (kept) {
                kept.put(key, known);
            }
        }
        return known;
    }
}
