package dev.phiguard.report;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import java.util.ArrayList;
import java.util.List;

/**
 * One line per allowed ordered pair, {@code src => dst : connections}, sorted as plain strings;
 * the format of np-guard's connectivity lists, so the two compare line for line.
 */
public final class ConnectivityTxtFormatter implements ConnectivityFormatter {

    @Override
    public String format(ConnectivityMap map) {
        List<String> lines = new ArrayList<>();
        for (Connection connection : map.connections()) {
            lines.add(connection.toString());
        }
        lines.sort(null);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
