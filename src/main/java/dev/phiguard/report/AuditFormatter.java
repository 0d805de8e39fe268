package dev.phiguard.report;

/** Renders an audit report in one output format. */
public interface AuditFormatter {

    String format(AuditReport report);
}
