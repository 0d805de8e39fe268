package dev.phiguard.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * What each file gave when last read, by its name and the SHA-256 of its bytes: a watcher that
 * reads the same folder again after one file changed parses that file only. Holds the files of
 * the latest read alone, so it never grows beyond one snapshot. Safe to share between threads.
 */
public final class ManifestCache {
    private Map<String, FileReading> latest = new HashMap<>();

    /** Starts a read: what it takes or adds becomes the cache's content once it is over. */
    synchronized Generation next() {
        Map<String, FileReading> previous = latest;
        Map<String, FileReading> current = new HashMap<>();
        latest = current;
        return new Generation(previous, current);
    }

    /** One read's view of the cache: the files of the read before, and those of this one. */
    static final class Generation {
        private final Map<String, FileReading> previous;
        private final Map<String, FileReading> current;

        private Generation(Map<String, FileReading> previous, Map<String, FileReading> current) {
            this.previous = previous;
            this.current = current;
        }

        FileReading get(String name, String sha256) {
            String key = name + "\u0000" + sha256;
            synchronized (current) {
                FileReading reading = current.get(key);
                if (reading == null) {
                    reading = previous.get(key);
                    if (reading != null) {
                        current.put(key, reading);
                    }
                }
                return reading;
            }
        }

        void put(String name, String sha256, FileReading reading) {
            synchronized (current) {
                current.put(name + "\u0000" + sha256, reading);
            }
        }
    }
}
