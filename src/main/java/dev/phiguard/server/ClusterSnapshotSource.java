package dev.phiguard.server;

import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.ingest.ClusterWatch;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestCache;
import dev.phiguard.ingest.ManifestReader;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * A live cluster as the server's source: read-only, through one client kept open. Informers
 * say when to read again, so a change shows within the debounce of the server, and once they
 * run they also hold the objects: a read then lists only the few platform facts. Manifest PATHs given as well are applied on top at each read, as {@code --cluster}
 * does on the other commands.
 */
public final class ClusterSnapshotSource implements SnapshotSource {
    private final ClusterReader.Connection connection;
    private final List<String> paths;
    private final Duration checkWatchesEvery;
    private ClusterWatch watch;

    public ClusterSnapshotSource(ClusterReader.Connection connection, List<String> paths) {
        this(connection, paths, ClusterWatch.CHECK_EVERY);
    }

    /** With the informers checked for a stalled watch every {@code checkWatchesEvery} (tests wait less). */
    ClusterSnapshotSource(ClusterReader.Connection connection, List<String> paths, Duration checkWatchesEvery) {
        this.connection = connection;
        this.paths = List.copyOf(paths);
        this.checkWatchesEvery = checkWatchesEvery;
    }

    /** What each object and file gave when last read: after a change, only what changed is converted again. */
    private final ManifestCache readings = new ManifestCache();

    @Override
    public String description() {
        return "cluster " + connection.context() + (paths.isEmpty() ? "" : " with " + String.join(" ", paths)
                + " applied");
    }

    @Override
    public IngestResult read() throws Unreadable {
        try {
            ClusterWatch watching;
            synchronized (this) {
                watching = watch;
            }
            // once watched, the informers hold the objects: list only what they do not
            ClusterReader.Snapshot snapshot = watching == null
                    ? ClusterReader.read(connection.client(), connection.context())
                    : ClusterReader.read(connection.client(), connection.context(), watching.held());
            return ManifestReader.read(snapshot, paths, InputStream.nullInputStream(), readings);
        } catch (ClusterReader.AccessException e) {
            throw new Unreadable(e.getMessage());
        } catch (KubernetesClientException e) {
            throw new Unreadable("cluster " + connection.context() + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void watch(Runnable onChange) {
        if (watch == null) {
            watch = ClusterWatch.start(connection.client(), onChange, checkWatchesEvery);
        }
    }

    /** The kinds whose changes are not seen (RBAC lets phiguard list but not watch them, say). */
    public synchronized List<String> unwatched() {
        return watch == null ? List.of() : watch.unwatched();
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
        connection.close();
    }
}
