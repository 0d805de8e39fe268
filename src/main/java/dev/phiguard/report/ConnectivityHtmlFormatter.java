package dev.phiguard.report;

import static dev.phiguard.report.AuditHtmlFormatter.escape;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The connectivity map as one self-contained HTML page: an interactive network map (Cytoscape.js
 * and dagre inlined, no network needed or allowed) with the PHI zone highlighted, filters by
 * namespace, workload and port, search, the rules behind every connection, and PNG and SVG
 * export. Large clusters open collapsed by namespace.
 */
public final class ConnectivityHtmlFormatter implements ConnectivityFormatter {
    private static final String PAGE_CSS = """
            html, body { margin: 0; height: 100%; }
            body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
              color: #1b1f24; background: #fff; display: flex; flex-direction: column; }
            header.page { padding: .7rem 1.1rem .5rem; display: flex; flex-wrap: wrap; align-items: baseline;
              gap: .2rem 1.2rem; }
            header.page h1 { font-size: 1.25rem; margin: 0; }
            header.page p { margin: 0; color: #57606a; }
            main.page { flex: 1; display: flex; padding: 0 .8rem .8rem; min-height: 0; }
            main.page .pgmap { flex: 1; height: auto; }
            """;

    private final PhiScope phi;
    private final String source;
    private final NetworkMapData.Limits limits;

    /**
     * @param phi which workloads hold PHI, as the audit decides it
     * @param source what was analysed, as the page's subtitle says it (e.g. the paths given)
     */
    public ConnectivityHtmlFormatter(PhiScope phi, String source) {
        this(phi, source, NetworkMapData.Limits.DEFAULT);
    }

    ConnectivityHtmlFormatter(PhiScope phi, String source, NetworkMapData.Limits limits) {
        this.phi = Objects.requireNonNull(phi, "phi");
        this.source = Objects.requireNonNull(source, "source");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public String format(ConnectivityMap map) {
        String title = "Network map: " + source;
        NetworkMapHtml html = new NetworkMapHtml(
                NetworkMapData.json(title, "connectivity", map, phi, List.of(), limits), false);
        long phiCount = map.workloads().stream().filter(phi::isPhi).count();
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(html.contentSecurityPolicy()).append("\">\n")
                .append("<meta name=\"generator\" content=\"phiguard\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(PAGE_CSS).append(NetworkMapHtml.css()).append("</style>\n")
                .append("</head>\n<body>\n<header class=\"page\">\n<h1>").append(escape(title)).append("</h1>\n")
                .append("<p>").append(escape(String.format(Locale.ROOT,
                        "%d workloads in %d namespaces, %d of them holding PHI; %,d allowed connections."
                                + " Every arrow is a connection NetworkPolicy allows; click one for the rules"
                                + " that allow it.",
                        map.workloads().size(), map.workloads().stream().map(id -> id.namespace()).distinct().count(),
                        phiCount, map.connections().size())))
                .append("</p>\n</header>\n<main class=\"page\">\n")
                .append(html.section())
                .append("</main>\n</body>\n</html>\n");
        return out.toString();
    }
}
