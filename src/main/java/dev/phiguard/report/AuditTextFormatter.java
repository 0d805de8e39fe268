package dev.phiguard.report;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal report: the verdict, a line per control, then the findings grouped by severity,
 * each with where to look and how to fix it.
 */
public final class AuditTextFormatter implements AuditFormatter {
    private final Ansi ansi;

    public AuditTextFormatter(boolean color) {
        this.ansi = new Ansi(color);
    }

    @Override
    public String format(AuditReport report) {
        AuditResult result = report.result();
        StringBuilder out = new StringBuilder();
        AuditResult.Scope scope = result.scope();
        out.append(ansi.bold("phiguard audit")).append(" — profile ").append(result.profile().name())
                .append(" (").append(report.profileSource()).append(")\n");
        out.append("Scope: ").append(plural(scope.namespaces(), "namespace")).append(", ")
                .append(plural(scope.workloads(), "workload")).append(", ")
                .append(plural(scope.policies(), "NetworkPolicy", "NetworkPolicies")).append("; PHI: ")
                .append(plural(scope.phiWorkloads(), "workload")).append(" in ")
                .append(plural(scope.phiNamespaces(), "namespace")).append('\n');
        out.append("Result: ").append(verdict(result)).append('\n');
        out.append('\n').append(ansi.bold("Controls")).append('\n');
        for (ControlResult control : result.controls()) {
            String status = switch (control.status()) {
                case PASS -> "PASS";
                case FAIL -> "FAIL";
                case NOT_ASSESSED -> "N/A ";
            };
            out.append("  ").append(ansi.status(control.status(), status)).append("  ")
                    .append(control.control().id()).append("  ")
                    .append(ansi.severity(control.control().severity(), pad(control.control().severity().label(), 8)))
                    .append("  ").append(control.control().title());
            if (control.status() == ControlResult.Status.FAIL) {
                out.append(" — ").append(plural(control.findings().size(), "finding"));
            } else if (control.status() == ControlResult.Status.NOT_ASSESSED) {
                out.append(ansi.dim(" — not assessed: " + control.reason()));
            }
            out.append('\n');
        }
        List<Finding> findings = result.findings();
        for (Severity severity : Severity.values()) {
            List<Finding> group = findings.stream().filter(f -> f.severity() == severity).toList();
            if (group.isEmpty()) {
                continue;
            }
            out.append('\n').append(ansi.severity(severity,
                    severity.name() + " (" + group.size() + ")")).append('\n');
            for (Finding finding : group) {
                out.append("  ").append(ansi.bold(finding.id())).append("  ").append(finding.location()).append('\n');
                out.append("    ").append(finding.message()).append('\n');
                out.append("    fix: ").append(finding.remediation().text()).append('\n');
                List<NetworkPolicy> policies = finding.remediation().policies();
                if (!policies.isEmpty()) {
                    out.append("    proposed policies: ")
                            .append(String.join(", ", policies.stream().map(NetworkPolicy::namespacedName).toList()))
                            .append(ansi.dim(" (--fix-dir DIR writes them)")).append('\n');
                }
            }
        }
        if (findings.isEmpty()) {
            out.append('\n').append("No findings.\n");
        }
        return out.toString();
    }

    private String verdict(AuditResult result) {
        Map<Severity, Integer> counts = result.countBySeverity();
        StringBuilder text = new StringBuilder();
        int total = result.findings().size();
        String threshold = result.failOn().map(Severity::label).orElse("none");
        text.append(result.failed() ? ansi.status(ControlResult.Status.FAIL, "FAIL")
                : ansi.status(ControlResult.Status.PASS, "PASS"));
        text.append(" — ").append(plural(total, "finding"));
        if (total > 0) {
            StringBuilder parts = new StringBuilder();
            for (Severity severity : Severity.values()) {
                if (counts.get(severity) > 0) {
                    parts.append(parts.length() == 0 ? "" : ", ").append(counts.get(severity)).append(' ')
                            .append(severity.label());
                }
            }
            text.append(": ").append(parts);
        }
        text.append(" (fails on ").append(threshold).append(" and above; ")
                .append(result.count(ControlResult.Status.PASS)).append(" passed, ")
                .append(result.count(ControlResult.Status.FAIL)).append(" failed, ")
                .append(result.count(ControlResult.Status.NOT_ASSESSED)).append(" not assessed)");
        return text.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    static String plural(long n, String noun) {
        return plural(n, noun, noun + "s");
    }

    static String plural(long n, String singular, String pluralForm) {
        return n + " " + (n == 1 ? singular : pluralForm);
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
