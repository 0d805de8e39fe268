package dev.phiguard.report;

import dev.phiguard.analysis.LintCheck;
import dev.phiguard.analysis.LintFinding;
import dev.phiguard.analysis.LintResult;
import java.util.List;
import java.util.Locale;

/** {@code phiguard lint} for the terminal: findings by level, then the sprawl figures. */
public final class LintTextFormatter {

    public String format(LintReport report) {
        LintResult result = report.result();
        LintResult.Sprawl sprawl = result.sprawl();
        StringBuilder out = new StringBuilder();
        int workloads = sprawl.namespaces().stream().mapToInt(LintResult.NamespaceFigures::workloads).sum();
        out.append("phiguard lint — ").append(sprawl.policies()).append(sprawl.policies() == 1 ? " NetworkPolicy"
                : " NetworkPolicies").append(" with ").append(count(sprawl.rules(), "rule")).append(" over ")
                .append(count(workloads, "workload")).append('\n');
        out.append("Result: ").append(count(result.count(LintCheck.Level.ERROR), "error")).append(", ")
                .append(count(result.count(LintCheck.Level.WARNING), "warning")).append(", ")
                .append(count(result.count(LintCheck.Level.NOTE), "note")).append('\n');
        out.append(findings(result));
        out.append("\nSprawl\n");
        String header = String.format(Locale.ROOT, "  %-24s %9s %8s %6s %15s %18s%n", "namespace", "workloads",
                "policies", "rules", "redundant rules", "redundant policies");
        out.append(header);
        for (LintResult.NamespaceFigures row : sprawl.namespaces()) {
            out.append(String.format(Locale.ROOT, "  %-24s %9d %8d %6d %15d %18d%n", row.namespace(), row.workloads(),
                    row.policies(), row.rules(), row.redundantRules(), row.redundantPolicies()));
        }
        int[] perPolicy = sprawl.workloadsPerPolicy();
        out.append(String.format(Locale.ROOT, "  %-24s %9d %8d %6d %15d %18d%n", "total", workloads,
                sprawl.policies(), sprawl.rules(), sprawl.redundantRules(), sprawl.redundantPolicies()));
        out.append("  overlapping policy pairs: ").append(sprawl.overlappingPairs())
                .append("; policies another one equals or contains: ").append(sprawl.containedPolicies())
                .append("; workloads per policy: min ").append(perPolicy[0]).append(", median ").append(perPolicy[1])
                .append(", max ").append(perPolicy[2]).append('\n');
        return out.toString();
    }

    /** The findings by level, each level after a blank line: what {@code audit --hygiene} appends too. */
    public String findings(LintResult result) {
        StringBuilder out = new StringBuilder();
        for (LintCheck.Level level : LintCheck.Level.values()) {
            List<LintFinding> findings = result.findings().stream()
                    .filter(finding -> finding.check().level() == level).toList();
            if (findings.isEmpty()) {
                continue;
            }
            out.append('\n').append(level.name()).append(" (").append(findings.size()).append(")\n");
            for (LintFinding finding : findings) {
                out.append("  ").append(finding.check().id()).append("  ").append(finding.object());
                if (!finding.source().file().isEmpty()) {
                    out.append("  ").append(finding.source());
                }
                out.append("\n    ").append(finding.message()).append('\n');
            }
        }
        return out.toString();
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
