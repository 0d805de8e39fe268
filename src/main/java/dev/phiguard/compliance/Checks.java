package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectionFan;
import dev.phiguard.eval.DirectionVerdict;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.Peer;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Function;

/** Small things every check needs: where to point, and how to say which rules allow what. */
final class Checks {
    private Checks() {
    }

    /** The rules on either side that allow a connection, sorted and without repeats. */
    static List<RuleRef> rules(Connection connection) {
        TreeSet<RuleRef> rules = new TreeSet<>(connection.ingress().allowedBy());
        rules.addAll(connection.egress().allowedBy());
        return new ArrayList<>(rules);
    }

    /**
     * Where a connection is allowed on one side: the first rule that allows it, or, when that side
     * is not isolated, the workload itself.
     */
    static SourceRef location(DirectionVerdict side, Workload workload) {
        if (!side.allowedBy().isEmpty()) {
            return side.allowedBy().get(0).ruleSource();
        }
        return workload.source();
    }

    /** A namespace's object, or the first workload in it when the namespace is known only by name. */
    static SourceRef location(AuditContext context, String namespace) {
        Namespace known = context.namespace(namespace).orElse(null);
        if (known != null && !known.isImplicit()) {
            return known.source();
        }
        List<Workload> inNamespace = context.workloadsIn(namespace);
        return inNamespace.isEmpty() ? SourceRef.UNKNOWN : inNamespace.get(0).source();
    }

    /**
     * Connections in words, short either way: {@code TCP 8080}, or, when most ports are in it,
     * {@code every port but TCP 443}.
     */
    static String ports(ConnectionSet connections) {
        if (connections.isAll() || connections.isEmpty()) {
            return connections.toString();
        }
        ConnectionSet rest = connections.complement();
        return rest.toString().length() < connections.toString().length()
                ? "every port but " + rest : connections.toString();
    }

    /**
     * Peers with their connections, for messages: adjacent address ranges with the same
     * connections are merged, so "the whole internet" reads as one range, not a dozen.
     */
    static String peers(List<Map.Entry<Peer, ConnectionSet>> entries) {
        List<String> parts = new ArrayList<>();
        List<Map.Entry<IpRange, ConnectionSet>> ranges = new ArrayList<>();
        for (Map.Entry<Peer, ConnectionSet> entry : entries) {
            if (entry.getKey() instanceof Peer.ExternalPeer external) {
                ranges.add(Map.entry(external.range(), entry.getValue()));
            } else {
                parts.add(entry.getKey() + " : " + ports(entry.getValue()));
            }
        }
        // printed order is textual; merging needs address order
        ranges.sort(Map.Entry.comparingByKey());
        IpRange pending = null;
        ConnectionSet pendingPorts = null;
        List<String> merged = new ArrayList<>();
        for (Map.Entry<IpRange, ConnectionSet> entry : ranges) {
            IpRange range = entry.getKey();
            if (pending != null && pendingPorts.equals(entry.getValue()) && pending.family() == range.family()
                    && pending.last().add(java.math.BigInteger.ONE).equals(range.first())) {
                pending = new IpRange(range.family(), pending.first(), range.last());
                continue;
            }
            if (pending != null) {
                merged.add(pending + "[External] : " + ports(pendingPorts));
            }
            pending = range;
            pendingPorts = entry.getValue();
        }
        if (pending != null) {
            merged.add(pending + "[External] : " + ports(pendingPorts));
        }
        merged.addAll(parts);
        return String.join("; ", merged);
    }

    /**
     * Like {@link #peers(List)}, naming every address range but only the first {@code limit}
     * workloads, and counting the rest.
     */
    static String peers(List<Map.Entry<Peer, ConnectionSet>> entries, int limit) {
        List<Map.Entry<Peer, ConnectionSet>> workloads = entries.stream()
                .filter(entry -> entry.getKey() instanceof Peer.WorkloadPeer).toList();
        if (workloads.size() <= limit) {
            return peers(entries);
        }
        List<Map.Entry<Peer, ConnectionSet>> listed = new ArrayList<>(entries.stream()
                .filter(entry -> entry.getKey() instanceof Peer.ExternalPeer).toList());
        listed.addAll(firstByName(workloads, Map.Entry::getKey, limit));
        return peers(listed) + String.format(Locale.ROOT, " and %,d more workloads", workloads.size() - limit);
    }

    /** The first {@code n} entries, for messages that must stay short on big clusters. */
    static <T> List<T> first(List<T> items, int n) {
        return items.size() <= n ? items : items.subList(0, n);
    }

    /**
     * The {@code n} items whose names print first, in that order, keeping only {@code n} while
     * scanning: a PHI workload may have thousands of sources.
     */
    static <T, K extends Comparable<? super K>> List<T> firstByName(List<T> items, Function<T, K> name, int n) {
        Comparator<T> byName = Comparator.comparing(name);
        PriorityQueue<T> kept = new PriorityQueue<>(byName.reversed());
        for (T item : items) {
            if (kept.size() < n) {
                kept.add(item);
            } else if (byName.compare(item, kept.peek()) < 0) {
                kept.poll();
                kept.add(item);
            }
        }
        List<T> sorted = new ArrayList<>(kept);
        sorted.sort(byName);
        return sorted;
    }

