package dev.phiguard.analysis;

import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster as the lint analyses read it: pod templates grouped into classes that every
 * selector treats alike (same namespace, labels and container ports), the address space outside
 * the cluster cut into atoms no ipBlock splits, and every rule as a bitset of peers over both.
 * Peers are numbered classes first, then atoms of the rule's direction.
 */
final class PolicyIndex {

    /** Pod templates no selector can tell apart; {@code members} are the workloads having one. */
    record PodClass(int index, String namespace, PodTemplate template, List<WorkloadId> members,
            int portsId) {
    }

    /**
     * A rule with its peers resolved, and its ports where they do not depend on the destination
     * ({@code namedPorts} false: always these).
     */
    record IndexedRule(int id, int policy, NetworkPolicy owner, PolicyRule rule, BitSet peers, ConnectionSet fixed,
            boolean namedPorts) {
    }

    final Cluster cluster;
    final List<PodClass> classes = new ArrayList<>();
    /** The classes of each namespace, so selectors are matched only where they can select. */
    final Map<String, List<PodClass>> classesByNamespace = new HashMap<>();
    /** For each direction and class: an id of the set of policies isolating it (-1 when none), shared by equal sets. */
    private final Map<Direction, int[]> groups = new HashMap<>();
    /** The classes of each workload's pod templates. */
    final Map<WorkloadId, List<PodClass>> classesOfWorkload = new HashMap<>();
    /** Workloads of more than one pod, whose pods connect to one another. */
    final java.util.Set<WorkloadId> manyPods = new java.util.HashSet<>();
    final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    /** Atoms of the address space outside the cluster, per direction of the rules that cut it. */
    final Map<Direction, List<IpSet>> atoms = new HashMap<>();
    /** For each policy: the classes it selects. */
    final List<BitSet> selected = new ArrayList<>();
    /** For each policy and direction: its rules. */
    final List<Map<Direction, List<IndexedRule>>> rules = new ArrayList<>();
    /** For each direction and class: the rules of the policies isolating it, or null when none does. */
    private final Map<Direction, List<List<IndexedRule>>> isolating = new HashMap<>();
    /** For each direction and class: the policies isolating it. */
    private final Map<Direction, List<BitSet>> isolatingPolicies = new HashMap<>();
    private final Map<List<Object>, BitSet> peerSets = new HashMap<>();
    /** Ids of the distinct container port lists, so that named ports resolve once per rule and list. */
    private final Map<List<ContainerPort>, Integer> portLists = new HashMap<>();
    private final Map<Long, ConnectionSet> resolved = new HashMap<>();
    private int ruleCount;

    private PolicyIndex(Cluster cluster) {
        this.cluster = cluster;
    }

    static PolicyIndex of(Cluster cluster) {
        PolicyIndex index = new PolicyIndex(cluster);
        index.build();
        return index;
    }

