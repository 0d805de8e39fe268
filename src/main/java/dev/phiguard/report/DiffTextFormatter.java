package dev.phiguard.report;

import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.analysis.ConnectionChange;
import dev.phiguard.analysis.ConnectivityDiff;
import dev.phiguard.compliance.Finding;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.NetworkPolicy;
import java.util.List;

/**
 * The terminal report of a change: the verdict and counts, the new findings with where to look
 * and how to fix them, the resolved findings, then the connections added, removed and changed,
 * each with the rules that allow it.
 */
public final class DiffTextFormatter implements DiffFormatter {
    private final Ansi ansi;

    public DiffTextFormatter(boolean color) {
        this.ansi = new Ansi(color);
    }

    @Override
    public String format(DiffReport report) {
        ChangeReport change = report.change();
        StringBuilder out = new StringBuilder();
        out.append(ansi.bold("phiguard diff")).append(" — ").append(report.before().label()).append(" → ")
                .append(report.after().label()).append('\n');
        out.append("Profile: ").append(change.profile().name()).append(" (").append(report.profileSource())
                .append("); ").append(DiffReport.threshold(change)).append('\n');
        out.append("Result: ").append(change.failed() ? ansi.status(ControlResult.Status.FAIL, "FAIL")
                : ansi.status(ControlResult.Status.PASS, "PASS")).append(" — ").append(DiffReport.verdict(change))
                .append('\n');
        out.append("Findings: ").append(change.findings().appeared().size()).append(" new, ")
                .append(change.findings().disappeared().size()).append(" resolved, ")
                .append(change.findings().remaining().size()).append(" remaining\n");
        ConnectivityDiff connectivity = change.connectivity();
        out.append("Connections: ").append(connectivity.added().size()).append(" added, ")
                .append(connectivity.removed().size()).append(" removed, ")
                .append(connectivity.changed().size()).append(" changed\n");
        if (change.isEmpty()) {
            out.append("\nNo change: every connection and every finding is the same before and after.\n");
            return out.toString();
        }

        List<Finding> appeared = change.findings().appeared();
        if (!appeared.isEmpty()) {
            out.append('\n').append(ansi.bold("New findings (" + appeared.size() + ")")).append('\n');
            for (Finding finding : appeared) {
                finding(out, finding, true);
            }
        }
        List<Finding> disappeared = change.findings().disappeared();
        if (!disappeared.isEmpty()) {
            out.append('\n').append(ansi.bold("Resolved findings (" + disappeared.size() + ")")).append('\n');
            for (Finding finding : disappeared) {
                finding(out, finding, false);
            }
        }
        connections(out, "Connections added", "+", connectivity.added());
        connections(out, "Connections removed", "-", connectivity.removed());
        connections(out, "Connections changed", "~", connectivity.changed());
        return out.toString();
    }

    private void finding(StringBuilder out, Finding finding, boolean withFix) {
        out.append("  ").append(ansi.bold(finding.id())).append("  ")
                .append(ansi.severity(finding.severity(), finding.severity().label())).append("  ")
                .append(finding.location()).append('\n');
        out.append("    ").append(finding.message()).append('\n');
        if (withFix) {
            out.append("    fix: ").append(finding.remediation().text()).append('\n');
            List<NetworkPolicy> policies = finding.remediation().policies();
            if (!policies.isEmpty()) {
                out.append("    proposed policies: ")
                        .append(String.join(", ", policies.stream().map(NetworkPolicy::namespacedName).toList()))
                        .append(ansi.dim(" (phiguard audit --fix-dir DIR writes them)")).append('\n');
            }
        }
    }

    private void connections(StringBuilder out, String title, String mark, List<ConnectionChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        out.append('\n').append(ansi.bold(title + " (" + changes.size() + ")")).append('\n');
        for (ConnectionChange change : changes) {
            out.append("  ").append(mark).append(' ').append(change.source()).append(" => ")
                    .append(change.destination()).append(" : ");
            switch (change.kind()) {
                case ADDED -> {
                    out.append(DiffReport.ports(change.after())).append('\n');
                    rules(out, "allowed by", change.afterRules());
                }
                case REMOVED -> {
                    out.append(DiffReport.ports(change.before())).append('\n');
                    rules(out, "was allowed by", change.beforeRules());
                }
                case CHANGED -> {
                    out.append(DiffReport.ports(change.before())).append(" -> ")
                            .append(DiffReport.ports(change.after())).append('\n');
                    if (!change.gained().isEmpty()) {
                        out.append("      gained: ").append(DiffReport.ports(change.gained())).append('\n');
                    }
                    if (!change.lost().isEmpty()) {
                        out.append("      lost: ").append(DiffReport.ports(change.lost())).append('\n');
                    }
                    rules(out, "allowed by", change.afterRules());
                }
            }
        }
    }

    private void rules(StringBuilder out, String label, List<RuleRef> rules) {
        for (RuleRef rule : rules) {
            out.append(ansi.dim("      " + label + " " + rule + " (" + rule.ruleSource() + ")")).append('\n');
        }
    }
}
