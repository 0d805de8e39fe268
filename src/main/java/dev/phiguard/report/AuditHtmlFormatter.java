package dev.phiguard.report;

import static dev.phiguard.report.AuditMarkdownFormatter.anchor;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadId;
import java.util.List;
import java.util.Objects;

/**
 * The audit as one self-contained, printable HTML page: the same report as
 * {@link AuditMarkdownFormatter}, section for section, with a table of contents, an anchor per
 * control and finding, inline CSS and no external resource. Every string from the manifests or
 * the profile goes through {@link #escape(String)}.
 *
 * <p>Given the connectivity map, the report opens with an interactive network map (see
 * {@link ConnectivityHtmlFormatter}) whose findings panel links each finding to the workloads and
 * connections it concerns; its scripts are inlined and the page's Content-Security-Policy lets
 * only those run, by hash. Printed, the map becomes a picture of what was on screen. Without the
 * map the page has no script at all.
 */
public final class AuditHtmlFormatter implements AuditFormatter {
    private static final AuditMarkdownFormatter.Markup HTML = new AuditMarkdownFormatter.Markup() {
        @Override
        public String text(String text) {
            return escape(text);
        }

        @Override
        public String code(String text) {
            return "<code>" + escape(text) + "</code>";
        }
    };

    private static final String CSS = """
            :root {
              --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
              --pass: #116329; --pass-bg: #dafbe1; --fail: #a40e26; --na: #6e7781;
            }
            * { box-sizing: border-box; }
            html { -webkit-text-size-adjust: 100%; }
            body {
              margin: 0 auto; max-width: 62rem; padding: 2.5rem 1.75rem 4rem; color: var(--ink); background: #fff;
              font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
            }
            h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 .5em; }
            h1 { font-size: 1.9rem; margin-top: .2em; }
            h2 { font-size: 1.4rem; padding-bottom: .3em; border-bottom: 2px solid var(--ink); }
            h3 { font-size: 1.15rem; }
            h4 { font-size: 1rem; }
            p { margin: .5em 0 .9em; }
            a { color: #0550ae; text-decoration: none; }
            a:hover { text-decoration: underline; }
            code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
              font-size: .86em; }
            code { background: var(--soft); border: 1px solid #e4e8ec; border-radius: 4px; padding: .05em .3em;
              overflow-wrap: break-word; }
            pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .8em 1em;
              overflow-x: auto; line-height: 1.45; margin: .3em 0 0; }
            pre code { background: none; border: 0; padding: 0; font-size: 1em; }
            table { border-collapse: collapse; width: 100%; margin: .6em 0 1.2em; font-size: .93em; }
            table.compact { width: auto; min-width: 18rem; }
            th, td { text-align: left; vertical-align: top; padding: .4em .6em; border: 1px solid var(--line); }
            th { background: var(--soft); font-weight: 600; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.digest code { font-size: .8em; word-break: break-all; }
            .muted { color: var(--muted); }
            .eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--muted);
              margin: 0; font-weight: 600; }
            .lede { color: #32383f; max-width: 48rem; }
            .verdict { display: flex; align-items: center; gap: .9em; padding: .8em 1em; margin: 1.2em 0;
              border-radius: 6px; border: 2px solid; font-size: 1.02rem; }
            .verdict-fail { border-color: var(--fail); background: #fff5f5; }
            .verdict-pass { border-color: var(--pass); background: #f3fbf5; }
            .verdict .status { font-size: 1.05rem; padding: .2em .7em; }
            dl.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .4em 1.5em;
              margin: 0 0 1.5em; }
            dl.facts div { border-top: 1px solid var(--line); padding-top: .35em; }
            dl.facts div.wide { grid-column: span 2; }
            dl.facts dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
            dl.facts dd { margin: 0; font-weight: 500; }
            .badge, .status { display: inline-block; border-radius: 3px; padding: .05em .5em; font-size: .78em;
              font-weight: 700; letter-spacing: .05em; text-transform: uppercase; border: 1px solid;
              white-space: nowrap; vertical-align: .08em;
              -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            .status-pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
            .status-fail { color: #fff; background: var(--fail); border-color: var(--fail); }
            .status-not-assessed { color: var(--na); background: #fff; border-style: dashed; border-color: var(--na); }
            .sev-critical { color: #fff; background: #4c0519; border-color: #4c0519; }
            .sev-high { color: #fff; background: #c2410c; border-color: #c2410c; }
            .sev-medium { color: #3d2c00; background: #fcd34d; border-color: #b08800; }
            .sev-low { color: #0a3069; background: #ddf4ff; border-color: #54aeff; }
            .sev-info { color: #424a53; background: #f6f8fa; border-color: #afb8c1; border-style: dotted; }
            nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .3em 1.4em 1em; }
            nav.toc h2 { border: 0; margin-top: .8em; }
            nav.toc ol { padding-left: 1.4em; margin: .2em 0; }
            nav.toc ul { list-style: none; padding-left: 1.2em; margin: .1em 0 .3em; font-size: .92em; }
            nav.toc li { margin: .15em 0; }
            .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
              font-weight: 700; margin-right: .35em; }
            section.control { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px;
              padding: .2em 1.3em 1em; margin: 1.4em 0; }
            section.control.control-fail { border-left: 6px solid var(--fail); }
            section.control.control-pass { border-left: 6px double var(--pass); }
            section.control.control-not-assessed { border-left: 4px dashed var(--na); }
            section.control > h3 { margin-top: .8em; }
            .control-badges { margin: -.1em 0 .8em; display: flex; flex-wrap: wrap; gap: .45em; align-items: center; }
            dl.fields { display: grid; grid-template-columns: 10.5rem 1fr; gap: .35em 1em; margin: .6em 0; }
            dl.fields dt { font-weight: 600; color: #32383f; }
            dl.fields dd { margin: 0; min-width: 0; }
            dl.fields ul { margin: 0; padding-left: 1.1em; }
            article.finding { border: 1px solid var(--line); border-radius: 6px; margin: 1.1em 0 .4em;
              padding: 0 1em .9em; background: #fcfcfd; }
            article.finding h4 { margin: 0 -1em .5em; padding: .55em 1em; display: flex; flex-wrap: wrap; gap: .5em;
              align-items: center; background: var(--soft); border-bottom: 1px solid var(--line);
              border-radius: 6px 6px 0 0; }
            figure.policy { margin: .8em 0 0; }
            figure.policy figcaption { font-size: .88em; color: var(--muted); margin-bottom: .2em; }
            .toplink { font-size: .8em; float: right; margin-top: -.2em; }
            footer { margin-top: 3em; padding-top: .8em; border-top: 1px solid var(--line); color: var(--muted);
              font-size: .85em; }
            section.network-map .pgmap-wrap { position: relative; left: 50%; width: 94vw; margin-left: -47vw; }
            section.network-map img.pgmap-print { margin: .5em 0; }
            @page { size: auto; margin: 16mm 14mm; }
            @media print {
              body { max-width: none; padding: 0; font-size: 10pt; }
              a { color: inherit; }
              .toplink { display: none; }
              nav.toc { break-after: page; background: none; }
              h2, h3, h4, figcaption { break-after: avoid; }
              section.control { break-inside: auto; }
              dl.fields, table tr, figure.policy, .verdict { break-inside: avoid; }
              pre { white-space: pre-wrap; overflow-wrap: anywhere; background: none; }
              code { background: none; border: 0; padding: 0; }
              article.finding, article.finding h4 { background: none; }
              pre code { font-size: .95em; }
            }
            """;

