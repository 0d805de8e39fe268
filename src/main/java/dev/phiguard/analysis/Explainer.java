package dev.phiguard.analysis;

import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Workload;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Explains one connection rule by rule. It evaluates the policies directly for the two ends
 * asked about, independently of the class-based analyzer, so each checks the other. A workload
 * whose pods differ (variants) allows what any pair of variants allows, as in the analyzer.
 * Pure: no I/O, no clock.
 */
public final class Explainer {
    private final Cluster cluster;

    private Explainer(Cluster cluster) {
        this.cluster = cluster;
    }

    /** One end of the connection: a pod variant of a workload, or addresses outside the cluster. */
    private record End(Peer peer, Optional<Workload> workload, Optional<PodTemplate> template) {
        boolean external() {
            return workload.isEmpty();
        }
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
        List<End> sources = explainer.ends(source);
        List<End> destinations = explainer.ends(destination);
        ConnectionSet allowed = ConnectionSet.NONE;
        for (End from : sources) {
            for (End to : destinations) {
                allowed = allowed.union(explainer.allows(Direction.EGRESS, from, to)
                        .intersect(explainer.allows(Direction.INGRESS, to, from)));
            }
        }
        Explanation.Side egress = explainer.side(Direction.EGRESS, source, sources, destinations, asked);
        Explanation.Side ingress = explainer.side(Direction.INGRESS, destination, destinations, sources, asked);
        return new Explanation(source, destination, asked, egress, ingress, allowed.intersect(asked));
    }

    private List<End> ends(Peer peer) {
        if (peer instanceof Peer.ExternalPeer) {
            return List.of(new End(peer, Optional.empty(), Optional.empty()));
        }
        Peer.WorkloadPeer workloadPeer = (Peer.WorkloadPeer) peer;
        Workload workload = cluster.workload(workloadPeer.id()).orElseThrow(() -> new IllegalArgumentException(
                "no workload " + workloadPeer.id()));
        List<End> ends = new ArrayList<>();
        for (PodTemplate template : workload.templates()) {
            ends.add(new End(peer, Optional.of(workload), Optional.of(template)));
        }
        return ends;
    }

    private Map<String, String> namespaceLabels(String namespace) {
        return cluster.namespace(namespace).orElseGet(() -> Namespace.implicit(namespace)).labels();
    }

    private List<NetworkPolicy> isolating(Direction direction, End subject) {
        List<NetworkPolicy> policies = new ArrayList<>();
        if (subject.external()) {
            return policies;
        }
        for (NetworkPolicy policy : cluster.policies()) {
            if (policy.isolates(direction) && RuleEvaluator.selects(policy, subject.workload().get().namespace(),
                    subject.template().get().labels())) {
                policies.add(policy);
            }
        }
        return policies;
    }

    /** What one variant allows towards (egress) or from (ingress) one variant of the other end. */
    private ConnectionSet allows(Direction direction, End subject, End other) {
        if (subject.external()) {
            return ConnectionSet.ALL;
        }
        List<NetworkPolicy> policies = isolating(direction, subject);
        if (policies.isEmpty()) {
            return ConnectionSet.ALL;
        }
        End destination = direction == Direction.INGRESS ? subject : other;
        ConnectionSet allowed = ConnectionSet.NONE;
        for (NetworkPolicy policy : policies) {
            for (PolicyRule rule : policy.rules(direction)) {
                if (admittingPeer(policy, rule, other).isPresent() || rule.matchesAllPeers()) {
                    allowed = allowed.union(RuleEvaluator.ports(rule, destination.template()));
                }
            }
        }
        return allowed;
    }

    /** The side of {@code subject}, over all its variants, judging its rules against every variant of the other end. */
    private Explanation.Side side(Direction direction, Peer subject, List<End> subjects, List<End> others,
            ConnectionSet asked) {
        if (subject instanceof Peer.ExternalPeer) {
            return new Explanation.Side(direction, subject, Explanation.Isolation.OUTSIDE_CLUSTER, List.of(),
                    ConnectionSet.ALL, List.of());
        }
        Set<NetworkPolicy> policies = new LinkedHashSet<>();
        boolean open = false;
        for (End variant : subjects) {
            List<NetworkPolicy> isolating = isolating(direction, variant);
            open |= isolating.isEmpty();
            policies.addAll(isolating);
        }
        if (open && policies.isEmpty()) {
            return new Explanation.Side(direction, subject, Explanation.Isolation.NOT_ISOLATED, List.of(),
                    ConnectionSet.ALL, List.of());
        }
        List<Explanation.RuleMatch> matches = new ArrayList<>();
        ConnectionSet allowed = open ? ConnectionSet.ALL : ConnectionSet.NONE;
        for (NetworkPolicy policy : cluster.policies()) {
            if (!policies.contains(policy)) {
                continue;
            }
            for (PolicyRule rule : policy.rules(direction)) {
                Explanation.RuleMatch match = judge(direction, policy, rule, subjects, others, asked);
                matches.add(match);
                allowed = allowed.union(match.granted());
            }
        }
        return new Explanation.Side(direction, subject,
                open ? Explanation.Isolation.NOT_ISOLATED : Explanation.Isolation.ISOLATED,
                new ArrayList<>(policies), allowed, matches);
    }

    private Explanation.RuleMatch judge(Direction direction, NetworkPolicy policy, PolicyRule rule,
            List<End> subjects, List<End> others, ConnectionSet asked) {
        Optional<PolicyPeer> matchingPeer = Optional.empty();
        boolean admits = rule.matchesAllPeers();
        for (End other : others) {
            Optional<PolicyPeer> peer = admittingPeer(policy, rule, other);
            if (peer.isPresent()) {
                matchingPeer = peer;
                admits = true;
                break;
            }
        }
        // named ports resolve on the destination: the subject for ingress, the other end for egress
        ConnectionSet ports = ConnectionSet.NONE;
        for (End destination : direction == Direction.INGRESS ? subjects : others) {
            ports = ports.union(RuleEvaluator.ports(rule, destination.template()));
        }
        boolean portsMatch = ports.intersects(asked);
        ConnectionSet granted = admits ? ports.intersect(asked) : ConnectionSet.NONE;
        Explanation.Outcome outcome = admits
                ? (portsMatch ? Explanation.Outcome.GRANTS : Explanation.Outcome.PEER_ONLY)
                : (portsMatch ? Explanation.Outcome.PORTS_ONLY : Explanation.Outcome.NEITHER);
        return new Explanation.RuleMatch(RuleRef.of(policy, rule), outcome, matchingPeer, ports, granted);
    }

    /** The first peer item of the rule that admits the end; empty for none (and for a rule without peers). */
    private Optional<PolicyPeer> admittingPeer(NetworkPolicy policy, PolicyRule rule, End other) {
        for (PolicyPeer peer : rule.peers()) {
            boolean admits = other.external()
                    ? RuleEvaluator.matches(peer, ((Peer.ExternalPeer) other.peer()).range())
                    : RuleEvaluator.matches(policy, peer, other.workload().get().namespace(),
                            namespaceLabels(other.workload().get().namespace()), other.template().get().labels());
            if (admits) {
                return Optional.of(peer);
            }
        }
        return Optional.empty();
    }
}
