package dev.phiguard.report;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The nodes a drawing of a connectivity map has: every workload, grouped by namespace, and
 * every address range outside the cluster that some connection starts or ends at.
 */
record GraphPeers(SortedMap<String, List<WorkloadId>> namespaces, List<IpRange> externals) {

    static GraphPeers of(ConnectivityMap map) {
        SortedMap<String, List<WorkloadId>> namespaces = new TreeMap<>();
        for (WorkloadId id : map.workloads()) {
            namespaces.computeIfAbsent(id.namespace(), key -> new ArrayList<>()).add(id);
        }
        Set<WorkloadId> known = new HashSet<>(map.workloads());
        Set<IpRange> externals = new HashSet<>();
        for (Connection connection : map.connections()) {
            add(connection.source(), externals, known, namespaces);
            add(connection.destination(), externals, known, namespaces);
        }
        namespaces.values().forEach(list -> list.sort(null));
        return new GraphPeers(namespaces, externals.stream().sorted().toList());
    }

    private static void add(Peer peer, Set<IpRange> externals, Set<WorkloadId> known,
            Map<String, List<WorkloadId>> namespaces) {
        if (peer instanceof Peer.ExternalPeer external) {
            externals.add(external.range());
        } else if (peer instanceof Peer.WorkloadPeer workload && known.add(workload.id())) {
            // a map may name a peer its workload list lacks; draw it all the same
            namespaces.computeIfAbsent(workload.id().namespace(), key -> new ArrayList<>()).add(workload.id());
        }
    }

    /** A range as people read it: its CIDR when it is exactly one, else {@code first-last}. */
    static String label(IpRange range) {
        List<String> cidrs = range.toCidrs();
        return cidrs.size() == 1 ? cidrs.get(0) : range.toString();
    }
}