    private void build() {
        cluster.namespaces().forEach(namespace -> namespaces.put(namespace.name(), namespace));
        Map<List<Object>, PodClass> byKey = new HashMap<>();
        for (Workload workload : cluster.workloads()) {
            if (workload.replicas() > 1 || workload.templates().size() > 1) {
                manyPods.add(workload.id());
            }
            for (PodTemplate template : workload.templates()) {
                List<Object> key = List.of(workload.namespace(), template.labels(), template.ports());
                PodClass podClass = byKey.computeIfAbsent(key, ignored -> {
                    int portsId = portLists.computeIfAbsent(template.ports(), list -> portLists.size());
                    PodClass created = new PodClass(classes.size(), workload.namespace(),
                            template, new ArrayList<>(), portsId);
                    classes.add(created);
                    classesByNamespace.computeIfAbsent(created.namespace(), name -> new ArrayList<>()).add(created);
                    return created;
                });
                List<PodClass> ofWorkload = classesOfWorkload.computeIfAbsent(workload.id(), id -> new ArrayList<>());
                if (!ofWorkload.contains(podClass)) {
                    ofWorkload.add(podClass);
                    podClass.members().add(workload.id());
                }
            }
        }
        boolean ipv6 = false;
        Map<Direction, List<IpSet>> blocks = new HashMap<>();
        for (Direction direction : Direction.values()) {
            blocks.put(direction, new ArrayList<>());
        }
        for (NetworkPolicy policy : cluster.policies()) {
            for (Direction direction : Direction.values()) {
                for (PolicyRule rule : policy.rules(direction)) {
                    for (PolicyPeer peer : rule.peers()) {
                        if (peer instanceof PolicyPeer.IpBlockPeer ipBlock) {
                            blocks.get(direction).add(ipBlock.addresses());
                            ipv6 |= ipBlock.addresses().hasFamily(IpFamily.IPV6);
                        }
                    }
                }
            }
        }
        // as the connectivity map does, the IPv6 space counts only when a policy names it
        IpSet universe = ipv6 ? IpSet.ALL : IpSet.all(IpFamily.IPV4);
        for (Direction direction : Direction.values()) {
            atoms.put(direction, cut(universe, blocks.get(direction)));
        }
        for (Direction direction : Direction.values()) {
            List<List<IndexedRule>> perClass = new ArrayList<>();
            List<BitSet> policiesPerClass = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                perClass.add(null);
                policiesPerClass.add(new BitSet());
            }
            isolating.put(direction, perClass);
            isolatingPolicies.put(direction, policiesPerClass);
        }
        for (int p = 0; p < cluster.policies().size(); p++) {
            NetworkPolicy policy = cluster.policies().get(p);
            BitSet chosen = new BitSet(classes.size());
            for (PodClass podClass : classesByNamespace.getOrDefault(policy.namespace(), List.of())) {
                if (RuleEvaluator.selects(policy, podClass.namespace(), podClass.template().labels())) {
                    chosen.set(podClass.index());
                }
            }
            selected.add(chosen);
            Map<Direction, List<IndexedRule>> byDirection = new HashMap<>();
            for (Direction direction : Direction.values()) {
                List<IndexedRule> indexed = new ArrayList<>();
                for (PolicyRule rule : policy.rules(direction)) {
                    boolean named = rule.ports().stream().anyMatch(port -> port instanceof PolicyPort.NamedPort);
                    indexed.add(new IndexedRule(ruleCount++, p, policy, rule, peersOf(policy, rule),
                            RuleEvaluator.ports(rule, Optional.empty()), named));
                }
                byDirection.put(direction, List.copyOf(indexed));
                if (policy.isolates(direction)) {
                    List<List<IndexedRule>> perClass = isolating.get(direction);
                    int policyIndex = p;
                    chosen.stream().forEach(c -> {
                        if (perClass.get(c) == null) {
                            perClass.set(c, new ArrayList<>());
                        }
                        perClass.get(c).addAll(indexed);
                        isolatingPolicies.get(direction).get(c).set(policyIndex);
                    });
                }
            }
            rules.add(byDirection);
        }
        for (Direction direction : Direction.values()) {
            Map<BitSet, Integer> ids = new HashMap<>();
            int[] ofClass = new int[classes.size()];
            for (int c = 0; c < classes.size(); c++) {
                BitSet policies = isolatingPolicies.get(direction).get(c);
                ofClass[c] = policies.isEmpty() ? -1 : ids.computeIfAbsent(policies, key -> ids.size());
            }
            groups.put(direction, ofClass);
        }
    }

    /** Classes isolated by the same policies in a direction share this id; -1 when none isolates it. */
    int group(Direction direction, int podClass) {
        return groups.get(direction)[podClass];
    }

    /** Splits the universe at the edges of every block, keeping the non-empty pieces. */
    private static List<IpSet> cut(IpSet universe, List<IpSet> blocks) {
        List<IpSet> pieces = new ArrayList<>(List.of(universe));
        for (IpSet block : new java.util.LinkedHashSet<>(blocks)) {
            List<IpSet> next = new ArrayList<>();
            for (IpSet piece : pieces) {
                IpSet inside = piece.intersect(block);
                IpSet outside = piece.minus(block);
                if (!inside.isEmpty()) {
                    next.add(inside);
                }
                if (!outside.isEmpty()) {
                    next.add(outside);
                }
            }
            pieces = next;
        }
        return List.copyOf(pieces);
    }

    private BitSet peersOf(NetworkPolicy policy, PolicyRule rule) {
        BitSet peers = new BitSet();
        List<IpSet> directionAtoms = atoms.get(rule.direction());
        if (rule.matchesAllPeers()) {
            peers.set(0, classes.size() + directionAtoms.size());
            return peers;
        }
        for (PolicyPeer peer : rule.peers()) {
            if (peer instanceof PolicyPeer.SelectorPeer selectorPeer) {
                peers.or(classesOf(policy.namespace(), selectorPeer));
            } else if (peer instanceof PolicyPeer.IpBlockPeer ipBlock) {
                for (int a = 0; a < directionAtoms.size(); a++) {
                    if (ipBlock.addresses().containsAll(directionAtoms.get(a))) {
                        peers.set(classes.size() + a);
                    }
                }
            }
        }
        return peers;
    }

    /** The classes a selector peer of a policy in {@code home} admits, computed once per distinct peer. */
    BitSet classesOf(String home, PolicyPeer.SelectorPeer peer) {
        List<Object> key = List.of(peer.namespaceSelector().isPresent() ? peer.namespaceSelector() : home,
                peer.podSelector());
        return peerSets.computeIfAbsent(key, ignored -> {
            BitSet result = new BitSet(classes.size());
            List<String> where = peer.namespaceSelector().map(this::namespacesMatching).orElse(List.of(home));
            for (String namespace : where) {
                for (PodClass podClass : classesByNamespace.getOrDefault(namespace, List.of())) {
                    if (peer.podSelector().map(selector -> selector.matches(podClass.template().labels())).orElse(true)) {
                        result.set(podClass.index());
                    }
                }
            }
            return result;
        });
    }

    /** The namespaces a namespace selector matches. */
    List<String> namespacesMatching(LabelSelector selector) {
        List<String> matching = new ArrayList<>();
        namespaces.values().forEach(namespace -> {
            if (selector.matches(namespace.labels())) {
                matching.add(namespace.name());
            }
        });
        return matching;
    }

    int peerCount(Direction direction) {
        return classes.size() + atoms.get(direction).size();
    }

    boolean isClass(int peer) {
        return peer < classes.size();
    }

    /** The rules of the policies isolating a class in a direction, or null when it is not isolated. */
    List<IndexedRule> isolatingRules(Direction direction, int podClass) {
        return isolating.get(direction).get(podClass);
    }

    BitSet isolatingPolicies(Direction direction, int podClass) {
        return isolatingPolicies.get(direction).get(podClass);
    }

    /**
     * What a rule allows towards a destination: a class's template for ingress subjects or
     * egress peers, or nothing (an address outside the cluster, where names mean nothing).
     */
    ConnectionSet ports(IndexedRule rule, Direction direction, int subject, int peer) {
        int destination = direction == Direction.INGRESS ? subject : peer;
        if (!rule.namedPorts() || !isClass(destination)) {
            return rule.fixed();
        }
        PodClass target = classes.get(destination);
        return resolved.computeIfAbsent(((long) rule.id() << 32) | target.portsId(),
                key -> RuleEvaluator.ports(rule.rule(), Optional.of(target.template())));
    }

    /** What one side allows: everything when not isolated, else the union of the admitting rules. */
    ConnectionSet allowed(Direction direction, int subject, int peer) {
        List<IndexedRule> governing = isolatingRules(direction, subject);
        if (governing == null) {
            return ConnectionSet.ALL;
        }
        ConnectionSet result = ConnectionSet.NONE;
        for (IndexedRule rule : governing) {
            if (rule.peers().get(peer)) {
                result = result.union(ports(rule, direction, subject, peer));
            }
        }
        return result;
    }

    /**
     * True when the two classes hold two different pods: two workloads, or the pods of one
     * workload of several replicas, which talk to one another (a database cluster, a broker's peers)
     * although the connectivity map lists no workload's connections to itself.
     */
    boolean distinctPods(int first, int second) {
        List<WorkloadId> a = classes.get(first).members();
        List<WorkloadId> b = classes.get(second).members();
        return a.size() > 1 || b.size() > 1 || !a.get(0).equals(b.get(0)) || manyPods.contains(a.get(0));
    }

    /** Whether a class declares a container port in the set. */
    static boolean declares(PodTemplate template, ConnectionSet connections) {
        for (ContainerPort port : template.ports()) {
            if (connections.contains(port.protocol(), port.port())) {
                return true;
            }
        }
        return false;
    }
}
