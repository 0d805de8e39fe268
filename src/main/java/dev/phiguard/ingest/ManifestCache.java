package dev.phiguard.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * What each file gave when last read, by its name and the SHA-256 of its bytes, and each live
 * object by its kind, name, uid and resourceVersion: a watcher that reads the same folder or
 * cluster again after a change parses only what changed: in a changed file, only the documents
 * that changed. Holds what the latest read took alone, so it never grows beyond one snapshot.
 * Safe to share between threads.
 */
public final class ManifestCache {
    /**
     * What one file or live object gave; for a live object the SHA-256 of its JSON, of which the
     * snapshot's digest is made; for a file read document by document, what each document gave,
     * by its first line and the SHA-256 of its text.
     */
    record Entry(FileReading reading, byte[] digest, Map<String, FileReading> documents) {
        Entry(FileReading reading) {
            this(reading, null, Map.of());
        }
    }

    /** A file's bytes as last read, with their SHA-256: comparing bytes costs a tenth of hashing them. */
    record FileBytes(byte[] bytes, String sha256) {
    }

    private Map<String, Entry> latest = new HashMap<>();
    private Map<String, FileBytes> latestBytes = new HashMap<>();
    /** The entries of {@link #latest} by the name alone: where a changed file finds its documents as they were. */
    private Map<String, Entry> latestByName = new HashMap<>();
    private final boolean remembersDocuments;

    /**
     * A cache for a watcher: a file that changed is parsed again document by document, and only
     * the documents that changed (or moved to other lines) are parsed.
     */
    public ManifestCache() {
        this(true);
    }

    private ManifestCache(boolean remembersDocuments) {
        this.remembersDocuments = remembersDocuments;
    }

    /** For a single read: each file is parsed whole, as nothing will be read again. */
    static ManifestCache forOneRead() {
        return new ManifestCache(false);
    }

    /** Starts a read: what it takes or adds becomes the cache's content once it is over. */
    synchronized Generation next() {
        Generation generation = new Generation(latest, latestByName, latestBytes, remembersDocuments);
        latest = generation.current;
        latestByName = generation.currentByName;
        latestBytes = generation.currentBytes;
        return generation;
    }

    /** One read's view of the cache: the files of the read before, and those of this one. */
    static final class Generation {
        private final Map<String, Entry> previous;
        private final Map<String, Entry> previousByName;
        private final Map<String, Entry> current = new HashMap<>();
        private final Map<String, Entry> currentByName = new HashMap<>();
        private final Map<String, FileBytes> previousBytes;
        private final Map<String, FileBytes> currentBytes = new HashMap<>();
        private final boolean remembersDocuments;

        private Generation(Map<String, Entry> previous, Map<String, Entry> previousByName,
                Map<String, FileBytes> previousBytes, boolean remembersDocuments) {
            this.previous = previous;
            this.previousByName = previousByName;
            this.previousBytes = previousBytes;
            this.remembersDocuments = remembersDocuments;
        }

        /**
         * The SHA-256 of a file's bytes: the one of the latest read of it when the bytes are those
         * very bytes, else worked out. A watcher's cache keeps the bytes for the next read.
         */
        String sha256(String name, byte[] bytes, java.util.function.Function<byte[], String> digest) {
            FileBytes before;
            synchronized (current) {
                before = previousBytes.get(name);
            }
            String sha256 = before != null && java.util.Arrays.equals(before.bytes(), bytes) ? before.sha256()
                    : digest.apply(bytes);
            if (remembersDocuments) {
                synchronized (current) {
                    currentBytes.put(name, new FileBytes(bytes, sha256));
                }
            }
            return sha256;
        }

        boolean remembersDocuments() {
            return remembersDocuments;
        }

        Entry get(String name, String sha256) {
            String key = name + "\u0000" + sha256;
            synchronized (current) {
                Entry reading = current.get(key);
                if (reading == null) {
                    reading = previous.get(key);
                    if (reading != null) {
                        current.put(key, reading);
                        currentByName.put(name, reading);
                    }
                }
                return reading;
            }
        }

        void put(String name, String sha256, Entry reading) {
            synchronized (current) {
                current.put(name + "\u0000" + sha256, reading);
                currentByName.put(name, reading);
            }
        }

        /** What each document of the file of this name gave, as the latest read of it read them. */
        Map<String, FileReading> documentsBefore(String name) {
            synchronized (current) {
                Entry now = currentByName.get(name);
                Entry before = now != null ? now : previousByName.get(name);
                return before == null ? Map.of() : before.documents();
            }
        }
    }
}
