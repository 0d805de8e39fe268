package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The connections between one workload and many peers that its own side treats alike: the same
 * connections, allowed by the same rules of the workload's policies. Peers come in parts, one
 * per endpoint class (or address range), each with the evidence of the far side, worked out only
 * when asked. Audits read fans rather than one {@link Connection} per pair, so that their cost
 * grows with the ways into and out of a workload, not with the pairs.
 */
public final class ConnectionFan {
    private final WorkloadId self;
    private final Direction direction;
    private final ConnectionSet connections;
    private final Lazy<DirectionVerdict> ownSide;
    private final List<Part> parts;
    private List<Peer> peers;

    /**
     * Works out the evidence of one side from the numbers of a map's classes, so that a part, of
     * which an audit makes millions, holds those numbers and not a closure of its own.
     */
    interface SideEvidence {
        DirectionVerdict side(Direction direction, int subject, int peer, int allowed);
    }

    /** Peers of one class (so of one namespace), or one address range, with the evidence of their side. */
    public static final class Part {
        private final List<Peer> peers;
        private final int sharedClass;
        // the far side, worked out when first asked: by the supplier, or by the evidence from the numbers
        private Supplier<DirectionVerdict> supplier;
        private final SideEvidence evidence;
        private final Direction farDirection;
        private final int farSubject;
        private final int farPeer;
        private final int allowed;
        private DirectionVerdict farSide;

        Part(List<Peer> peers, Supplier<DirectionVerdict> farSide) {
            this.peers = List.copyOf(peers);
            this.sharedClass = -1;
            this.supplier = Objects.requireNonNull(farSide, "farSide");
            this.evidence = null;
            this.farDirection = null;
            this.farSubject = -1;
            this.farPeer = -1;
            this.allowed = -1;
        }

        /** A part whose far side is {@code evidence.side(farDirection, farSubject, farPeer, allowed)}. */
        Part(List<Peer> peers, int sharedClass, SideEvidence evidence, Direction farDirection, int farSubject,
                int farPeer, int allowed) {
            this.peers = List.copyOf(peers);
            this.sharedClass = sharedClass;
            this.evidence = Objects.requireNonNull(evidence, "evidence");
            this.farDirection = farDirection;
            this.farSubject = farSubject;
            this.farPeer = farPeer;
            this.allowed = allowed;
        }

        /** The peers; a list shared by every fan that reaches the same class. */
        public List<Peer> peers() {
            return peers;
        }

        /**
         * The endpoint class (numbered within its map) whose members are exactly these peers, in the
         * one list every fan of the map shares for it; -1 when the peers are another list (the
         * workload's own class without itself, a range). Lets a reader remember per class.
         */
        public int sharedClass() {
            return sharedClass;
        }

        /** The peers' side of the connections: egress for an inbound fan, ingress for an outbound one. */
        public synchronized DirectionVerdict farSide() {
            if (farSide == null) {
                farSide = supplier != null ? supplier.get() : evidence.side(farDirection, farSubject, farPeer, allowed);
                supplier = null;
            }
            return farSide;
        }
    }

    ConnectionFan(WorkloadId self, Direction direction, ConnectionSet connections, Supplier<DirectionVerdict> ownSide,
            List<Part> parts) {
        this(self, direction, connections, ownSide, parts.toArray(new Part[0]));
    }

    /** A fan whose parts are in an array made for it alone, kept as it is rather than copied. */
    ConnectionFan(WorkloadId self, Direction direction, ConnectionSet connections, Supplier<DirectionVerdict> ownSide,
            Part[] parts) {
        this.self = Objects.requireNonNull(self, "self");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.ownSide = new Lazy<>(ownSide);
        this.parts = java.util.Collections.unmodifiableList(java.util.Arrays.asList(parts));
    }

    /** A fan of one peer, from a connection already worked out. */
    static ConnectionFan of(WorkloadId self, Direction direction, Connection connection) {
        boolean inbound = direction == Direction.INGRESS;
        Peer peer = inbound ? connection.source() : connection.destination();
        DirectionVerdict own = inbound ? connection.ingress() : connection.egress();
        DirectionVerdict far = inbound ? connection.egress() : connection.ingress();
        return new ConnectionFan(self, direction, connection.connections(), () -> own,
                List.of(new Part(List.of(peer), () -> far)));
    }

    /** The workload whose inbound (ingress) or outbound (egress) connections these are. */
    public WorkloadId self() {
        return self;
    }

    public Direction direction() {
        return direction;
    }

    /** What each peer may open to the workload (ingress), or the workload to each peer (egress). */
    public ConnectionSet connections() {
        return connections;
    }

    /** The workload's side of these connections: its ingress for an inbound fan, its egress for an outbound one. */
    public DirectionVerdict ownSide() {
        return ownSide.get();
    }

    public List<Part> parts() {
        return parts;
    }

    /** Every peer of every part; never {@link #self()}. */
    public synchronized List<Peer> peers() {
        if (peers == null) {
            List<Peer> all = new ArrayList<>();
            parts.forEach(part -> all.addAll(part.peers()));
            peers = Collections.unmodifiableList(all);
        }
        return peers;
    }

    /** The connection with one peer of one part. */
    public Connection connection(Part part, Peer peer) {
        Peer me = new Peer.WorkloadPeer(self);
        return direction == Direction.INGRESS ? new Connection(peer, me, connections, part.farSide(), ownSide())
                : new Connection(me, peer, connections, ownSide(), part.farSide());
    }

    /** A value computed once, on first use; safe across threads. */
    private static final class Lazy<T> {
        private Supplier<T> supplier;
        private T value;

        Lazy(Supplier<T> supplier) {
            this.supplier = Objects.requireNonNull(supplier, "supplier");
        }

        synchronized T get() {
            if (supplier != null) {
                value = supplier.get();
                supplier = null;
            }
            return value;
        }
    }
}
