package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Peer;
import java.util.Objects;

/**
 * An allowed connection: the source may open {@code connections} to the destination because the
 * source's egress and the destination's ingress both allow them.
 */
public record Connection(Peer source, Peer destination, ConnectionSet connections, DirectionVerdict egress,
        DirectionVerdict ingress) {

    public Connection {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(ingress, "ingress");
    }

    /** The line of {@code connectivity -o txt}: {@code src => dst : conns}. */
    @Override
    public String toString() {
        return source + " => " + destination + " : " + connections;
    }
}
