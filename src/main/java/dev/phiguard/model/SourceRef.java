package dev.phiguard.model;

import java.util.Objects;

/**
 * Where an object or field came from: a file with a 1-based line and column, or, with line 0, a
 * place that has no lines (a live cluster, a generated object).
 */
public record SourceRef(String file, int line, int column) {
    public static final SourceRef UNKNOWN = new SourceRef("", 0, 0);

    public SourceRef {
        Objects.requireNonNull(file, "file");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("Negative position: " + line + ":" + column);
        }
    }

    public static SourceRef of(String file) {
        return new SourceRef(file, 0, 0);
    }

    public boolean hasLine() {
        return line > 0;
    }

    /** {@code file:line:column}, or just the file when there is no line. */
    @Override
    public String toString() {
        return hasLine() ? file + ":" + line + ":" + column : file;
    }
}
