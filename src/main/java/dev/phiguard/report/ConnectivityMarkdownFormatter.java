package dev.phiguard.report;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;

/** A Markdown table of allowed pairs, for pull-request comments and wikis. */
public final class ConnectivityMarkdownFormatter implements ConnectivityFormatter {

    @Override
    public String format(ConnectivityMap map) {
        StringBuilder out = new StringBuilder();
        out.append("| source | destination | connections | egress allowed by | ingress allowed by |\n");
        out.append("|---|---|---|---|---|\n");
        for (Connection connection : map.connections()) {
            out.append("| ").append(cell(connection.source().toString()))
                    .append(" | ").append(cell(connection.destination().toString()))
                    .append(" | ").append(cell(connection.connections().toString()))
                    .append(" | ").append(cell(ConnectivityCsvFormatter.rules(connection.egress())))
                    .append(" | ").append(cell(ConnectivityCsvFormatter.rules(connection.ingress())))
                    .append(" |\n");
        }
        if (map.connections().isEmpty()) {
            out.append("| _no connection is allowed_ | | | | |\n");
        }
        return out.toString();
    }

    /** Escapes what Markdown would read as table syntax; ids hold no other markup. */
    private static String cell(String value) {
        return value.replace("|", "\\|");
    }
}
