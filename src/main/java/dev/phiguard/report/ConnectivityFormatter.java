package dev.phiguard.report;

import dev.phiguard.eval.ConnectivityMap;

/** Renders a connectivity map in one output format. */
public interface ConnectivityFormatter {

    String format(ConnectivityMap map);
}
