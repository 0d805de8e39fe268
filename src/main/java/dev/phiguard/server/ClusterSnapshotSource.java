package dev.phiguard.server;

import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.ingest.ClusterWatch;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.util.List;

/**
 * A live cluster as the server's source: read-only, through one client kept open. It is read
 * whole on every evaluation; informers say when to, so a change shows within the debounce of
 * the server. Manifest PATHs given as well are applied on top at each read, as {@code --cluster}
 * does on the other commands.
 */
public final class ClusterSnapshotSource implements SnapshotSource {
    private final ClusterReader.Connection connection;
    private final List<String> paths;
    private ClusterWatch watch;

    public ClusterSnapshotSource(ClusterReader.Connection connection, List<String> paths) {
        this.connection = connection;
        this.paths = List.copyOf(paths);
    }

    @Override
    public String description() {
        return "cluster " + connection.context() + (paths.isEmpty() ? "" : " with " + String.join(" ", paths)
                + " applied");
    }

    @Override
    public IngestResult read() throws Unreadable {
        try {
            return ManifestReader.read(ClusterReader.read(connection.client(), connection.context()), paths,
                    InputStream.nullInputStream());
        } catch (ClusterReader.AccessException e) {
            throw new Unreadable(e.getMessage());
        } catch (KubernetesClientException e) {
            throw new Unreadable("cluster " + connection.context() + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void watch(Runnable onChange) {
        if (watch == null) {
            watch = ClusterWatch.start(connection.client(), onChange);
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
