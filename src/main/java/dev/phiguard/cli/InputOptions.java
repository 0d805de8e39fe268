package dev.phiguard.cli;

import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The manifests a command reads, and how it reports problems in them. */
public final class InputOptions {

    /** The description of every command's PATH parameters. */
    static final String PATHS = "Manifest files or folders (searched recursively for .yaml, .yml and .json),"
            + " or - to read standard input, e.g. from `helm template` or `kustomize build`.";

    /** The command this is mixed into, to name it in usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--strict",
            description = "Exit with code 2 when any object has an error, instead of leaving it out and going on.")
    boolean strict;

    @Option(names = {"-q", "--quiet"},
            description = "Print only errors on standard error: no warnings, no summary line.")
    boolean quiet;

    /** What {@link #load} decided: the input, or the exit code to stop with. */
    record Loaded(IngestResult result, int exitCode) {
        boolean ok() {
            return exitCode == ExitCode.OK;
        }
    }

    /** Reads the paths, prints diagnostics and a summary on {@code err}. */
    private Loaded load(List<String> paths, InputStream stdin, PrintWriter err) {
        return check(ManifestReader.read(paths, stdin), String.join(" ", paths), err);
    }

    /**
     * Reads the live cluster when asked, with the paths applied on top, else the paths alone;
     * prints diagnostics and a summary on {@code err}. A cluster that cannot be read stops with
     * exit code 2 and a message that says what to do.
     */
    Loaded load(ClusterOptions cluster, List<String> paths, InputStream stdin, PrintWriter err) {
        List<String> given = paths == null ? List.of() : paths;
        Optional<String> problem = cluster.problem();
        if (problem.isEmpty() && !cluster.cluster && given.isEmpty()) {
            problem = Optional.of("Missing required parameter: 'PATH' (the manifests to read), or --cluster to read"
                    + " the live cluster");
        }
        if (problem.isPresent()) {
            String name = command == null ? "" : " " + command.name();
            err.println("phiguard" + name + ": " + problem.get());
            err.println("Run 'phiguard" + name + " --help' for usage.");
            err.flush();
            return new Loaded(null, ExitCode.USAGE);
        }
        if (!cluster.cluster) {
            return load(given, stdin, err);
        }
        ClusterReader.Snapshot snapshot;
        try {
            snapshot = ClusterReader.read(cluster.target());
        } catch (ClusterReader.AccessException e) {
            err.println("phiguard: " + e.getMessage());
            err.flush();
            return new Loaded(null, ExitCode.USAGE);
        }
        IngestResult result = ManifestReader.read(snapshot, given, stdin);
        return check(result, given.isEmpty() ? snapshot.label() : snapshot.label() + " " + String.join(" ", given),
                err);
    }

    /** What a command names its input in messages and page titles. */
    static String describe(ClusterOptions cluster, List<String> paths) {
        String files = paths == null ? "" : String.join(" ", paths);
        if (!cluster.cluster) {
            return files;
        }
        String live = "cluster" + (cluster.context == null ? "" : " " + cluster.context);
        return files.isEmpty() ? live : live + " with " + files;
    }

    private Loaded check(IngestResult result, String source, PrintWriter err) {
        for (Diagnostic diagnostic : result.diagnostics()) {
            if (diagnostic.isError() || !quiet) {
                err.println(diagnostic);
            }
        }
        if (!quiet) {
            String summary = summary(result);
            if (!summary.isEmpty()) {
                err.println(summary);
            }
        }
        err.flush();
        if (!result.hasUsableInput()) {
            err.println("phiguard: nothing to analyse: no Namespace, NetworkPolicy or workload was read from "
                    + source);
            err.flush();
            return new Loaded(result, ExitCode.USAGE);
        }
        if (strict && result.errorCount() > 0) {
            err.println("phiguard: stopping because of --strict: " + count(result.errorCount(), "error"));
            err.flush();
            return new Loaded(result, ExitCode.USAGE);
        }
        return new Loaded(result, ExitCode.OK);
    }

    /**
     * One line: what was read, what was left out, what was not analysed. Empty when everything
     * read was analysed without a problem.
     */
    static String summary(IngestResult result) {
        boolean clean = result.diagnostics().isEmpty() && result.skippedKinds().isEmpty();
        if (clean) {
            return "";
        }
        Optional<String> live = result.inputs().stream().map(IngestResult.Input::path)
                .filter(path -> path.startsWith(ClusterReader.SCHEME)).findFirst();
        StringBuilder line = new StringBuilder("phiguard: read ")
                .append(count(result.objectsRead(), "object")).append(" from ");
        if (live.isPresent()) {
            line.append(live.get());
            if (result.filesRead() > 0) {
                line.append(" and ").append(count(result.filesRead(), "file"));
            }
        } else {
            line.append(count(result.filesRead(), "file"));
        }
        if (!result.diagnostics().isEmpty()) {
            line.append("; ").append(count(result.errorCount(), "error")).append(", ")
                    .append(count(result.warningCount(), "warning"));
        }
        if (!result.rejected().isEmpty()) {
            line.append("; left out: ").append(String.join(", ", result.rejected()));
        }
        if (!result.skippedKinds().isEmpty()) {
            StringJoiner kinds = new StringJoiner(", ");
            for (Map.Entry<String, Integer> entry : result.skippedKinds().entrySet()) {
                kinds.add(entry.getKey() + " " + entry.getValue());
            }
            line.append("; kinds not analysed: ").append(kinds);
        }
        return line.toString();
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
