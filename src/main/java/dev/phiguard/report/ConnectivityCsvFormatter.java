package dev.phiguard.report;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.DirectionVerdict;
import dev.phiguard.eval.RuleRef;
import java.util.StringJoiner;

/** One RFC 4180 row per allowed pair, with the rules that allow it on each side. */
public final class ConnectivityCsvFormatter implements ConnectivityFormatter {
    static final String HEADER = "source,destination,connections,egress_allowed_by,ingress_allowed_by";

    @Override
    public String format(ConnectivityMap map) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (Connection connection : map.connections()) {
            out.append(field(connection.source().toString())).append(',')
                    .append(field(connection.destination().toString())).append(',')
                    .append(field(connection.connections().toString())).append(',')
                    .append(field(rules(connection.egress()))).append(',')
                    .append(field(rules(connection.ingress()))).append("\r\n");
        }
        return out.toString();
    }

    /** {@code ns/policy egress[0]; ns/other egress[1]}, or a word when no rule decides. */
    static String rules(DirectionVerdict verdict) {
        return switch (verdict.isolation()) {
            case OUTSIDE_CLUSTER -> "(outside cluster)";
            case NOT_ISOLATED -> "(not isolated)";
            case ISOLATED -> {
                StringJoiner joiner = new StringJoiner("; ");
                for (RuleRef rule : verdict.allowedBy()) {
                    joiner.add(rule.toString());
                }
                yield joiner.toString();
            }
        };
    }

    private static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
