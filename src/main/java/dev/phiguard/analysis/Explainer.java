package dev.phiguard.analysis;

import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Explains one connection rule by rule. It evaluates the policies directly for the two ends
 * asked about, independently of the class-based analyzer, so each checks the other. Pure: no
 * I/O, no clock.
 */
public final class Explainer {
    private final Cluster cluster;

    private Explainer(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Explains traffic from {@code source} to {@code destination} on the {@code asked}
     * connections ({@link ConnectionSet#ALL} for "any"). An external end is an address range
     * outside the cluster, normally one address.
     *
     * @throws IllegalArgumentException when both ends are outside the cluster, or a workload is unknown
     */
    public static Explanation explain(Cluster cluster, Peer source, Peer destination, ConnectionSet asked) {
        Objects.requireNonNull(cluster, "cluster");
        if (source instanceof Peer.ExternalPeer && destination instanceof Peer.ExternalPeer) {
            throw new IllegalArgumentException("at least one end must be a workload: no policy governs traffic"
                    + " between two addresses outside the cluster");
        }
        Explainer explainer = new Explainer(cluster);
        Explanation.Side egress = explainer.side(Direction.EGRESS, source, destination, asked);
        Explanation.Side ingress = explainer.side(Direction.INGRESS, destination, source, asked);
        return new Explanation(source, destination, asked, egress, ingress);
    }

    private Workload workload(Peer peer) {
        Peer.WorkloadPeer workloadPeer = (Peer.WorkloadPeer) peer;
        return cluster.workload(workloadPeer.id()).orElseThrow(() -> new IllegalArgumentException(
                "no workload " + workloadPeer.id()));
    }

    private Map<String, String> namespaceLabels(String namespace) {
        return cluster.namespace(namespace).orElseGet(() -> Namespace.implicit(namespace)).labels();
    }

    /** The side of {@code subject} for the direction, judging its rules against {@code other}. */
    private Explanation.Side side(Direction direction, Peer subject, Peer other, ConnectionSet asked) {
        if (subject instanceof Peer.ExternalPeer) {
            return new Explanation.Side(direction, subject, Explanation.Isolation.OUTSIDE_CLUSTER, List.of(),
                    ConnectionSet.ALL, List.of());
        }
        Workload workload = workload(subject);
        List<NetworkPolicy> isolating = new ArrayList<>();
        for (NetworkPolicy policy : cluster.policies()) {
            if (policy.isolates(direction) && workload.templates().stream()
                    .anyMatch(t -> RuleEvaluator.selects(policy, workload.namespace(), t.labels()))) {
                isolating.add(policy);
            }
        }
        if (isolating.isEmpty()) {
            return new Explanation.Side(direction, subject, Explanation.Isolation.NOT_ISOLATED, List.of(),
                    ConnectionSet.ALL, List.of());
        }
        // named ports resolve on the destination: the subject for ingress, the other end for egress
        Optional<PodTemplate> destination = direction == Direction.INGRESS
                ? Optional.of(workload.templates().get(0))
                : other instanceof Peer.WorkloadPeer ? Optional.of(workload(other).templates().get(0))
                : Optional.empty();
        List<Explanation.RuleMatch> matches = new ArrayList<>();
        ConnectionSet allowed = ConnectionSet.NONE;
        for (NetworkPolicy policy : isolating) {
            for (PolicyRule rule : policy.rules(direction)) {
                Explanation.RuleMatch match = judge(policy, rule, other, destination, asked);
                matches.add(match);
                allowed = allowed.union(match.granted());
            }
        }
        return new Explanation.Side(direction, subject, Explanation.Isolation.ISOLATED, isolating, allowed, matches);
    }

    private Explanation.RuleMatch judge(NetworkPolicy policy, PolicyRule rule, Peer other,
            Optional<PodTemplate> destination, ConnectionSet asked) {
        Optional<PolicyPeer> matchingPeer = Optional.empty();
        boolean admits = rule.matchesAllPeers();
        if (!admits) {
            for (PolicyPeer peer : rule.peers()) {
                if (admits(policy, peer, other)) {
                    matchingPeer = Optional.of(peer);
                    admits = true;
                    break;
                }
            }
        }
        ConnectionSet ports = RuleEvaluator.ports(rule, destination);
        boolean portsMatch = ports.intersects(asked);
        ConnectionSet granted = admits ? ports.intersect(asked) : ConnectionSet.NONE;
        Explanation.Outcome outcome = admits
                ? (portsMatch ? Explanation.Outcome.GRANTS : Explanation.Outcome.PEER_ONLY)
                : (portsMatch ? Explanation.Outcome.PORTS_ONLY : Explanation.Outcome.NEITHER);
        return new Explanation.RuleMatch(RuleRef.of(policy, rule), outcome, matchingPeer, ports, granted);
    }

    private boolean admits(NetworkPolicy policy, PolicyPeer peer, Peer other) {
        if (other instanceof Peer.ExternalPeer external) {
            IpRange range = external.range();
            return RuleEvaluator.matches(peer, range);
        }
        Workload workload = workload(other);
        Map<String, String> labels = namespaceLabels(workload.namespace());
        return workload.templates().stream()
                .anyMatch(t -> RuleEvaluator.matches(policy, peer, workload.namespace(), labels, t.labels()));
    }
}
