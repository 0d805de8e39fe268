package dev.phiguard.cli;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Option;

/** The manifests a command reads, and how it reports problems in them. */
public final class InputOptions {

    /** The description of every command's PATH parameters. */
    static final String PATHS = "Manifest files or folders (searched recursively for .yaml, .yml and .json),"
            + " or - to read standard input, e.g. from `helm template` or `kustomize build`.";

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
    Loaded load(List<String> paths, InputStream stdin, PrintWriter err) {
        IngestResult result = ManifestReader.read(paths, stdin);
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
                    + String.join(" ", paths));
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
        StringBuilder line = new StringBuilder("phiguard: read ")
                .append(count(result.objectsRead(), "object")).append(" from ")
                .append(count(result.filesRead(), "file"));
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
