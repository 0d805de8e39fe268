package dev.phiguard.report;

import static dev.phiguard.report.AuditHtmlFormatter.escape;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityMap;
import java.util.Objects;

/**
 * The page of {@code phiguard serve}: the audit's interactive network map with its findings panel,
 * a line saying when the answer was computed, and a banner when the source cannot be read. Its
 * own script follows the server's events (server-sent events on {@code /events}) and redraws the
 * map from {@code /api/map} when a new answer arrives; like the reports, the page runs only its
 * inlined scripts (by hash) and may connect only to the server that sent it.
 */
public final class DashboardHtml {
    private static final String MAP_APP = WebLibrary.resource("/report/network-map.js");
    private static final String SCRIPT = WebLibrary.resource("/report/dashboard.js");
    private static final String CSS = """
            html, body { margin: 0; height: 100%; }
            body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
              color: #1b1f24; background: #fff; display: flex; flex-direction: column; }
            header.pgdash { padding: .6rem 1.1rem .4rem; display: flex; flex-wrap: wrap; align-items: baseline;
              gap: .2rem 1.2rem; }
            header.pgdash h1 { font-size: 1.2rem; margin: 0; }
            header.pgdash p { margin: 0; color: #57606a; }
            .pgdash-verdict { font-weight: 600; }
            .pgdash-verdict.pgdash-fail { color: #a40e26; }
            .pgdash-verdict.pgdash-pass { color: #116329; }
            .pgdash-banner { margin: 0 1.1rem .5rem; padding: .5rem .8rem; border: 2px solid #a40e26;
              border-radius: 6px; background: #fff5f5; color: #4c0519; white-space: pre-wrap; }
            .pgdash-live { font-size: .85em; }
            main.pgdash { flex: 1; display: flex; padding: 0 .8rem .8rem; min-height: 0; }
            main.pgdash .pgmap { flex: 1; height: auto; }
            .pgdash-waiting { padding: 2rem; color: #57606a; }
            """;

    private final String source;

    /** @param source what is served, as the page names it (the paths, or the cluster) */
    public DashboardHtml(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    private String title() {
        return "phiguard serve: " + source;
    }

    /** The data of the network map for an answer, as {@code /api/map} serves it. */
    public String mapJson(AuditResult result, ConnectivityMap map, PhiScope phi) {
        return NetworkMapData.json(title(), "audit", map, phi, AuditHtmlFormatter.mapFindings(result),
                NetworkMapData.Limits.DEFAULT);
    }

    /**
     * The page's policy, sent as a header and repeated in the page: the map's (its scripts by hash,
     * nothing loaded), this page's script, and connections only back to the server.
     */
    public String contentSecurityPolicy() {
        NetworkMapHtml map = new NetworkMapHtml("{}", true);
        return map.contentSecurityPolicy() + " " + NetworkMapHtml.hash(SCRIPT) + "; connect-src 'self'";
    }

    /**
     * The page. Without an answer yet (the first read failed) it holds only the banner and waits;
     * its script reloads it when the first answer arrives.
     *
     * @param evaluatedAt identifies the answer drawn, so that the page knows when a newer one exists
     * @param mapJson from {@link #mapJson}, or null when there is no answer yet
     */
    public String page(String evaluatedAt, String mapJson) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(contentSecurityPolicy()).append("\">\n")
                .append("<meta name=\"generator\" content=\"phiguard\">\n")
                .append("<title>").append(escape(title())).append("</title>\n")
                .append("<style>\n").append(CSS).append(NetworkMapHtml.css()).append("</style>\n")
                .append("</head>\n<body data-evaluated-at=\"").append(escape(evaluatedAt == null ? "" : evaluatedAt))
                .append("\">\n<header class=\"pgdash\">\n<h1>").append(escape(title())).append("</h1>\n")
                .append("<p><span id=\"pgdash-verdict\" class=\"pgdash-verdict\"></span></p>\n")
                .append("<p>Last evaluated: <time id=\"pgdash-evaluated\">")
                .append(mapJson == null ? "not yet" : escape(evaluatedAt)).append("</time></p>\n")
                .append("<p class=\"pgdash-live\" id=\"pgdash-live\" aria-live=\"polite\">connecting for live")
                .append(" updates\u2026</p>\n</header>\n")
                .append("<div id=\"pgdash-banner\" class=\"pgdash-banner\" role=\"alert\" hidden></div>\n")
                .append("<main class=\"pgdash\">\n");
        if (mapJson == null) {
            out.append("<p class=\"pgdash-waiting\" id=\"pgdash-waiting\">No answer yet: the source cannot be read."
                    + " This page updates itself when it can.</p>\n");
        } else {
            String section = new NetworkMapHtml(mapJson, true).section();
            int data = section.indexOf("<script type=\"application/json\" id=\"pgmap-data\">");
            // the untouched markup, from which the script redraws the map for a new answer
            out.append("<template id=\"pgdash-map-template\">").append(section, 0, data).append("</template>\n")
                    .append(section.replace("<script>" + MAP_APP + "</script>",
                            "<script id=\"pgmap-app\">" + MAP_APP + "</script>"));
        }
        out.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    /** {@code 8 findings: 6 high, 1 medium, 1 low}, as the reports say it. */
    public static String verdict(AuditResult result) {
        return AuditMarkdownFormatter.verdict(result);
    }
}
