package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.analysis.ChangeAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text and Markdown reports of a change: golden files, folding, and GitHub's comment limit. */
class DiffFormatsTest {

    @Test
    void testTextMatchesGolden() {
        Golden.assertMatches("diff/clinic-fixes-applied.txt", new DiffTextFormatter(false)
                .format(DiffScenarios.fixesApplied()));
        Golden.assertMatches("diff/clinic-fixes-undone.txt", new DiffTextFormatter(false)
                .format(DiffScenarios.fixesUndone()));
        Golden.assertMatches("diff/identical.txt", new DiffTextFormatter(false).format(DiffScenarios.identical()));
    }

    @Test
    void testMarkdownMatchesGolden() {
        Golden.assertMatches("diff/clinic-fixes-applied.md", new DiffMarkdownFormatter()
                .format(DiffScenarios.fixesApplied()));
        Golden.assertMatches("diff/clinic-fixes-undone.md", new DiffMarkdownFormatter()
                .format(DiffScenarios.fixesUndone()));
        Golden.assertMatches("diff/identical.md", new DiffMarkdownFormatter().format(DiffScenarios.identical()));
    }

    @Test
    void testJsonMatchesGolden() {
        Golden.assertMatches("diff/clinic-fixes-undone.json", new DiffJsonFormatter()
                .format(DiffScenarios.fixesUndone()));
    }

    @Test
    void testTextIsColouredOnlyWhenAsked() {
        DiffReport report = DiffScenarios.fixesUndone();
        assertThat(new DiffTextFormatter(false).format(report)).doesNotContain("\u001b[");
        assertThat(new DiffTextFormatter(true).format(report)).contains("\u001b[1;31mFAIL\u001b[0m")
                .contains("\u001b[1;31mhigh\u001b[0m");
    }

    @Test
    void testMarkdownLeadsWithTheVerdictAndNewFindings() {
        String md = new DiffMarkdownFormatter().format(DiffScenarios.fixesUndone());
        assertThat(md).startsWith(DiffMarkdownFormatter.MARKER + "\n## phiguard diff: FAIL — the change introduces 6"
                + " findings at or above high\n");
        assertThat(md.indexOf("### New findings")).isLessThan(md.indexOf("### Connections added"));
        assertThat(md).doesNotContain("### Findings resolved").doesNotContain("### Connections removed");
        // 13 connections added fold away; 3 changed stay open
        assertThat(md).contains("<details><summary>13 connections added</summary>");
        assertThat(md).doesNotContain("connections changed</summary>");
        assertThat(count(md, "<details>")).isEqualTo(count(md, "</details>"));
        // each proposed policy is shown once, though several findings propose it
        assertThat(count(md, "Proposed NetworkPolicy `billing/default-deny-egress`")).isEqualTo(1);

        String fixed = new DiffMarkdownFormatter().format(DiffScenarios.fixesApplied());
        assertThat(fixed).contains("## phiguard diff: PASS — no new finding\n").contains("### Findings resolved")
                .doesNotContain("findings resolved</summary>").doesNotContain("### New findings");
    }

    /** A namespace of {@code n} pods with no policy, which all reach each other: n(n-1) pairs. */
    private static String crowd(int n, boolean denyAll) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append("apiVersion: v1\nkind: Pod\nmetadata: {name: pod-with-a-rather-long-name-").append(i)
                    .append(", namespace: crowd, labels: {app: a").append(i).append("}}\n")
                    .append("spec: {containers: [{name: c, image: i}]}\n---\n");
        }
        if (denyAll) {
            yaml.append("""
                    apiVersion: networking.k8s.io/v1
                    kind: NetworkPolicy
                    metadata: {name: deny-all, namespace: crowd}
                    spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                    """);
        }
        return yaml.toString();
    }

    @Test
    void testMarkdownStaysUnderGitHubsCommentLimit() {
        IngestResult open = ManifestReader.readString("open.yaml", crowd(90, false));
        IngestResult closed = ManifestReader.readString("closed.yaml", crowd(90, true));
        DiffReport report = new DiffReport(ChangeAnalyzer.compare(closed.cluster(), open.cluster(),
                ProfileReader.defaultProfile()), new DiffReport.Side("closed.yaml", List.of()),
                new DiffReport.Side("open.yaml", List.of()), "<built-in default profile>", "test");
        int added = report.change().connectivity().added().size();
        assertThat(added).isEqualTo(90 * 89 + 2 * 90);
        String text = new DiffTextFormatter(false).format(report);
        assertThat(text.length()).as("the full list is far longer than a comment may be")
                .isGreaterThan(DiffMarkdownFormatter.LIMIT * 5);

        String md = new DiffMarkdownFormatter().format(report);
        assertThat(md.length()).isLessThanOrEqualTo(DiffMarkdownFormatter.LIMIT)
                .isGreaterThan(DiffMarkdownFormatter.LIMIT - 6000);
        assertThat(md).contains("### Connections added").contains("<details><summary>" + added
                + " connections added</summary>");
        Matcher note = Pattern.compile("_(\\d+) more rows not shown, to keep this comment under GitHub's 65536-character"
                + " limit; `phiguard diff -o text` or `-o json` lists everything._").matcher(md);
        assertThat(note.find()).isTrue();
        long rows = md.lines().filter(line -> line.startsWith("| `crowd/")
                || line.startsWith("| `0.0.0.0-255.255.255.255[External]`")).count();
        assertThat(rows + Integer.parseInt(note.group(1))).isEqualTo(added);
        assertThat(count(md, "<details>")).isEqualTo(count(md, "</details>"));
        assertThat(md).endsWith("</sub>\n");

        // a smaller limit cuts earlier, and never past it
        String small = new DiffMarkdownFormatter().format(report, 9000);
        assertThat(small.length()).isLessThanOrEqualTo(9000);
        assertThat(small).contains("more rows not shown");
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
