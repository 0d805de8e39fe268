package dev.phiguard.report;

import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.analysis.ConnectionChange;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The change as a pull-request comment: a heading with the verdict, a summary table, the new
 * findings with their severity and fixes, the resolved findings, then the connections added,
 * removed and changed, as tables. Long tables fold into {@code <details>}; the whole comment
 * stays under GitHub's limit of {@value #LIMIT} characters, rows beyond it left out with a note.
 * The first line is a hidden marker, {@value #MARKER}, by which a CI job finds its earlier
 * comment to update it.
 */
public final class DiffMarkdownFormatter implements DiffFormatter {
    /** GitHub's limit on the body of a comment, in characters. */
    public static final int LIMIT = 65536;
    public static final String MARKER = "<!-- phiguard-diff -->";
    /** Tables longer than this fold into {@code <details>}. */
    static final int FOLD_AFTER = 10;
    /** Room kept for the headings, notes and closing tags that follow the table being written. */
    private static final int RESERVE = 4000;
    /** The longest text a cell shows; finding messages that list many ranges are cut. */
    private static final int CELL = 600;

    @Override
    public String format(DiffReport report) {
        return format(report, LIMIT);
    }

    /** The comment kept under {@code limit} characters (tests use small limits). */
    String format(DiffReport report, int limit) {
        ChangeReport change = report.change();
        Comment out = new Comment(limit);
        out.text(MARKER).text("\n");
        out.text("## phiguard diff: ").text(DiffReport.verdictWord(change)).text(" — ")
                .text(escape(DiffReport.verdict(change))).text("\n\n");
        out.text("| | Count |\n| --- | --- |\n");
        out.text("| New findings | ").text(DiffReport.countBySeverity(change.findings().appeared())).text(" |\n");
        out.text("| Findings resolved | ").text(DiffReport.countBySeverity(change.findings().disappeared()))
                .text(" |\n");
        out.text("| Findings remaining | ").text(Integer.toString(change.findings().remaining().size())).text(" |\n");
        out.text("| Connections added | ").text(Integer.toString(change.connectivity().added().size())).text(" |\n");
        out.text("| Connections removed | ").text(Integer.toString(change.connectivity().removed().size()))
                .text(" |\n");
        out.text("| Connections changed | ").text(Integer.toString(change.connectivity().changed().size()))
                .text(" |\n\n");
        out.text("Before: ").text(code(report.before().label())).text(" · after: ").text(code(report.after().label()))
                .text(" · profile **").text(escape(change.profile().name())).text("** (")
                .text(code(report.profileSource())).text("), ").text(escape(DiffReport.threshold(change)))
                .text(".\n");
        if (change.isEmpty()) {
            out.text("\nThe change alters no connection and no finding.\n");
        }

        List<Finding> appeared = change.findings().appeared();
        if (!appeared.isEmpty()) {
            out.text("\n### New findings\n\n");
            out.table(List.of("Severity", "Finding", "Location", "What"), findingRows(appeared, true), null);
            fixes(out, appeared);
        }
        List<Finding> disappeared = change.findings().disappeared();
        if (!disappeared.isEmpty()) {
            out.text("\n### Findings resolved\n\n");
            out.table(List.of("Severity", "Finding", "What"), findingRows(disappeared, false),
                    plural(disappeared.size(), "finding resolved", "findings resolved"));
        }
        List<ConnectionChange> added = change.connectivity().added();
        if (!added.isEmpty()) {
            out.text("\n### Connections added\n\n");
            out.table(List.of("Source", "Destination", "Connections", "Allowed by"), added.stream()
                    .map(c -> List.of(code(c.source().toString()), code(c.destination().toString()),
                            escape(DiffReport.ports(c.after())), rules(c.afterRules())))
                    .toList(), plural(added.size(), "connection added", "connections added"));
        }
        List<ConnectionChange> removed = change.connectivity().removed();
        if (!removed.isEmpty()) {
            out.text("\n### Connections removed\n\n");
            out.table(List.of("Source", "Destination", "Connections", "Was allowed by"), removed.stream()
                    .map(c -> List.of(code(c.source().toString()), code(c.destination().toString()),
                            escape(DiffReport.ports(c.before())), rules(c.beforeRules())))
                    .toList(), plural(removed.size(), "connection removed", "connections removed"));
        }
        List<ConnectionChange> changed = change.connectivity().changed();
        if (!changed.isEmpty()) {
            out.text("\n### Connections changed\n\n");
            out.table(List.of("Source", "Destination", "Before", "After", "Gained", "Lost"), changed.stream()
                    .map(c -> List.of(code(c.source().toString()), code(c.destination().toString()),
                            escape(DiffReport.ports(c.before())), escape(DiffReport.ports(c.after())),
                            orDash(c.gained().isEmpty() ? "" : DiffReport.ports(c.gained())),
                            orDash(c.lost().isEmpty() ? "" : DiffReport.ports(c.lost()))))
                    .toList(), plural(changed.size(), "connection changed", "connections changed"));
        }
        out.text("\n<sub>phiguard ").text(escape(report.toolVersion())).text(" · ")
                .text(code("phiguard diff")).text(" · new findings are those whose id the BEFORE audit does not"
                        + " report.</sub>\n");
        return out.finish();
    }

    private static List<List<String>> findingRows(List<Finding> findings, boolean withLocation) {
        List<List<String>> rows = new ArrayList<>();
        for (Finding finding : findings) {
            List<String> row = new ArrayList<>();
            row.add("**" + finding.severity().label() + "**");
            row.add(code(finding.id()));
            if (withLocation) {
                row.add(code(finding.location().toString()));
            }
            row.add(escape(cut(finding.message())));
            rows.add(row);
        }
        return rows;
    }

    /**
     * Each new finding's fix, then every policy the fixes propose, once each, folded: reviewers
     * open it when they need it.
     */
    private static void fixes(Comment out, List<Finding> findings) {
        out.text("\n<details><summary>How to fix the new findings</summary>\n\n");
        Map<String, NetworkPolicy> proposed = new LinkedHashMap<>();
        int shown = 0;
        for (Finding finding : findings) {
            List<NetworkPolicy> policies = finding.remediation().policies();
            String entry = "- " + code(finding.id()) + ": " + escape(finding.remediation().text())
                    + (policies.isEmpty() ? "" : " Proposed: " + String.join(", ", policies.stream()
                            .map(policy -> code(policy.namespacedName())).toList()) + ".") + "\n";
            if (!out.fits(entry.length())) {
                break;
            }
            out.text(entry);
            policies.forEach(policy -> proposed.putIfAbsent(policy.namespacedName(), policy));
            shown++;
        }
        if (shown < findings.size()) {
            out.text("\n").text(omitted(findings.size() - shown, "fix", "fixes")).text("\n");
        }
        int written = 0;
        for (NetworkPolicy policy : proposed.values()) {
            String yaml = NetworkPolicyYaml.write(policy);
            String fence = "`".repeat(Math.max(3, longestRun(yaml, '`') + 1));
            String entry = "\nProposed NetworkPolicy " + code(policy.namespacedName()) + ":\n\n" + fence + "yaml\n"
                    + yaml + (yaml.endsWith("\n") ? "" : "\n") + fence + "\n";
            if (!out.fits(entry.length())) {
                break;
            }
            out.text(entry);
            written++;
        }
        if (written < proposed.size()) {
            out.text("\n").text(omitted(proposed.size() - written, "proposed policy", "proposed policies"))
                    .text("\n");
        }
        out.text("\n</details>\n");
    }

    private static int longestRun(String text, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static String rules(List<RuleRef> rules) {
        if (rules.isEmpty()) {
            return "no policy isolates it";
        }
        List<String> names = rules.stream().map(rule -> code(rule.toString())).toList();
        return String.join("<br>", names);
    }

    private static String orDash(String text) {
        return text.isEmpty() ? "—" : escape(text);
    }

    private static String cut(String text) {
        return text.length() <= CELL ? text : text.substring(0, CELL - 1) + "…";
    }

    private static String plural(int n, String singular, String pluralForm) {
        return AuditTextFormatter.plural(n, singular, pluralForm);
    }

    static String omitted(int count, String singular, String pluralForm) {
        return "_" + count + " more " + (count == 1 ? singular : pluralForm) + " not shown, to keep this comment under GitHub's " + LIMIT + "-character limit; `phiguard diff"
                + " -o text` or `-o json` lists everything._";
    }

    private static String escape(String text) {
        return AuditMarkdownFormatter.escape(text);
    }

    private static String code(String text) {
        return AuditMarkdownFormatter.code(text);
    }

    /** A comment under construction that knows how much room is left. */
    private static final class Comment {
        private final StringBuilder out = new StringBuilder();
        private final int limit;

        Comment(int limit) {
            this.limit = limit;
        }

        Comment text(String text) {
            out.append(text);
            return this;
        }

        /** True when {@code length} more characters leave room for everything that follows. */
        boolean fits(int length) {
            return out.length() + length + RESERVE <= limit;
        }

        /**
         * A table, folded into {@code <details>} under {@code summary} when it is long (never when
         * {@code summary} is null), with the rows that fit.
         */
        void table(List<String> headers, List<List<String>> rows, String summary) {
            boolean fold = summary != null && rows.size() > FOLD_AFTER;
            if (fold) {
                out.append("<details><summary>").append(escape(summary)).append("</summary>\n\n");
            }
            out.append("| ").append(String.join(" | ", headers)).append(" |\n");
            out.append("|").append(" --- |".repeat(headers.size())).append('\n');
            int shown = 0;
            for (List<String> row : rows) {
                String line = "| " + String.join(" | ", row) + " |\n";
                if (!fits(line.length())) {
                    break;
                }
                out.append(line);
                shown++;
            }
            if (shown < rows.size()) {
                out.append('\n').append(omitted(rows.size() - shown, "row", "rows")).append('\n');
            }
            if (fold) {
                out.append("\n</details>\n");
            }
        }

        /** The comment; should everything before the last table be too long already, cut with a note. */
        String finish() {
            if (out.length() <= limit) {
                return out.toString();
            }
            String note = "\n\n" + omitted(1, "part", "parts") + "\n";
            int end = out.lastIndexOf("\n", limit - note.length());
            return out.substring(0, Math.max(end, 0)) + note;
        }
    }
}
