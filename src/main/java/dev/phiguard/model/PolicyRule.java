package dev.phiguard.model;

import java.util.List;
import java.util.Objects;

/**
 * One ingress or egress rule. An empty peer list matches every peer, every address included; an
 * empty port list matches every port of every protocol.
 */
public record PolicyRule(Direction direction, int index, List<PolicyPeer> peers, List<PolicyPort> ports,
        SourceRef source) {
    public PolicyRule {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(source, "source");
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
        if (index < 0) {
            throw new IllegalArgumentException("Negative rule index: " + index);
        }
    }

    public boolean matchesAllPeers() {
        return peers.isEmpty();
    }

    public boolean matchesAllPorts() {
        return ports.isEmpty();
    }

    /** {@code ingress[0]}, as in the policy's YAML. */
    public String label() {
        return (direction == Direction.INGRESS ? "ingress[" : "egress[") + index + "]";
    }
}
