package dev.phiguard.ingest;

import dev.phiguard.model.SourceRef;
import java.util.Objects;

/**
 * A problem found in input, printed {@code path:line:column: severity: message} like a
 * compiler's, so editors and CI logs link it to the line.
 */
public record Diagnostic(SourceRef location, Severity severity, String message) implements Comparable<Diagnostic> {

    /** How bad a problem is: an error leaves the object out of the analysis, a warning keeps it. */
    public enum Severity {
        ERROR,
        WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Diagnostic {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Diagnostic error(SourceRef location, String message) {
        return new Diagnostic(location, Severity.ERROR, message);
    }

    public static Diagnostic warning(SourceRef location, String message) {
        return new Diagnostic(location, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** Orders by file, line and column, so diagnostics read top to bottom. */
    @Override
    public int compareTo(Diagnostic other) {
        int byFile = location.file().compareTo(other.location.file());
        if (byFile != 0) {
            return byFile;
        }
        int byLine = Integer.compare(location.line(), other.location.line());
        return byLine != 0 ? byLine : Integer.compare(location.column(), other.location.column());
    }

    @Override
    public String toString() {
        return location + ": " + severity.label() + ": " + message;
    }
}
