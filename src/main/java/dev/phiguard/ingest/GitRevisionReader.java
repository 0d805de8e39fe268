package dev.phiguard.ingest;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Service;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads the manifests at some paths of the working tree as they were at a git revision. The
 * files are taken from git's object store (never by checking anything out), read exactly as
 * {@link ManifestReader} reads the paths today, and named {@code REF:path} in every location and
 * diagnostic, the way {@code git show REF:path} names them.
 */
public final class GitRevisionReader {
    private static final long TIMEOUT_SECONDS = 120;

    /** A problem with git or the revision; the message is written for the user. */
    public static final class GitException extends Exception {
        private static final long serialVersionUID = 1L;

        public GitException(String message) {
            super(message);
        }
    }

    /** One blob of the revision, with its path relative to the command-line path that named it. */
    private record Blob(String object, String relative) {
    }

    private GitRevisionReader() {
    }

    /**
     * Reads {@code paths} (files or folders, relative to the current directory or absolute, all
     * inside one git work tree) as they are at {@code ref}. A path that does not exist at the
     * revision contributes nothing and a warning.
     *
     * @throws GitException when git cannot run, the paths are not in a git work tree, or the revision is unknown
     */
    public static IngestResult read(String ref, List<String> paths) throws GitException {
        Objects.requireNonNull(ref, "ref");
        if (ref.isBlank() || ref.startsWith("-")) {
            throw new GitException("'" + ref + "' is not a revision");
        }
        if (paths.isEmpty()) {
            throw new GitException("no path to compare");
        }
        Path topLevel = topLevel(paths.get(0));
        String commit = run(topLevel, "git", "rev-parse", "--verify", "--quiet", ref + "^{commit}")
                .orElseThrow(() -> new GitException("unknown revision '" + ref + "' in the git repository at "
                        + topLevel)).strip();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("phiguard-git-");
        } catch (IOException e) {
            throw new GitException("cannot create a temporary folder: " + e.getMessage());
        }
        try {
            List<String> arguments = new ArrayList<>();
            Map<String, String> labels = new LinkedHashMap<>();
            List<Diagnostic> missing = new ArrayList<>();
            for (int index = 0; index < paths.size(); index++) {
                String path = paths.get(index);
                String inRepository = repositoryPath(topLevel, path);
                String label = ref + ":" + stripTrailingSlashes(path);
                List<Blob> blobs = blobs(topLevel, commit, inRepository);
                if (blobs.isEmpty()) {
                    missing.add(Diagnostic.warning(SourceRef.of(label), "no such file or folder at revision "
                            + ref + "; this side has nothing there"));
                    continue;
                }
                Path root = scratch.resolve(Integer.toString(index));
                boolean isFile = blobs.size() == 1 && blobs.get(0).relative().isEmpty();
                Path argument = isFile ? root.resolve(Path.of(inRepository).getFileName().toString()) : root;
                extract(topLevel, blobs, isFile ? argument : root);
                arguments.add(argument.toString());
                labels.put(argument.toString(), label);
            }
            IngestResult read = arguments.isEmpty()
                    ? ManifestReader.read(List.of(), InputStream.nullInputStream())
                    : ManifestReader.read(arguments, InputStream.nullInputStream());
            IngestResult relabelled = new Relabel(labels).apply(read);
            List<Diagnostic> diagnostics = new ArrayList<>(missing);
            diagnostics.addAll(relabelled.diagnostics());
            return new IngestResult(relabelled.cluster(), diagnostics, relabelled.filesRead(),
                    relabelled.objectsRead(), relabelled.skippedKinds(), relabelled.rejected(), relabelled.profiles(),
                    relabelled.inputs(), relabelled.expectations());
        } finally {
            delete(scratch);
        }
    }

    // ---------------------------------------------------------------- git

    /** The root of the work tree holding {@code path}, as git reports it, with symbolic links resolved. */
    private static Path topLevel(String path) throws GitException {
        Path directory = existingAncestor(Path.of(path).toAbsolutePath().normalize());
        if (Files.isRegularFile(directory)) {
            directory = directory.getParent();
        }
        String top = run(directory, "git", "rev-parse", "--show-toplevel")
                .orElseThrow(() -> new GitException("not inside a git work tree: " + Path.of(path).toAbsolutePath()
                        .normalize()))
                .strip();
        try {
            return Path.of(top).toRealPath();
        } catch (IOException e) {
            throw new GitException("cannot resolve the git work tree " + top + ": " + e.getMessage());
        }
    }

    /** {@code path} relative to the work tree root, with forward slashes; empty for the root itself. */
    private static String repositoryPath(Path topLevel, String path) throws GitException {
        Path absolute = Path.of(path).toAbsolutePath().normalize();
        Path existing = existingAncestor(absolute);
        Path real;
        try {
            real = existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            throw new GitException("cannot resolve " + path + ": " + e.getMessage());
        }
        if (!real.startsWith(topLevel)) {
            throw new GitException(path + " is outside the git work tree " + topLevel);
        }
        return topLevel.relativize(real).toString().replace('\\', '/');
    }

    private static Path existingAncestor(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? Path.of("/") : existing;
    }

    /**
     * The blobs at {@code inRepository} in the commit: the file itself ({@code relative} empty),
     * or the manifests of the folder as {@link InputFiles} would pick them: .yaml, .yml and .json
     * files, hidden folders skipped. Symbolic links and submodules are left out.
     */
    private static List<Blob> blobs(Path topLevel, String commit, String inRepository) throws GitException {
        String listing = run(topLevel, "git", "ls-tree", "-r", "-z", "--full-tree", commit, "--",
                inRepository.isEmpty() ? "." : inRepository)
                .orElseThrow(() -> new GitException("git ls-tree failed for " + inRepository + " at " + commit));
        List<Blob> blobs = new ArrayList<>();
        for (String entry : listing.split("\0")) {
            int tab = entry.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String[] fields = entry.substring(0, tab).split(" ");
            String name = entry.substring(tab + 1);
            if (fields.length != 3 || !fields[1].equals("blob") || fields[0].equals("120000")) {
                continue;
            }
            if (name.equals(inRepository)) {
                return List.of(new Blob(fields[2], ""));
            }
            String relative = inRepository.isEmpty() ? name
                    : name.startsWith(inRepository + "/") ? name.substring(inRepository.length() + 1) : null;
            if (relative != null && isManifest(relative) && !inHiddenFolder(relative)) {
                blobs.add(new Blob(fields[2], relative));
            }
        }
        blobs.sort(Comparator.comparing(Blob::relative));
        return blobs;
    }

    private static boolean isManifest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    private static boolean inHiddenFolder(String relative) {
        String[] parts = relative.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Writes the blobs under {@code target} (a file for a single unnamed blob), with one {@code git cat-file}. */
    private static void extract(Path topLevel, List<Blob> blobs, Path target) throws GitException {
        StringBuilder request = new StringBuilder();
        blobs.forEach(blob -> request.append(blob.object()).append('\n'));
        Process process = start(topLevel, "git", "cat-file", "--batch");
        Thread writer = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // git stopped reading; the missing output is reported below
            }
        }, "phiguard-git-cat-file");
        writer.start();
        try (InputStream out = new BufferedInputStream(process.getInputStream())) {
            for (Blob blob : blobs) {
                String header = line(out);
                String[] fields = header.split(" ");
                if (fields.length != 3 || !fields[1].equals("blob")) {
                    throw new GitException("git cat-file: unexpected answer '" + header + "' for " + blob.object());
                }
                byte[] content = out.readNBytes(Integer.parseInt(fields[2]));
                out.read();
                Path file = blob.relative().isEmpty() ? target : target.resolve(blob.relative());
                Files.createDirectories(file.getParent());
                Files.write(file, content);
            }
        } catch (IOException | NumberFormatException e) {
            throw new GitException("cannot read files from git: " + e.getMessage());
        } finally {
            process.destroy();
            try {
                writer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            bytes.write(c);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Process start(Path directory, String... command) throws GitException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
            // inside a git hook these point at the hook's repository, relative to its directory;
            // git must find the repository from the paths asked about instead
            for (String variable : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX",
                    "GIT_COMMON_DIR")) {
                builder.environment().remove(variable);
            }
            return builder.start();
        } catch (IOException e) {
            throw new GitException("cannot run git (is it installed and on the PATH?): " + e.getMessage());
        }
    }

    /** Runs a command; its standard output, or empty when it exits with an error. */
    private static java.util.Optional<String> run(Path directory, String... command)
            throws GitException {
        Process process = start(directory, command);
        try {
            process.getOutputStream().close();
            // drain standard error in the background so a chatty git never blocks
            Thread drain = new Thread(() -> {
                try (InputStream err = process.getErrorStream()) {
                    err.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // nothing to report: the exit code says what matters
                }
            }, "phiguard-git-stderr");
            drain.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GitException("git did not answer within " + TIMEOUT_SECONDS + " s: "
                        + String.join(" ", command));
            }
            drain.join();
            return process.exitValue() == 0 ? java.util.Optional.of(output) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new GitException("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("interrupted while running git");
        }
    }

    private static String stripTrailingSlashes(String path) {
        String stripped = path;
        while (stripped.length() > 1 && stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless; the answer is already read
        }
    }

    // ---------------------------------------------------------------- names

    /** Renames the scratch files read to the {@code REF:path} names the user knows them by. */
    private static final class Relabel {
        private final List<Map.Entry<String, String>> labels;

        Relabel(Map<String, String> labels) {
            this.labels = new ArrayList<>(labels.entrySet());
            // a longer scratch path first, so that .../1 never renames part of .../10
            this.labels.sort(Comparator.comparing((Map.Entry<String, String> entry) -> entry.getKey().length())
                    .reversed());
        }

        IngestResult apply(IngestResult read) {
            Cluster cluster = read.cluster();
            Cluster renamed = new Cluster(
                    cluster.namespaces().stream().map(n -> new Namespace(n.name(), n.labels(), n.annotations(),
                            source(n.source()))).toList(),
                    cluster.workloads().stream().map(w -> new Workload(w.id(), w.annotations(), w.templates(),
                            w.replicas(), source(w.source()))).toList(),
                    cluster.services().stream().map(s -> new Service(s.namespace(), s.name(), s.selector(), s.ports(),
                            source(s.source()))).toList(),
                    cluster.policies().stream().map(this::policy).toList());
            return new IngestResult(renamed,
                    read.diagnostics().stream().map(d -> new Diagnostic(source(d.location()), d.severity(),
                            text(d.message()))).toList(),
                    read.filesRead(), read.objectsRead(), read.skippedKinds(), read.rejected(),
                    read.profiles().stream().map(this::profile).toList(),
                    read.inputs().stream().map(i -> new IngestResult.Input(file(i.path()), i.sha256())).toList(),
                    // a revision's assertions are not compared; their positions would name the scratch copy
                    List.of());
        }

        private NetworkPolicy policy(NetworkPolicy p) {
            return new NetworkPolicy(p.namespace(), p.name(), p.podSelector(), p.declaredPolicyTypes(),
                    p.ingress().stream().map(this::rule).toList(), p.egress().stream().map(this::rule).toList(),
                    source(p.source()));
        }

        private PolicyRule rule(PolicyRule r) {
            return new PolicyRule(r.direction(), r.index(), r.peers(), r.ports(), source(r.source()));
        }

        private Profile profile(Profile p) {
            return new Profile(p.name(), p.phiNamespaces(), p.phiWorkloads(),
                    p.clients().stream().map(c -> new Profile.Client(c.name(), c.from(), c.to(), c.ports(),
                            c.plaintext(), source(c.source()))).toList(),
                    p.gateways().stream().map(g -> new Profile.Gateway(g.name(), g.workloads(), g.from(), g.ports(),
                            source(g.source()))).toList(),
                    p.externalDestinations().stream().map(d -> new Profile.ExternalDestination(d.name(), d.cidrs(),
                            d.addresses(), d.ports(), source(d.source()))).toList(),
                    p.encryptedPorts(), p.dns(), p.failOn(), source(p.source()));
        }

        private SourceRef source(SourceRef source) {
            String file = file(source.file());
            return file.equals(source.file()) ? source : new SourceRef(file, source.line(), source.column());
        }

        private String file(String file) {
            for (Map.Entry<String, String> label : labels) {
                if (file.equals(label.getKey())) {
                    return label.getValue();
                }
                if (file.startsWith(label.getKey() + "/")) {
                    return label.getValue() + file.substring(label.getKey().length());
                }
            }
            return file;
        }

        private String text(String message) {
            String result = message;
            for (Map.Entry<String, String> label : labels) {
                result = result.replace(label.getKey(), label.getValue());
            }
            return result;
        }
    }
}