    private final ConnectivityMap map;
    private final PhiScope phi;
    private final NetworkMapData.Limits limits;

    /** The printable report alone, without script. */
    public AuditHtmlFormatter() {
        this.map = null;
        this.phi = null;
        this.limits = NetworkMapData.Limits.DEFAULT;
    }

    /**
     * The report with the interactive network map of {@code map}.
     *
     * @param phi which workloads hold PHI: the audit's own scope
     */
    public AuditHtmlFormatter(ConnectivityMap map, PhiScope phi) {
        this(map, phi, NetworkMapData.Limits.DEFAULT);
    }

    AuditHtmlFormatter(ConnectivityMap map, PhiScope phi, NetworkMapData.Limits limits) {
        this.map = Objects.requireNonNull(map, "map");
        this.phi = Objects.requireNonNull(phi, "phi");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public String format(AuditReport report) {
        AuditResult result = report.result();
        StringBuilder out = new StringBuilder();
        String title = AuditMarkdownFormatter.title(result);
        NetworkMapHtml networkMap = map == null ? null : new NetworkMapHtml(NetworkMapData.json(title, "audit", map,
                phi, mapFindings(result), limits), true);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // nothing to load, and nothing to run but the map's own inlined scripts, even if a string
                // escaped its escaping
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(networkMap == null ? "default-src 'none'; style-src 'unsafe-inline'"
                        : networkMap.contentSecurityPolicy()).append("\">\n")
                .append("<meta name=\"generator\" content=\"phiguard ").append(escape(report.toolVersion()))
                .append("\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append(networkMap == null ? "" : NetworkMapHtml.css())
                .append("</style>\n</head>\n<body>\n");

        out.append("<header id=\"top\">\n<p class=\"eyebrow\">phiguard audit report</p>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n")
                .append("<p class=\"lede\">").append(escape(AuditMarkdownFormatter.LEDE)).append("</p>\n");
        verdictBox(out, result);
        out.append("<dl class=\"facts\">\n");
        fact(out, "Controls", escape(AuditMarkdownFormatter.controlCounts(result)), false);
        fact(out, "Date", report.date().isPresent() ? escape(report.date().get())
                : "<span class=\"muted\">" + escape(AuditMarkdownFormatter.date(report)) + "</span>", false);
        fact(out, "Tool", escape("phiguard " + report.toolVersion()), false);
        fact(out, "Profile", escape(result.profile().name()) + " <span class=\"muted\">read from</span> "
                + HTML.code(report.profileSource()), true);
        out.append("</dl>\n</header>\n\n");

        if (networkMap != null) {
            out.append("<section id=\"network-map\" class=\"network-map\">\n<h2>Network map</h2>\n<p>")
                    .append(escape("Every workload and address range, every connection NetworkPolicy allows, the PHI"
                            + " zone in red and the findings marked. Click a finding for its evidence, a connection"
                            + " for the rules that allow it."))
                    .append("</p>\n<div class=\"pgmap-wrap\">\n").append(networkMap.section()).append("</div>\n")
                    .append("<img id=\"pgmap-snapshot\" class=\"pgmap-print\" alt=\"The network map as drawn on")
                    .append(" screen\">\n</section>\n\n");
        }
        contents(out, result, networkMap != null);

        out.append("<main>\n<section id=\"summary\">\n<h2>Summary</h2>\n");
        out.append("<p><strong>").append(AuditMarkdownFormatter.verdictWord(result)).append("</strong>: ")
                .append(escape(AuditMarkdownFormatter.verdict(result))).append(". ")
                .append(escape(AuditMarkdownFormatter.threshold(result))).append("</p>\n");
        table(out, "compact", AuditMarkdownFormatter.severityTable(result, AuditHtmlFormatter::severityBadge), 1,
                "num");
        table(out, AuditMarkdownFormatter.controlTable(result, HTML,
                id -> "<a href=\"#" + anchor(id) + "\" class=\"id\">" + escape(id) + "</a>",
                AuditHtmlFormatter::statusBadge, AuditHtmlFormatter::severityBadge), 4, "num");
        out.append("</section>\n\n");

        out.append("<section id=\"scope\">\n<h2>Scope</h2>\n<p>")
                .append(escape(AuditMarkdownFormatter.scope(result))).append("</p>\n");
        table(out, AuditMarkdownFormatter.phiTable(result, HTML), -1, null);
        out.append("</section>\n\n");

        out.append("<section id=\"inputs\">\n<h2>Inputs</h2>\n<p>")
                .append(escape(AuditMarkdownFormatter.inputsIntro(report))).append("</p>\n");
        table(out, AuditMarkdownFormatter.inputTable(report, HTML), 1, "digest");
        out.append("</section>\n\n");

        out.append("<section id=\"profile\">\n<h2>Profile</h2>\n<p><strong>")
                .append(escape(result.profile().name())).append("</strong>, read from ")
                .append(HTML.code(report.profileSource())).append(".</p>\n");
        table(out, AuditMarkdownFormatter.profileTable(result, HTML), -1, null);
        out.append("<h3>Clients allowed to reach PHI</h3>\n");
        tableOrNone(out, AuditMarkdownFormatter.clientTable(result.profile(), HTML),
                "No client outside the PHI workloads may reach them.");
        out.append("<h3>Gateways</h3>\n");
        tableOrNone(out, AuditMarkdownFormatter.gatewayTable(result.profile(), HTML),
                "No gateway: nothing outside the cluster may reach a PHI workload.");
        out.append("<h3>External destinations</h3>\n");
        tableOrNone(out, AuditMarkdownFormatter.destinationTable(result.profile(), HTML),
                "No external destination: PHI workloads may not connect outside the cluster.");
        out.append("</section>\n\n");

        out.append("<section id=\"controls\">\n<h2>Controls</h2>\n");
        for (ControlResult control : result.controls()) {
            control(out, result, control);
        }
        out.append("</section>\n</main>\n\n");
        out.append("<footer>\n<p>").append(escape("Generated by phiguard " + report.toolVersion() + ". "
                + AuditMarkdownFormatter.FOOTER)).append("</p>\n</footer>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void verdictBox(StringBuilder out, AuditResult result) {
        boolean failed = result.failed();
        out.append("<div class=\"verdict ").append(failed ? "verdict-fail" : "verdict-pass").append("\">")
                .append("<span class=\"status ").append(failed ? "status-fail" : "status-pass").append("\">")
                .append(failed ? "\u2717 FAIL" : "\u2713 PASS").append("</span> <span>")
                .append(escape(AuditMarkdownFormatter.verdict(result))).append(". ")
                .append(escape(AuditMarkdownFormatter.threshold(result))).append("</span></div>\n");
    }

    private static void fact(StringBuilder out, String name, String html, boolean wide) {
        out.append(wide ? "<div class=\"wide\"><dt>" : "<div><dt>").append(escape(name)).append("</dt><dd>")
                .append(html).append("</dd></div>\n");
    }

    /** The findings as the network map links them to its nodes and connections. */
    static List<NetworkMapData.MapFinding> mapFindings(AuditResult result) {
        return result.findings().stream().map(finding -> new NetworkMapData.MapFinding(finding.id(),
                finding.controlId(), result.control(finding).title(), finding.severity().label(), finding.namespace(),
                finding.message(), finding.location().file().isEmpty() ? "not in the manifests"
                        : finding.location().toString(), finding.workloads(), finding.connections(), finding.rules(),
                finding.remediation().text(), anchor(finding.id()))).toList();
    }

    private static void contents(StringBuilder out, AuditResult result, boolean withMap) {
        out.append("<nav class=\"toc\" aria-label=\"Contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n")
                .append(withMap ? "<li><a href=\"#network-map\">Network map</a></li>\n" : "")
                .append("<li><a href=\"#summary\">Summary</a></li>\n<li><a href=\"#scope\">Scope</a></li>\n")
                .append("<li><a href=\"#inputs\">Inputs</a></li>\n<li><a href=\"#profile\">Profile</a></li>\n")
                .append("<li><a href=\"#controls\">Controls</a>\n<ul>\n");
        for (ControlResult control : result.controls()) {
            ControlInfo info = control.control();
            out.append("<li><a href=\"#").append(anchor(info.id())).append("\"><span class=\"id\">")
                    .append(escape(info.id())).append("</span>").append(escape(info.title())).append("</a> ")
                    .append(statusBadge(control.status()));
            List<Finding> findings = AuditMarkdownFormatter.findings(result, control);
            if (!findings.isEmpty()) {
                out.append("\n<ul>\n");
                for (Finding finding : findings) {
                    out.append("<li><a href=\"#").append(anchor(finding.id())).append("\" class=\"id\">")
                            .append(escape(finding.id())).append("</a> ").append(severityBadge(finding.severity()))
                            .append(" <span class=\"muted\">namespace ").append(escape(finding.namespace()))
                            .append("</span></li>\n");
                }
                out.append("</ul>\n");
            }
            out.append("</li>\n");
        }
        out.append("</ul>\n</li>\n</ol>\n</nav>\n\n");
    }

    private static void control(StringBuilder out, AuditResult result, ControlResult control) {
        ControlInfo info = control.control();
        String status = "control-" + anchor(control.status().label());
        out.append("\n<section class=\"control ").append(status).append("\" id=\"").append(anchor(info.id()))
                .append("\">\n<a class=\"toplink\" href=\"#contents\">\u2191 Contents</a>\n")
                .append("<h3><span class=\"id\">").append(escape(info.id())).append("</span>")
                .append(escape(info.title())).append("</h3>\n");
        out.append("<div class=\"control-badges\">").append(statusBadge(control.status())).append(' ')
                .append(severityBadge(info.severity())).append(' ').append(HTML.code(info.name()));
        if (control.status() == ControlResult.Status.FAIL) {
            out.append(" <span class=\"muted\">")
                    .append(escape(AuditTextFormatter.plural(control.findings().size(), "finding"))).append("</span>");
        }
        out.append("</div>\n<dl class=\"fields\">\n<dt>Cites</dt><dd><ul>\n");
        for (Citation citation : info.citations()) {
            out.append("<li><strong>").append(escape(AuditMarkdownFormatter.citationReference(citation)))
                    .append("</strong>: ").append(escape(citation.title())).append("</li>\n");
        }
        out.append("</ul></dd>\n<dt>Why it matters</dt><dd>").append(escape(info.rationale())).append("</dd>\n");
        if (control.status() == ControlResult.Status.NOT_ASSESSED) {
            out.append("<dt>Not assessed</dt><dd>").append(escape(control.reason())).append("</dd>\n");
        } else {
            out.append("<dt>Evidence checked</dt><dd>");
            if (control.evidence().isEmpty()) {
                out.append("none recorded");
            } else {
                out.append("<ul>\n");
                control.evidence().forEach(line -> out.append("<li>").append(escape(line)).append("</li>\n"));
                out.append("</ul>");
            }
            out.append("</dd>\n");
        }
        out.append("</dl>\n");
        for (Finding finding : AuditMarkdownFormatter.findings(result, control)) {
            finding(out, finding);
        }
        out.append("</section>\n");
    }

    private static void finding(StringBuilder out, Finding finding) {
        out.append("<article class=\"finding\" id=\"").append(anchor(finding.id())).append("\">\n")
                .append("<h4><span class=\"id\">").append(escape(finding.id())).append("</span>")
                .append(severityBadge(finding.severity())).append(" <span class=\"muted\">namespace ")
                .append(escape(finding.namespace())).append("</span></h4>\n<dl class=\"fields\">\n");
        out.append("<dt>Finding</dt><dd>").append(escape(finding.message())).append("</dd>\n");
        out.append("<dt>Location</dt><dd>").append(AuditMarkdownFormatter.location(finding.location(), HTML))
                .append("</dd>\n");
        if (!finding.workloads().isEmpty()) {
            out.append("<dt>Workloads</dt><dd>").append(String.join(", ", finding.workloads().stream()
                    .map(WorkloadId::toString).map(HTML::code).toList())).append("</dd>\n");
        }
        if (!finding.connections().isEmpty()) {
            out.append("<dt>Connections</dt><dd><ul>\n");
            for (Connection connection : finding.connections()) {
                out.append("<li>").append(HTML.code(connection.toString())).append("</li>\n");
            }
            out.append("</ul></dd>\n");
        }
        if (!finding.rules().isEmpty()) {
            out.append("<dt>Rules involved</dt><dd><ul>\n");
            for (RuleRef rule : finding.rules()) {
                out.append("<li>").append(AuditMarkdownFormatter.rule(rule, HTML)).append("</li>\n");
            }
            out.append("</ul></dd>\n");
        }
        out.append("<dt>Remediation</dt><dd>").append(escape(finding.remediation().text())).append("</dd>\n</dl>\n");
        for (NetworkPolicy policy : finding.remediation().policies()) {
            out.append("<figure class=\"policy\">\n<figcaption>Proposed NetworkPolicy ")
                    .append(HTML.code(policy.namespacedName())).append("</figcaption>\n<pre><code>")
                    .append(escape(NetworkPolicyYaml.write(policy))).append("</code></pre>\n</figure>\n");
        }
        out.append("</article>\n");
    }

    /** Writes a table whose cells are HTML already; {@code column}'s cells get class {@code cls} (null: none). */
    private static void table(StringBuilder out, AuditMarkdownFormatter.Table table, int column, String cls) {
        table(out, null, table, column, cls);
    }

    private static void table(StringBuilder out, String tableClass, AuditMarkdownFormatter.Table table, int column,
            String cls) {
        out.append(tableClass == null ? "<table>" : "<table class=\"" + tableClass + "\">").append("\n<thead><tr>");
        for (int i = 0; i < table.headers().size(); i++) {
            out.append(i == column ? "<th class=\"" + cls + "\">" : "<th>").append(escape(table.headers().get(i)))
                    .append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                out.append(i == column ? "<td class=\"" + cls + "\">" : "<td>").append(row.get(i)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void tableOrNone(StringBuilder out, AuditMarkdownFormatter.Table table, String none) {
        if (table.rows().isEmpty()) {
            out.append("<p class=\"muted\">").append(escape(none)).append("</p>\n");
        } else {
            table(out, table, -1, null);
        }
    }

    static String statusBadge(ControlResult.Status status) {
        String symbol = switch (status) {
            case PASS -> "\u2713 ";
            case FAIL -> "\u2717 ";
            case NOT_ASSESSED -> "\u2013 ";
        };
        return "<span class=\"status status-" + anchor(status.label()) + "\">" + symbol
                + AuditMarkdownFormatter.statusWord(status) + "</span>";
    }

    static String severityBadge(Severity severity) {
        return "<span class=\"badge sev-" + severity.label() + "\">" + severity.label() + "</span>";
    }

    /**
     * Text as HTML shows it literally, in element content and in quoted attribute values alike:
     * {@code & < > " '} become character references, and characters HTML forbids (control
     * characters, unpaired surrogates) become U+FFFD.
     */
    static String escape(String text) {
        String clean = AuditJunitFormatter.clean(text);
        StringBuilder out = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
