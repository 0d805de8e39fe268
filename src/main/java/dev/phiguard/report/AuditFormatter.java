package dev.phiguard.report;

/** Renders an audit report in one output format. */
public interface AuditFormatter {

    String format(AuditReport report);

    /** Writes what {@link #format} returns; a format whose reports grow large streams them instead. */
    default void write(AuditReport report, java.io.Writer out) throws java.io.IOException {
        out.write(format(report));
        out.flush();
    }
}