    /**
     * Peers of one fan, sorted by name, that a finding counts alike, with the connections it counts;
     * {@code size} is how many peers, kept apart because findings count thousands of chunks, each
     * with its peers elsewhere in memory.
     */
    record Chunk(ConnectionFan fan, ConnectionFan.Part part, List<Peer> peers, ConnectionSet connections,
            int[] ranks, int size) {
        /** A chunk whose peers' ranks are looked up when needed. */
        Chunk(ConnectionFan fan, ConnectionFan.Part part, List<Peer> peers, ConnectionSet connections) {
            this(fan, part, peers, connections, null, peers.size());
        }

        /** A chunk of one of a fan part's groups of peers, whose ranks the groups hold. */
        Chunk(ConnectionFan fan, ConnectionFan.Part part, AuditContext.PeerGroups groups, List<Peer> peers,
                ConnectionSet connections) {
            this(fan, part, peers, connections, groups.ranks(peers), peers.size());
        }

        Connection connection(Peer peer) {
            return fan.connection(part, peer);
        }
    }

    /**
     * What a finding forbids: each peer of the chunks, with its chunk's connections, granted to or
     * by the subject. Loops, not lambdas: the checks that call this are large methods compiled while
     * the audit runs, and a lambda first met late makes the compiler start them again.
     */
    static List<Finding.Grant> grants(WorkloadId subject, Direction direction, List<Chunk> chunks) {
        List<Finding.Grant> grants = new ArrayList<>();
        for (Chunk chunk : chunks) {
            for (Peer peer : chunk.peers()) {
                grants.add(new Finding.Grant(subject, direction, peer, chunk.connections()));
            }
        }
        return grants;
    }

    /** How many peers the chunks hold. */
    static int count(List<Chunk> chunks) {
        int count = 0;
        for (Chunk chunk : chunks) {
            count += chunk.size();
        }
        return count;
    }

    /** The first {@code n} peers of the chunks by name, each with its chunk. */
    static List<Map.Entry<Peer, Chunk>> firstPeers(AuditContext context, List<Chunk> chunks, int n) {
        if (n <= 0) {
            return List.of();
        }
        // each chunk is sorted, so the first n peers lie in the n chunks whose first peers come first: merge those.
        // They are found as the rank of the first peer and the chunk's index in one long each, kept sorted: n is
        // small, there may be thousands of chunks, and most come after the n kept so far
        long[] heads = new long[n];
        int kept = 0;
        for (int c = 0; c < chunks.size(); c++) {
            Chunk chunk = chunks.get(c);
            if (chunk.size() == 0) {
                continue;
            }
            long head = (long) Cursor.rank(context, chunk, 0) << Integer.SIZE | c;
            if (kept == n && head >= heads[n - 1]) {
                continue;
            }
            int at = kept == n ? n - 1 : kept++;
            for (; at > 0 && heads[at - 1] > head; at--) {
                heads[at] = heads[at - 1];
            }
            heads[at] = head;
        }
        PriorityQueue<Cursor> queue = new PriorityQueue<>();
        for (int h = 0; h < kept; h++) {
            queue.add(new Cursor(chunks.get((int) heads[h]), 0, (int) (heads[h] >>> Integer.SIZE)));
        }
        List<Map.Entry<Peer, Chunk>> first = new ArrayList<>();
        while (first.size() < n && !queue.isEmpty()) {
            Cursor cursor = queue.poll();
            first.add(Map.entry(cursor.chunk().peers().get(cursor.index()), cursor.chunk()));
            if (cursor.index() + 1 < cursor.chunk().peers().size()) {
                queue.add(new Cursor(context, cursor.chunk(), cursor.index() + 1));
            }
        }
        return first;
    }

    /** A place in a chunk, ordered by the printed order of the peer there. */
    private record Cursor(Chunk chunk, int index, int rank) implements Comparable<Cursor> {
        Cursor(AuditContext context, Chunk chunk, int index) {
            this(chunk, index, rank(context, chunk, index));
        }

        static int rank(AuditContext context, Chunk chunk, int index) {
            return chunk.ranks() != null ? chunk.ranks()[index] : context.rank(chunk.peers().get(index));
        }

        @Override
        public int compareTo(Cursor other) {
            return Integer.compare(rank, other.rank);
        }
    }

    /** How a side allows a connection, for messages: {@code allowed by ns/p ingress[0]} or {@code not isolated}. */
    static String how(DirectionVerdict side) {
        return switch (side.isolation()) {
            case NOT_ISOLATED -> "no policy isolates it";
            case OUTSIDE_CLUSTER -> "outside the cluster";
            case ISOLATED -> "allowed by " + String.join(", ", side.allowedBy().stream().map(RuleRef::toString).toList());
        };
    }
}
