package dev.phiguard.report;

import static dev.phiguard.report.AuditHtmlFormatter.escape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The interactive network map as a piece of an HTML page: its markup, its data, Cytoscape.js and
 * dagre inlined from their WebJars, the map's own script and style, and the Content-Security-Policy
 * that lets exactly those scripts run (by their SHA-256) and nothing load from anywhere.
 */
final class NetworkMapHtml {
    private static final String APP = WebLibrary.resource("/report/network-map.js");
    private static final String CSS = WebLibrary.resource("/report/network-map.css");

    private final String dataJson;
    private final boolean audit;
    private final List<WebLibrary> libraries = List.of(WebLibrary.cytoscape(), WebLibrary.dagre());

    /**
     * @param dataJson from {@link NetworkMapData#json}
     * @param audit whether the map has a findings panel
     */
    NetworkMapHtml(String dataJson, boolean audit) {
        this.dataJson = dataJson;
        this.audit = audit;
    }

    /**
     * The page's policy: nothing from anywhere ({@code default-src 'none'}), inline styles, images
     * only from data: and blob: URLs (the PNG snapshot), and only the scripts this class inlines.
     */
    String contentSecurityPolicy() {
        List<String> hashes = new ArrayList<>();
        for (WebLibrary library : libraries) {
            hashes.add(hash(library.code()));
        }
        hashes.add(hash(APP));
        return "default-src 'none'; style-src 'unsafe-inline'; img-src data: blob:; script-src "
                + String.join(" ", hashes);
    }

    static String css() {
        return CSS;
    }

    /** The map's section, its data and its scripts. */
    String section() {
        StringBuilder out = new StringBuilder();
        out.append("<section id=\"pgmap\" class=\"pgmap\" data-ready=\"false\" aria-label=\"Network map\">\n")
                .append("<div class=\"pgmap-toolbar\">\n")
                .append("<input type=\"search\" id=\"pgmap-search\" placeholder=\"Search workloads, namespaces,")
                .append(" addresses\" aria-label=\"Search\" autocomplete=\"off\">\n")
                .append("<details class=\"pgmap-ns\" id=\"pgmap-ns\"><summary>Namespaces</summary>")
                .append("<div class=\"pgmap-ns-panel\"><div class=\"pgmap-ns-buttons\">")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-ns-all\">All</button>")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-ns-none\">None</button></div>")
                .append("<div id=\"pgmap-ns-list\"></div></div></details>\n")
                .append("<input type=\"text\" id=\"pgmap-workload\" list=\"pgmap-workload-list\"")
                .append(" placeholder=\"Workload: it and its neighbours\" aria-label=\"Workload filter\"")
                .append(" autocomplete=\"off\">")
                .append("<datalist id=\"pgmap-workload-list\"></datalist>\n")
                .append("<input type=\"text\" id=\"pgmap-port\" placeholder=\"Port: 5432, 53/UDP\"")
                .append(" aria-label=\"Port filter\" autocomplete=\"off\">\n")
                .append("<label><input type=\"checkbox\" id=\"pgmap-phi-only\"> PHI only</label>\n")
                .append("<span class=\"pgmap-sep\"></span>\n")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-reset\">Reset</button>\n")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-fit\">Fit</button>\n")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-expand-all\">Expand all</button>\n")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-collapse-all\">Collapse all")
                .append("</button>\n")
                .append("<span class=\"pgmap-sep\"></span>\n")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-png\">Export PNG</button>\n")
                .append("<button type=\"button\" class=\"pgmap-button\" id=\"pgmap-svg\">Export SVG</button>\n")
                .append("</div>\n")
                .append("<ul id=\"pgmap-search-results\" class=\"pgmap-search-results\" hidden></ul>\n")
                .append("<div class=\"pgmap-body\">\n<div id=\"pgmap-canvas\" class=\"pgmap-canvas\"></div>\n")
                .append("<aside class=\"pgmap-side\">\n");
        if (audit) {
            out.append("<h3>Findings</h3>\n<ol id=\"pgmap-findings\" class=\"pgmap-findings\"></ol>\n");
        }
        out.append("<h3>Details</h3>\n<div id=\"pgmap-details\" class=\"pgmap-details\" aria-live=\"polite\"></div>\n")
                .append("<h3>Legend</h3>\n<ul class=\"pgmap-legend\">\n")
                .append("<li><span class=\"pgmap-key pgmap-key-zone\"></span>PHI zone: a namespace that holds PHI</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-phi\"></span>PHI workload</li>\n")
                .append("<li><span class=\"pgmap-key\"></span>workload</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-namespace\"></span>collapsed namespace (click to")
                .append(" expand)</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-external\"></span>addresses outside the cluster</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-finding\"></span>concerned by a finding</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-edge\"></span>allowed connection</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-edge-phi\"></span>connection into PHI</li>\n")
                .append("<li><span class=\"pgmap-key pgmap-key-edge-finding\"></span>connection that proves a")
                .append(" finding</li>\n</ul>\n</aside>\n</div>\n")
                .append("<div class=\"pgmap-statusbar\"><span>Showing <strong id=\"pgmap-count-workloads\">0</strong>")
                .append(" workloads, <strong id=\"pgmap-count-externals\">0</strong> address ranges,")
                .append(" <strong id=\"pgmap-count-namespaces\">0</strong> collapsed namespaces,")
                .append(" <strong id=\"pgmap-count-edges\">0</strong> arrows.</span> ")
                .append("<span id=\"pgmap-note\" class=\"pgmap-note\"></span>")
                .append(" <span id=\"pgmap-status\" aria-live=\"polite\"></span></div>\n")
                .append("<noscript><p>The network map needs JavaScript; everything else on this page reads without it.")
                .append("</p></noscript>\n")
                .append("</section>\n")
                .append("<script type=\"application/json\" id=\"pgmap-data\">\n").append(dataJson)
                .append("\n</script>\n");
        for (WebLibrary library : libraries) {
            out.append("<script data-library=\"").append(escape(library.label())).append("\">")
                    .append(library.code()).append("</script>\n");
        }
        out.append("<script>").append(APP).append("</script>\n");
        return out.toString();
    }

    /** A CSP source for the script text: {@code 'sha256-BASE64'}. */
    static String hash(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
