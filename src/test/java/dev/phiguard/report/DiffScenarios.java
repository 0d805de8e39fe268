package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.analysis.ChangeAnalyzer;
import dev.phiguard.cli.Main;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The changes the diff formatters are tested on, all on examples/clinic: its fixes applied, its
 * fixes undone (the planted mistakes come back), and no change at all. The fixes are written by
 * {@code phiguard audit --fix-dir} to a fixed folder under target/, so that the paths in the
 * golden files do not depend on a temporary folder.
 */
final class DiffScenarios {
    static final String CLINIC = "examples/clinic";
    static final String FIXES = "target/test-diff/clinic-fixes";

    private static boolean written;

    private DiffScenarios() {
    }

    /** examples/clinic → examples/clinic with its fixes: eight findings resolved, traffic removed. */
    static DiffReport fixesApplied() {
        return report(List.of(CLINIC), List.of(CLINIC, fixes()), CLINIC, CLINIC + " + " + FIXES);
    }

    /** examples/clinic with its fixes → examples/clinic: eight findings new, seven of them high. */
    static DiffReport fixesUndone() {
        return report(List.of(CLINIC, fixes()), List.of(CLINIC), CLINIC + " + " + FIXES, CLINIC);
    }

    /** examples/clinic → examples/clinic. */
    static DiffReport identical() {
        return report(List.of(CLINIC), List.of(CLINIC), CLINIC, CLINIC);
    }

    static DiffReport report(List<String> beforePaths, List<String> afterPaths, String beforeLabel,
            String afterLabel) {
        IngestResult before = read(beforePaths);
        IngestResult after = read(afterPaths);
        Profile profile = after.profiles().get(0);
        return new DiffReport(ChangeAnalyzer.compare(before.cluster(), after.cluster(), profile),
                side(beforeLabel, before), side(afterLabel, after), profile.source().file(), "test");
    }

    private static IngestResult read(List<String> paths) {
        IngestResult read = ManifestReader.read(paths, InputStream.nullInputStream());
        assertThat(read.diagnostics()).noneMatch(diagnostic -> diagnostic.isError());
        return read;
    }

    private static DiffReport.Side side(String label, IngestResult read) {
        return new DiffReport.Side(label, read.inputs().stream()
                .map(input -> new AuditReport.Input(input.path(), input.sha256())).toList());
    }

    /** Writes the clinic's fixes as {@code audit --fix-dir} does, once per test run. */
    static synchronized String fixes() {
        if (!written) {
            Path dir = Path.of(FIXES);
            try {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> old = Files.list(dir)) {
                        for (Path file : old.toList()) {
                            Files.delete(file);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            StringWriter err = new StringWriter();
            int exit = Main.run(new String[] {"audit", CLINIC, "--fix-dir", FIXES, "-q"},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(exit).as("audit --fix-dir: %s", err).isEqualTo(1);
            written = true;
        }
        return FIXES;
    }
}
