package dev.phiguard.analysis;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connections a change adds, removes and alters, pair by pair, sorted by source then
 * destination as printed. A pair absent from the diff connects alike before and after.
 *
 * <p>Address ranges outside the cluster are compared as the finest ranges both sides' ipBlocks
 * cut, then adjacent ranges that change alike for the same workload are joined again, so the
 * answer does not depend on where either side happens to cut the address space.
 */
public record ConnectivityDiff(List<ConnectionChange> changes) {
    private static final Comparator<ConnectionChange> ORDER = Comparator
            .comparing((ConnectionChange change) -> change.source().toString())
            .thenComparing(change -> change.destination().toString());

    public static final ConnectivityDiff EMPTY = new ConnectivityDiff(List.of());

    public ConnectivityDiff {
        List<ConnectionChange> sorted = new ArrayList<>(changes);
        sorted.sort(ORDER);
        changes = List.copyOf(sorted);
    }

    /**
     * The difference between two maps computed with the same address boundaries, so that their
     * external ranges are the same ranges.
     */
    public static ConnectivityDiff between(ConnectivityMap before, ConnectivityMap after) {
        Map<List<Peer>, Connection> beforeByPair = byPair(before);
        Map<List<Peer>, Connection> afterByPair = byPair(after);
        Set<List<Peer>> pairs = new LinkedHashSet<>(beforeByPair.keySet());
        pairs.addAll(afterByPair.keySet());
        List<ConnectionChange> changes = new ArrayList<>();
        for (List<Peer> pair : pairs) {
            Connection was = beforeByPair.get(pair);
            Connection now = afterByPair.get(pair);
            ConnectionSet wasAllowed = was == null ? ConnectionSet.NONE : was.connections();
            ConnectionSet nowAllowed = now == null ? ConnectionSet.NONE : now.connections();
            if (!wasAllowed.equals(nowAllowed)) {
                changes.add(new ConnectionChange(pair.get(0), pair.get(1), wasAllowed, nowAllowed, rules(was),
                        rules(now)));
            }
        }
        return new ConnectivityDiff(joinAdjacentRanges(changes));
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Pairs that could not connect before and can now. */
    public List<ConnectionChange> added() {
        return of(ConnectionChange.Kind.ADDED);
    }

    /** Pairs that could connect before and cannot now. */
    public List<ConnectionChange> removed() {
        return of(ConnectionChange.Kind.REMOVED);
    }

    /** Pairs that connect before and after, on different connections. */
    public List<ConnectionChange> changed() {
        return of(ConnectionChange.Kind.CHANGED);
    }

    /** The diff of the change undone: added and removed swap, gained and lost swap. */
    public ConnectivityDiff reversed() {
        return new ConnectivityDiff(changes.stream().map(ConnectionChange::reversed).toList());
    }

    private List<ConnectionChange> of(ConnectionChange.Kind kind) {
        return changes.stream().filter(change -> change.kind() == kind).toList();
    }

    private static Map<List<Peer>, Connection> byPair(ConnectivityMap map) {
        Map<List<Peer>, Connection> result = new HashMap<>();
        for (Connection connection : map.connections()) {
            result.put(List.of(connection.source(), connection.destination()), connection);
        }
        return result;
    }

    private static List<RuleRef> rules(Connection connection) {
        if (connection == null) {
            return List.of();
        }
        TreeSet<RuleRef> rules = new TreeSet<>(connection.egress().allowedBy());
        rules.addAll(connection.ingress().allowedBy());
        return new ArrayList<>(rules);
    }

    /**
     * Joins the changes of one workload to or from adjacent external ranges when they change
     * from the same connections to the same connections.
     */
    private static List<ConnectionChange> joinAdjacentRanges(List<ConnectionChange> changes) {
        List<ConnectionChange> result = new ArrayList<>();
        List<ConnectionChange> external = new ArrayList<>();
        for (ConnectionChange change : changes) {
            if (change.source() instanceof Peer.ExternalPeer || change.destination() instanceof Peer.ExternalPeer) {
                external.add(change);
            } else {
                result.add(change);
            }
        }
        external.sort(Comparator.comparing(ConnectivityDiff::workloadSide).thenComparing(ConnectivityDiff::range));
        ConnectionChange open = null;
        for (ConnectionChange change : external) {
            if (open != null && joinable(open, change)) {
                open = joined(open, change);
            } else {
                if (open != null) {
                    result.add(open);
                }
                open = change;
            }
        }
        if (open != null) {
            result.add(open);
        }
        return result;
    }

    /** The workload end and which end it is, e.g. {@code to phi/db[StatefulSet]}. */
    private static String workloadSide(ConnectionChange change) {
        return change.source() instanceof Peer.ExternalPeer ? "to " + change.destination() : "from " + change.source();
    }

    private static IpRange range(ConnectionChange change) {
        Peer external = change.source() instanceof Peer.ExternalPeer ? change.source() : change.destination();
        return ((Peer.ExternalPeer) external).range();
    }

    private static boolean joinable(ConnectionChange first, ConnectionChange next) {
        IpRange a = range(first);
        IpRange b = range(next);
        return workloadSide(first).equals(workloadSide(next)) && a.family() == b.family()
                && a.last().add(BigInteger.ONE).equals(b.first()) && first.before().equals(next.before())
                && first.after().equals(next.after());
    }

    private static ConnectionChange joined(ConnectionChange first, ConnectionChange next) {
        IpRange a = range(first);
        Peer external = new Peer.ExternalPeer(new IpRange(a.family(), a.first(), range(next).last()));
        boolean fromOutside = first.source() instanceof Peer.ExternalPeer;
        return new ConnectionChange(fromOutside ? external : first.source(),
                fromOutside ? first.destination() : external, first.before(), first.after(),
                union(first.beforeRules(), next.beforeRules()), union(first.afterRules(), next.afterRules()));
    }

    private static List<RuleRef> union(List<RuleRef> a, List<RuleRef> b) {
        TreeSet<RuleRef> all = new TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
