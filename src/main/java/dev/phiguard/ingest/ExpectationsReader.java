package dev.phiguard.ingest;

import dev.phiguard.model.Expectations;
import dev.phiguard.model.SourceRef;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads the Expectations documents of a file the user names ({@code phiguard test --expect FILE}). */
public final class ExpectationsReader {
    private ExpectationsReader() {
    }

    /**
     * What reading an expectations file gave: its valid suites, in file order, every diagnostic,
     * and whether the suites may be run.
     */
    public record Result(List<Expectations> suites, List<Diagnostic> diagnostics, boolean ok) {
        public Result {
            suites = List.copyOf(suites);
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /**
     * Reads the Expectations documents of one file ({@code -} for {@code stdin}); other
     * documents in it are reported and ignored. The result is not ok when the file has an error
     * or no Expectations document: a suite that lost an assertion would pass for the wrong
     * reason.
     */
    public static Result read(String path, InputStream stdin) {
        IngestResult result = ManifestReader.read(List.of(path), stdin);
        SourceRef file = SourceRef.of(path.equals(InputFiles.STDIN) ? "<stdin>" : path);
        List<Diagnostic> diagnostics = new ArrayList<>(result.diagnostics());
        long rejected = result.rejected().stream()
                .filter(name -> name.startsWith(ExpectationsParser.KIND + " ")).count();
        long others = result.objectsRead() - result.expectations().size() - rejected;
        if (others > 0) {
            diagnostics.add(Diagnostic.warning(file, others == 1
                    ? "1 object that is not an Expectations document is ignored here"
                    : others + " objects that are not Expectations documents are ignored here"));
        }
        if (result.expectations().isEmpty() && rejected == 0) {
            if (result.errorCount() == 0) {
                diagnostics.add(Diagnostic.error(file, "no Expectations document (apiVersion: "
                        + ProfileParser.API_VERSION + ", kind: " + ExpectationsParser.KIND
                        + "); `phiguard test --help` shows one to start from"));
            }
            return new Result(List.of(), diagnostics, false);
        }
        // any error, even a syntax error after the last good document, may have cost an assertion
        return new Result(result.expectations(), diagnostics, result.errorCount() == 0);
    }
}
