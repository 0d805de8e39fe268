package dev.phiguard.eval;

import dev.phiguard.model.IpRange;

/** The other end of traffic a tier judges: pods of an endpoint class, or addresses outside the cluster. */
sealed interface Target {

    /** Pods of one endpoint class. */
    record Pods(EndpointClass endpointClass) implements Target {
    }

    /** A range of addresses that every policy treats alike. */
    record Addresses(IpRange range) implements Target {
    }
}
