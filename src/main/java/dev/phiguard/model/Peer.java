package dev.phiguard.model;

import java.util.Objects;

/** One end of a connection: a workload, or a range of addresses outside the cluster. */
public sealed interface Peer extends Comparable<Peer> {

    /** A workload of the cluster. */
    record WorkloadPeer(WorkloadId id) implements Peer {
        public WorkloadPeer {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String toString() {
            return id.toString();
        }
    }

    /** Addresses outside the cluster, printed {@code first-last[External]}. */
    record ExternalPeer(IpRange range) implements Peer {
        public ExternalPeer {
            Objects.requireNonNull(range, "range");
        }

        @Override
        public String toString() {
            return range + "[External]";
        }
    }

    /** Peers order as their printed forms do, so sorted output is sorted text. */
    @Override
    default int compareTo(Peer other) {
        if (this instanceof WorkloadPeer mine && other instanceof WorkloadPeer theirs) {
            return mine.id().compareTo(theirs.id());
        }
        return toString().compareTo(other.toString());
    }
}
