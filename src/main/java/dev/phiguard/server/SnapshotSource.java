package dev.phiguard.server;

import dev.phiguard.ingest.IngestResult;
import java.io.IOException;

/**
 * Where the server's snapshots come from: manifests on disk now, a live cluster later. A source
 * reads the current state on request and says when that state may have changed; the server
 * decides when to read and keeps the last good answer when a read fails.
 */
public interface SnapshotSource extends AutoCloseable {

    /** What is read, for people: the paths, or the cluster's context. */
    String description();

    /**
     * Reads the current snapshot.
     *
     * @throws Unreadable when it cannot be read (missing files, invalid objects, an unreachable
     *     API server); its message says what is wrong and, where possible, what to do
     */
    IngestResult read() throws Unreadable;

    /**
     * Starts calling {@code onChange} whenever what {@link #read()} returns may have changed.
     * Calls may come in bursts from any thread; the caller debounces them.
     */
    void watch(Runnable onChange) throws IOException;

    /** Stops watching; reads after this may fail. */
    @Override
    void close();

    /** A snapshot that cannot be read now. */
    final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unreadable(String message) {
            super(message);
        }
    }
}
