package dev.phiguard.server;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestCache;
import dev.phiguard.ingest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Manifests on disk, read as {@code phiguard audit PATH...} reads them, and watched: every folder
 * under the paths (and the folder of each file path) is registered with the file system's watch
 * service, new folders as they appear. An error in any object makes the read fail, so that a
 * file caught half-saved never replaces a good answer with a wrong one.
 */
public final class FileSnapshotSource implements SnapshotSource {
    /** At most this many diagnostics in a failure's message; the rest are counted. */
    private static final int SHOWN_ERRORS = 5;

    private final List<String> paths;
    private final List<Path> watched;
    private final Set<Path> registered = new HashSet<>();
    /** The folders watched with everything under them; a file's folder is watched alone. */
    private final Set<Path> trees = new HashSet<>();
    /** What each file gave when last read: after a change, only the changed files are parsed again. */
    private final ManifestCache readings = new ManifestCache();
    private WatchService watcher;
    private Thread thread;

    /**
     * @param paths files and folders, as given on the command line ({@code -} is not allowed: standard
     *     input cannot be watched)
     * @param alsoWatched other files whose change should re-evaluate, such as the profile
     */
    public FileSnapshotSource(List<String> paths, List<Path> alsoWatched) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no path to read");
        }
        if (paths.contains("-")) {
            throw new IllegalArgumentException("standard input (-) cannot be watched; give files or folders");
        }
        this.paths = List.copyOf(paths);
        List<Path> all = new ArrayList<>();
        paths.forEach(path -> all.add(Path.of(path)));
        all.addAll(alsoWatched);
        this.watched = List.copyOf(all);
    }

    @Override
    public String description() {
        return String.join(" ", paths);
    }

    @Override
    public IngestResult read() throws Unreadable {
        IngestResult result = ManifestReader.read(paths, InputStream.nullInputStream(), readings);
        List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder(errors.size() == 1 ? "1 error" : errors.size() + " errors")
                    .append(" in ").append(description()).append(':');
            errors.stream().limit(SHOWN_ERRORS).forEach(error -> message.append('\n').append(error));
            if (errors.size() > SHOWN_ERRORS) {
                message.append("\n... and ").append(errors.size() - SHOWN_ERRORS).append(" more");
            }
            throw new Unreadable(message.toString());
        }
        if (!result.hasUsableInput()) {
            throw new Unreadable("nothing to analyse: no Namespace, NetworkPolicy or workload was read from "
                    + description());
        }
        return result;
    }

    @Override
    public synchronized void watch(Runnable onChange) throws IOException {
        if (watcher != null) {
            throw new IllegalStateException("already watching");
        }
        watcher = FileSystems.getDefault().newWatchService();
        try {
            for (Path path : watched) {
                if (Files.isDirectory(path)) {
                    registerTree(path);
                } else {
                    // only the file's own folder: a profile in a home folder must not watch all of it
                    registerFolder(parentOf(path));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        WatchService service = watcher;
        thread = new Thread(() -> loop(service, onChange), "phiguard-file-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }

    private void loop(WatchService service, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                Path folder = (Path) key.watchable();
                boolean changed = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    changed = true;
                    if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name) {
                        Path created = folder.resolve(name);
                        if (Files.isDirectory(created) && !isHidden(created) && inTree(created)) {
                            try {
                                registerTree(created);
                            } catch (UncheckedIOException e) {
                                // it vanished while being registered: nothing there to watch
                            }
                        }
                    }
                }
                if (!key.reset()) {
                    synchronized (this) {
                        registered.remove(folder);
                    }
                }
                if (changed) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop quietly
        }
    }

    /** Hidden folders (.git) are skipped by the reader, so they are not watched either. */
    private static boolean isHidden(Path folder) {
        Path name = folder.getFileName();
        return name != null && name.toString().startsWith(".") && !name.toString().equals(".")
                && !name.toString().equals("..");
    }

    private synchronized boolean inTree(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return trees.stream().anyMatch(absolute::startsWith);
    }

    private synchronized void registerTree(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        trees.add(root.toAbsolutePath().normalize());
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes)
                        throws IOException {
                    if (!folder.equals(root) && isHidden(folder)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    registerFolder(folder);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void registerFolder(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (registered.add(absolute)) {
            try {
                absolute.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY, OVERFLOW);
            } catch (IOException e) {
                registered.remove(absolute);
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing a watch service that failed has nothing left to release
            }
            watcher = null;
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
