package dev.phiguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
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
        if (outputFile == null) {
            out.print(text);
            out.flush();
            return ExitCode.OK;
        }
        try {
            Path parent = outputFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(outputFile, text, StandardCharsets.UTF_8);
            return ExitCode.OK;
        } catch (IOException e) {
            err.println("phiguard: cannot write " + outputFile + ": " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
    }
}
