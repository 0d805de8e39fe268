package dev.phiguard.analysis;

import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PolicyPeer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a connection is allowed or refused: what the source's egress and the destination's
 * ingress each decide, and, rule by rule, whether the rule admits the peer and the ports.
 *
 * @param asked the connections asked about; every connection when no port was given
 * @param allowed the asked connections that both sides allow (for workloads whose pods differ:
 *     that some pod of the source may open to some pod of the destination)
 */
public record Explanation(Peer source, Peer destination, ConnectionSet asked, Side egress, Side ingress,
        ConnectionSet allowed) {

    public Explanation {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(asked, "asked");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(allowed, "allowed");
    }

    /** True when every asked connection is allowed (for a single port: that port is open). */
    public boolean fullyAllowed() {
        return allowed().equals(asked);
    }

    /** How one side treats a peer. */
    public enum Isolation {
        /** The side is an address outside the cluster; no policy governs it. */
        OUTSIDE_CLUSTER,
        /** No policy selects the workload for this direction: it allows everything. */
        NOT_ISOLATED,
        /** Policies select the workload for this direction: only their rules allow. */
        ISOLATED
    }

    /**
     * One side: the source's egress, or the destination's ingress.
     *
     * @param subject the workload whose policies decide, or the external peer
     * @param isolatingPolicies the policies that select the subject for this direction
     * @param allowed what this side allows of the asked connections
     * @param rules every rule of the isolating policies for this direction, judged against the other end
     */
    public record Side(Direction direction, Peer subject, Isolation isolation, List<NetworkPolicy> isolatingPolicies,
            ConnectionSet allowed, List<RuleMatch> rules) {
        public Side {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(isolation, "isolation");
            isolatingPolicies = List.copyOf(isolatingPolicies);
            Objects.requireNonNull(allowed, "allowed");
            rules = List.copyOf(rules);
        }

        /** The rules that allow some of the asked connections. */
        public List<RuleMatch> granting() {
            return rules.stream().filter(rule -> rule.outcome() == Outcome.GRANTS).toList();
        }
    }

    /** What a rule does for the connection asked about. */
    public enum Outcome {
        /** It admits the peer and some of the asked ports. */
        GRANTS,
        /** It admits the peer, but none of the asked ports. */
        PEER_ONLY,
        /** It covers some of the asked ports, but does not admit the peer. */
        PORTS_ONLY,
        /** It admits neither the peer nor any asked port. */
        NEITHER
    }

    /**
     * One rule judged against the other end of the connection.
     *
     * @param matchingPeer the peer item that admits the other end; empty when the rule admits
     *     everyone (no peers) or no item does
     * @param ports what the rule's ports mean on the destination
     * @param granted what it allows of the asked connections
     */
    public record RuleMatch(RuleRef rule, Outcome outcome, Optional<PolicyPeer> matchingPeer, ConnectionSet ports,
            ConnectionSet granted) {
        public RuleMatch {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(matchingPeer, "matchingPeer");
            Objects.requireNonNull(ports, "ports");
            Objects.requireNonNull(granted, "granted");
        }
    }
}
