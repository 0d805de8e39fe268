package dev.phiguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command writes its report: standard output, or a file. */
public final class OutputOptions {

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output.")
    Path outputFile;

    /** Writes the text; returns an exit code (2 when the file cannot be written). */
    int write(String text, PrintWriter out, PrintWriter err) {
        return write(writer -> writer.write(text), out, err);
    }

    /** What writes a report to a writer, so that a large one need not be held as one string. */
    interface Report {
        void writeTo(Writer writer) throws IOException;
    }

    /** Writes the report; returns an exit code (2 when the file cannot be written). */
    int write(Report report, PrintWriter out, PrintWriter err) {
        if (outputFile == null) {
            try {
                report.writeTo(out);
            } catch (IOException e) {
                // a PrintWriter does not throw; kept for the type
                throw new UncheckedIOException(e);
            }
            out.flush();
            return ExitCode.OK;
        }
        try {
            Path parent = outputFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer writer = Files.newBufferedWriter(outputFile, StandardCharsets.UTF_8)) {
                report.writeTo(writer);
            }
            return ExitCode.OK;
        } catch (IOException e) {
            err.println("phiguard: cannot write " + outputFile + ": " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
    }
}
