package dev.phiguard.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * What each file gave when last read, by its name and the SHA-256 of its bytes, and each live
 * object by its kind, name, uid and resourceVersion: a watcher that reads the same folder or
 * cluster again after a change parses only what changed. Holds what the latest read took alone,
 * so it never grows beyond one snapshot. Safe to share between threads.
 */
public final class ManifestCache {
    /** What one file or live object gave, and for a live object the SHA-256 of its JSON, of which the snapshot's digest is made. */
    record Entry(FileReading reading, byte[] digest) {
    }

    private Map<String, Entry> latest = new HashMap<>();

    /** Starts a read: what it takes or adds becomes the cache's content once it is over. */
    synchronized Generation next() {
        Map<String, Entry> previous = latest;
        Map<String, Entry> current = new HashMap<>();
        latest = current;
        return new Generation(previous, current);
    }

    /** One read's view of the cache: the files of the read before, and those of this one. */
    static final class Generation {
        private final Map<String, Entry> previous;
        private final Map<String, Entry> current;

        private Generation(Map<String, Entry> previous, Map<String, Entry> current) {
            this.previous = previous;
            this.current = current;
        }

        Entry get(String name, String sha256) {
            String key = name + "\u0000" + sha256;
            synchronized (current) {
                Entry reading = current.get(key);
                if (reading == null) {
                    reading = previous.get(key);
                    if (reading != null) {
                        current.put(key, reading);
                    }
                }
                return reading;
            }
        }

        void put(String name, String sha256, Entry reading) {
            synchronized (current) {
                current.put(name + "\u0000" + sha256, reading);
            }
        }
    }
}
