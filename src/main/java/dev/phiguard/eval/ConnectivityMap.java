package dev.phiguard.eval;

import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who can reach whom: every ordered pair of peers with a non-empty set of allowed connections,
 * sorted by source then destination as printed, and the peers the analysis considered.
 */
public record ConnectivityMap(List<Connection> connections, List<WorkloadId> workloads,
        List<IpRange> externalSources, List<IpRange> externalDestinations) {

    private static final Comparator<Connection> ORDER = Comparator
            .comparing((Connection connection) -> connection.source().toString())
            .thenComparing(connection -> connection.destination().toString());

    public ConnectivityMap {
        List<Connection> sorted = new ArrayList<>(connections);
        sorted.sort(ORDER);
        connections = List.copyOf(sorted);
        workloads = workloads.stream().sorted().toList();
        externalSources = List.copyOf(externalSources);
        externalDestinations = List.copyOf(externalDestinations);
    }

    /** The connection from one peer to another, if any is allowed. */
    public Optional<Connection> between(Peer source, Peer destination) {
        for (Connection connection : connections) {
            if (connection.source().equals(source) && connection.destination().equals(destination)) {
                return Optional.of(connection);
            }
        }
        return Optional.empty();
    }

    /** The same map keeping only the connections that satisfy {@code keep}. */
    public ConnectivityMap filter(Predicate<Connection> keep) {
        return new ConnectivityMap(connections.stream().filter(keep).toList(), workloads, externalSources,
                externalDestinations);
    }
}
