package dev.phiguard.report;

/** Writes a change report in one output format. */
public interface DiffFormatter {
    String format(DiffReport report);
}
