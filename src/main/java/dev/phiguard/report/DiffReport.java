package dev.phiguard.report;

import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Severity;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A change with what a report states about it: what was compared (each side's label and the
 * files read), where the profile came from, and the tool version. No date: diff reports are
 * reproducible.
 */
public record DiffReport(ChangeReport change, Side before, Side after, String profileSource, String toolVersion) {

    /**
     * One side of the comparison.
     *
     * @param label what the side is, as the user named it: a path, or {@code REF:path} for a git revision
     * @param inputs the files read, with their SHA-256 digests
     */
    public record Side(String label, List<AuditReport.Input> inputs) {
        public Side {
            Objects.requireNonNull(label, "label");
            inputs = List.copyOf(inputs);
        }
    }

    public DiffReport {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(profileSource, "profileSource");
        Objects.requireNonNull(toolVersion, "toolVersion");
    }

    // ---- wording shared by the formats ----

    /** {@code FAIL} or {@code PASS}. */
    static String verdictWord(ChangeReport change) {
        return change.failed() ? "FAIL" : "PASS";
    }

    /** What the verdict rests on, e.g. {@code the change introduces 2 findings at or above high}. */
    static String verdict(ChangeReport change) {
        int failing = change.findings().failing().size();
        int appeared = change.findings().appeared().size();
        if (failing > 0) {
            return "the change introduces " + AuditTextFormatter.plural(failing, "finding") + " at or above "
                    + change.failOn().orElseThrow().label();
        }
        if (appeared > 0) {
            return AuditTextFormatter.plural(appeared, "new finding") + ", " + (change.failOn().isPresent()
                    ? "none at or above " + change.failOn().get().label() : "and failOn is none");
        }
        if (change.isEmpty()) {
            return "no change to connections or findings";
        }
        return "no new finding";
    }

    /** {@code 2: 1 high, 1 medium}, or {@code 0}. */
    static String countBySeverity(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "0";
        }
        StringBuilder text = new StringBuilder().append(findings.size()).append(": ");
        String separator = "";
        for (Severity severity : Severity.values()) {
            long count = findings.stream().filter(finding -> finding.severity() == severity).count();
            if (count > 0) {
                text.append(separator).append(count).append(' ').append(severity.label());
                separator = ", ";
            }
        }
        return text.toString();
    }

    static String threshold(ChangeReport change) {
        return change.failOn().map(severity -> "fails on " + severity.label()
                + (severity == Severity.CRITICAL ? "" : " and above")).orElse("never fails (failOn: none)");
    }

    /**
     * Connections in words, short either way: {@code TCP 8080}, or, when most ports are in it,
     * {@code every port but TCP 443}.
     */
    static String ports(ConnectionSet connections) {
        if (connections.isAll() || connections.isEmpty()) {
            return connections.toString();
        }
        ConnectionSet rest = connections.complement();
        return rest.toString().length() < connections.toString().length()
                ? "every port but " + rest : connections.toString();
    }

    /**
     * The audit keeping only some of its findings, for formats that show a part of an audit as a
     * whole one: a control left without findings is reported as passed.
     */
    static AuditResult only(AuditResult result, Collection<Finding> findings) {
        Set<String> ids = findings.stream().map(Finding::id).collect(Collectors.toSet());
        List<ControlResult> controls = result.controls().stream()
                .map(control -> control.status() == ControlResult.Status.NOT_ASSESSED ? control
                        : ControlResult.assessed(control.control(),
                                control.findings().stream().filter(f -> ids.contains(f.id())).toList(),
                                control.evidence()))
                .toList();
        return new AuditResult(result.profile(), controls, result.phiWorkloads(), result.scope(), result.failOn());
    }
}
