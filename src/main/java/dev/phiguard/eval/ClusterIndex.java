package dev.phiguard.eval;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.SelectorIndex;
import dev.phiguard.model.Workload;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster prepared for evaluation. Workloads are grouped into endpoint classes: within a
 * namespace, pods on which every pod selector that can reach them agrees, and whose named
 * ports rules use resolve alike. Selectors are evaluated once per distinct label set, each
 * distinct peer set of all rules once, and every rule is then a bitset of classes plus the
 * ports it means.
 */
final class ClusterIndex {
    final Cluster cluster;
    final ConnectionTable table;
    final List<EndpointClass> classes;
    /** For each workload (by index), the classes of its pod templates. */
    final List<int[]> classesOfWorkload;
    final List<CompiledRule> compiledRules;
    /** For each direction and class: the rules of the policies that isolate it, or null when none does. */
    final CompiledRule[][][] rulesByClass;
    /** How many distinct {@link EndpointClass#namedPorts} there are: they number from 0. */
    final int namedPortsIdentities;
    /** What the classes were drawn from, for the index of a changed cluster to take them again. */
    private final Namespaces namespaces;
    private final Set<String> referencedPorts;
    /**
     * How often each selector is relevant where, and each port name referenced: for the next index
     * to update. Counted when first asked, by that next index: a whole audit never asks.
     */
    private Relevance relevance;
    /** Each policy compiled, for the index of a changed cluster to take again the policies that stayed. */
    private final Map<NetworkPolicy, CompiledPolicy> compiledPolicies = new HashMap<>();

    /** A policy compiled: the classes it selects, and its rules of each direction it isolates. */
    private record CompiledPolicy(BitSet selected, Map<Direction, List<CompiledRule>> rules) {
    }

    private ClusterIndex(Cluster cluster, ConnectionTable table, List<EndpointClass> classes,
            List<int[]> classesOfWorkload, List<CompiledRule> compiledRules, CompiledRule[][][] rulesByClass,
            Namespaces namespaces, Set<String> referencedPorts, Relevance relevance) {
        this.cluster = cluster;
        this.table = table;
        this.namespaces = namespaces;
        this.referencedPorts = referencedPorts;
        this.relevance = relevance;
        this.classes = classes;
        this.classesOfWorkload = classesOfWorkload;
        this.compiledRules = compiledRules;
        this.rulesByClass = rulesByClass;
        this.namedPortsIdentities = classes.stream().mapToInt(endpointClass -> endpointClass.namedPorts).max()
                .orElse(-1) + 1;
    }

    /** What the index needs to know about the namespaces while it is built. */
    private static final class Namespaces {
        final List<Namespace> list;
        final Map<String, Integer> index = new HashMap<>();
        /** For each namespace: the pod selectors that can decide about its pods, in a fixed order. */
        final List<Map<LabelSelector, Integer>> relevant = new ArrayList<>();
        /** For each namespace: its classes. */
        final List<List<EndpointClass>> classes = new ArrayList<>();
        /** Namespace selectors' answers: the same for every index over these namespaces, so shared with those. */
        final Map<LabelSelector, BitSet> matching;
        private final Map<Integer, SelectorIndex<Integer>> relevantIndexes = new HashMap<>();

        Namespaces(Cluster cluster) {
            list = cluster.namespaces();
            matching = new java.util.concurrent.ConcurrentHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                index.put(list.get(i).name(), i);
                relevant.add(new LinkedHashMap<>());
                classes.add(new ArrayList<>());
            }
        }

        /**
         * The namespaces of an earlier index, its relevant selectors numbered as there and its
         * classes, for compiling the rules of a cluster whose workloads, namespaces and relevant
         * selectors are the same.
         */
        Namespaces(Namespaces earlier) {
            list = earlier.list;
            matching = earlier.matching;
            index.putAll(earlier.index);
            relevant.addAll(earlier.relevant);
            classes.addAll(earlier.classes);
        }

        /** The namespaces a namespace selector matches, computed once per distinct selector. */
        BitSet matching(LabelSelector selector) {
            return matching.computeIfAbsent(selector, key -> {
                BitSet result = new BitSet(list.size());
                for (int i = 0; i < list.size(); i++) {
                    if (key.matches(list.get(i).labels())) {
                        result.set(i);
                    }
                }
                return result;
            });
        }

        void relevant(int namespace, LabelSelector selector) {
            relevant.get(namespace).putIfAbsent(selector, relevant.get(namespace).size());
        }

        /**
         * The relevant selectors of a namespace, indexed by the labels they require: namespaces
         * where many policies' peers apply have hundreds, and each pod template tries only a few.
         */
        SelectorIndex<Integer> relevantIndex(int namespace) {
            return relevantIndexes.computeIfAbsent(namespace, key -> new SelectorIndex<>(relevant.get(key)));
        }
    }

    static ClusterIndex of(Cluster cluster) {
        return of(cluster, null, false);
    }

    /**
     * The index of a cluster, taking the endpoint classes of an {@code earlier} index (null for
     * none) when the change since left them as they were: the same namespaces and workloads (as
     * the index reads them), the same pod selectors relevant in each namespace and the same named
     * ports referenced. Only the rules of policies that changed are compiled again then, when the
     * address ranges rules are cut at are as before ({@code sameRanges}), or all rules otherwise.
     * The index is the same either way.
     */
    static ClusterIndex of(Cluster cluster, ClusterIndex earlier, boolean sameRanges) {
        if (earlier != null && earlier.cluster.namespaces().equals(cluster.namespaces())
                && sameEndpoints(earlier.cluster.workloads(), cluster.workloads())
                && earlier.table.size() < TABLE_TAKEN_UP_TO) {
            // what the policies that came and went make relevant, counted against what they made relevant before
            Set<NetworkPolicy> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            gone.addAll(earlier.cluster.policies());
            List<NetworkPolicy> came = new ArrayList<>();
            for (NetworkPolicy policy : cluster.policies()) {
                if (!gone.remove(policy)) {
                    came.add(policy);
                }
            }
            Relevance relevance = earlier.relevance().after(gone, came, earlier.namespaces);
            if (relevance != null) {
                Namespaces taken = new Namespaces(earlier.namespaces);
                // the compiled rules hold ids of the table: it goes on with them
                ClusterIndex index = new ClusterIndex(cluster, earlier.table, earlier.classes,
                        earlier.classesOfWorkload, new ArrayList<>(),
                        new CompiledRule[Direction.values().length][earlier.classes.size()][], taken,
                        earlier.referencedPorts, relevance);
                index.compile(taken, sameRanges ? earlier : null);
                return index;
            }
        }
        Namespaces namespaces = new Namespaces(cluster);
        Set<String> referencedPorts = relevantSelectors(cluster, namespaces);
        return build(cluster, namespaces, referencedPorts);
    }

    private synchronized Relevance relevance() {
        if (relevance == null) {
            relevance = Relevance.of(cluster, namespaces);
        }
        return relevance;
    }

    /**
     * How many times each pod selector is relevant in each namespace, and each port name is
     * referenced, counted over the policies (a policy counts once per peer or rule that makes it
     * so): what stays relevant when policies go is what is still counted. Maps are shared between
     * the counts of indexes, and never changed once made.
     */
    private record Relevance(List<Map<LabelSelector, Integer>> selectors, Map<String, Integer> ports) {

        /** The counts over every policy of a cluster. */
        static Relevance of(Cluster cluster, Namespaces namespaces) {
            List<Map<LabelSelector, Integer>> selectors = new ArrayList<>();
            for (int n = 0; n < namespaces.list.size(); n++) {
                selectors.add(new HashMap<>());
            }
            Map<String, Integer> ports = new HashMap<>();
            for (NetworkPolicy policy : cluster.policies()) {
                forEachRelevant(policy, namespaces,
                        (namespace, selector) -> count(selectors.get(namespace), selector, 1),
                        port -> count(ports, port, 1));
            }
            return new Relevance(selectors, ports);
        }

        /**
         * The counts after the policies {@code gone} went and {@code came} came, or null when a
         * selector or a port name became relevant or stopped being: then the classes are drawn again.
         */
        Relevance after(java.util.Collection<NetworkPolicy> gone, List<NetworkPolicy> came, Namespaces namespaces) {
            List<Map<LabelSelector, Integer>> counted = new ArrayList<>(selectors);
            Map<String, Integer> referenced = gone.isEmpty() && came.isEmpty() ? ports : new HashMap<>(ports);
            boolean[] copied = new boolean[counted.size()];
            boolean[] same = {true};
            // those that came first: a key still counted by a policy that came is not one that went
            for (int sign : new int[] {1, -1}) {
                for (NetworkPolicy policy : sign < 0 ? gone : came) {
                    forEachRelevant(policy, namespaces, (namespace, selector) -> {
                        if (!copied[namespace]) {
                            counted.set(namespace, new HashMap<>(counted.get(namespace)));
                            copied[namespace] = true;
                        }
                        same[0] &= count(counted.get(namespace), selector, sign);
                    }, port -> same[0] &= count(referenced, port, sign));
                }
            }
            return same[0] ? new Relevance(counted, referenced) : null;
        }

        /** Adds {@code sign} to the key's count; false when the key appeared or went. */
        private static <K> boolean count(Map<K, Integer> counts, K key, int sign) {
            int now = counts.getOrDefault(key, 0) + sign;
            if (now == 0) {
                counts.remove(key);
            } else {
                counts.put(key, now);
            }
            return now > 0 && now - sign > 0;
        }
    }

    /**
     * Whether two lists hold the same workloads, in the same order, as far as the index reads
     * them: their ids and their pod templates' labels, ports and host networking (an autoscaler
     * changes replicas, a rollout restart a template's annotation, all day).
     */
    private static boolean sameEndpoints(List<Workload> before, List<Workload> after) {
        if (before.size() != after.size()) {
            return false;
        }
        for (int w = 0; w < before.size(); w++) {
            Workload was = before.get(w);
            Workload is = after.get(w);
            if (was != is && !(was.id().equals(is.id()) && sameTemplates(was.templates(), is.templates()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameTemplates(List<PodTemplate> before, List<PodTemplate> after) {
        if (before.size() != after.size()) {
            return false;
        }
        for (int t = 0; t < before.size(); t++) {
            PodTemplate was = before.get(t);
            PodTemplate is = after.get(t);
            if (!was.labels().equals(is.labels()) || !was.ports().equals(is.ports())
                    || was.hostNetwork() != is.hostNetwork()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Past this many connection sets, an index starts a table of its own: one taken on from index
     * to index would keep every set a long-running server ever met.
     */
    private static final int TABLE_TAKEN_UP_TO = 1 << 14;

    /**
     * Which pod selectors can decide about pods of which namespace: a policy's own, its peers
     * without a namespace selector there, and the pod selector of a peer wherever its namespace
     * selector matches; and the names of the ports rules refer to.
     */
    private static Set<String> relevantSelectors(Cluster cluster, Namespaces namespaces) {
        Set<String> referencedPorts = new TreeSet<>();
        for (NetworkPolicy policy : cluster.policies()) {
            forEachRelevant(policy, namespaces, namespaces::relevant, referencedPorts::add);
        }
        return referencedPorts;
    }

    /**
     * What one policy makes relevant: its pod selector and its peers' pod selectors in the
     * namespaces they apply to, and the names of the ports its rules refer to.
     */
    private static void forEachRelevant(NetworkPolicy policy, Namespaces namespaces,
            java.util.function.BiConsumer<Integer, LabelSelector> selectors,
            java.util.function.Consumer<String> ports) {
        int home = namespaces.index.get(policy.namespace());
        selectors.accept(home, policy.podSelector());
        for (Direction direction : Direction.values()) {
            for (PolicyRule rule : policy.rules(direction)) {
                for (PolicyPort port : rule.ports()) {
                    if (port instanceof PolicyPort.NamedPort named) {
                        ports.accept(named.name());
                    }
                }
                for (PolicyPeer peer : rule.peers()) {
                    if (peer instanceof PolicyPeer.SelectorPeer selectorPeer && selectorPeer.podSelector().isPresent()) {
                        LabelSelector pods = selectorPeer.podSelector().get();
                        if (selectorPeer.namespaceSelector().isEmpty()) {
                            selectors.accept(home, pods);
                        } else {
                            BitSet matched = namespaces.matching(selectorPeer.namespaceSelector().get());
                            for (int n = matched.nextSetBit(0); n >= 0; n = matched.nextSetBit(n + 1)) {
                                selectors.accept(n, pods);
                            }
                        }
                    }
                }
            }
        }
    }

    private static ClusterIndex build(Cluster cluster, Namespaces namespaces, Set<String> referencedPorts) {
        List<EndpointClass> classes = new ArrayList<>();
        List<int[]> classesOfWorkload = new ArrayList<>();
        Map<List<Object>, EndpointClass> byKey = new HashMap<>();
        Map<List<Object>, BitSet> signatures = new HashMap<>();
        Map<List<Object>, Integer> portSignatures = new HashMap<>();
        for (Workload workload : cluster.workloads()) {
            int namespace = namespaces.index.get(workload.namespace());
            Map<LabelSelector, Integer> relevant = namespaces.relevant.get(namespace);
            int[] ofWorkload = new int[workload.templates().size()];
            int t = 0;
            SelectorIndex<Integer> relevantIndex = namespaces.relevantIndex(namespace);
            for (PodTemplate template : workload.templates()) {
                BitSet selectors = signatures.computeIfAbsent(List.of(namespace, template.labels()), key -> {
                    BitSet bits = new BitSet(relevant.size());
                    relevantIndex.forEachMatch(template.labels(), bits::set);
                    return bits;
                });
                List<Object> ports = new ArrayList<>();
                for (ContainerPort port : template.ports()) {
                    if (port.isNamed() && referencedPorts.contains(port.name())) {
                        ports.add(port);
                    }
                }
                int namedPorts = portSignatures.computeIfAbsent(ports, key -> portSignatures.size());
                EndpointClass endpointClass = byKey.computeIfAbsent(List.of(namespace, selectors, namedPorts), key -> {
                    EndpointClass created = new EndpointClass(classes.size(), namespace, workload.namespace(),
                            namespaces.list.get(namespace).labels(), template, selectors, namedPorts);
                    classes.add(created);
                    namespaces.classes.get(namespace).add(created);
                    return created;
                });
                int workloadIndex = classesOfWorkload.size();
                if (!endpointClass.members.contains(workloadIndex)) {
                    endpointClass.members.add(workloadIndex);
                }
                ofWorkload[t++] = endpointClass.index;
            }
            classesOfWorkload.add(ofWorkload);
        }

        ClusterIndex index = new ClusterIndex(cluster, new ConnectionTable(), List.copyOf(classes),
                List.copyOf(classesOfWorkload), new ArrayList<>(),
                new CompiledRule[Direction.values().length][classes.size()][], namespaces, Set.copyOf(referencedPorts),
                null);
        index.compile(namespaces, null);
        return index;
    }

    /**
     * Compiles the rules of every policy, taking those of a policy an {@code earlier} index (null
     * for none) compiled over the same classes and address ranges as they are, and its rules per
     * class for the classes no added or removed policy selects, when the policies that stayed
     * come in the same order.
     */
    private void compile(Namespaces namespaces, ClusterIndex earlier) {
        Map<NetworkPolicy, CompiledPolicy> before = earlier == null ? Map.of() : earlier.compiledPolicies;
        Map<List<Object>, BitSet> peerSets = new HashMap<>();
        List<NetworkPolicy> stayed = new ArrayList<>();
        // per direction, the classes whose rules are put together again: those an added or removed policy
        // selects for that direction
        BitSet[] again = {new BitSet(classes.size()), new BitSet(classes.size())};
        for (NetworkPolicy policy : cluster.policies()) {
            CompiledPolicy compiledPolicy = before.get(policy);
            if (compiledPolicy == null) {
                int home = namespaces.index.get(policy.namespace());
                Map<Direction, List<CompiledRule>> rules = new java.util.EnumMap<>(Direction.class);
                for (Direction direction : policy.policyTypes()) {
                    List<CompiledRule> compiled = new ArrayList<>();
                    for (PolicyRule rule : policy.rules(direction)) {
                        compiled.add(compile(namespaces, peerSets, home, policy, rule));
                    }
                    rules.put(direction, List.copyOf(compiled));
                }
                compiledPolicy = new CompiledPolicy(podsOf(namespaces, home, policy.podSelector()), rules);
                selectAgain(again, compiledPolicy);
            } else {
                stayed.add(policy);
            }
            compiledPolicies.put(policy, compiledPolicy);
            for (Direction direction : policy.policyTypes()) {
                compiledRules.addAll(compiledPolicy.rules().get(direction));
            }
        }
        before.forEach((policy, compiledPolicy) -> {
            if (!compiledPolicies.containsKey(policy)) {
                selectAgain(again, compiledPolicy);
            }
        });
        // a class's rules come in the order of its policies: if those that stayed moved, every class is put together
        if (earlier == null || !stayed.equals(earlier.cluster.policies().stream()
                .filter(compiledPolicies::containsKey).toList())) {
            again[0].set(0, classes.size());
            again[1].set(0, classes.size());
        }
        List<List<CompiledRule>> ingress = new ArrayList<>();
        List<List<CompiledRule>> egress = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            ingress.add(null);
            egress.add(null);
        }
        for (NetworkPolicy policy : cluster.policies()) {
            CompiledPolicy compiledPolicy = compiledPolicies.get(policy);
            BitSet selected = compiledPolicy.selected();
            for (Direction direction : policy.policyTypes()) {
                if (!selected.intersects(again[direction.ordinal()])) {
                    continue;
                }
                List<CompiledRule> compiled = compiledPolicy.rules().get(direction);
                List<List<CompiledRule>> perClass = direction == Direction.INGRESS ? ingress : egress;
                for (int c = selected.nextSetBit(0); c >= 0; c = selected.nextSetBit(c + 1)) {
                    if (!again[direction.ordinal()].get(c)) {
                        continue;
                    }
                    if (perClass.get(c) == null) {
                        perClass.set(c, new ArrayList<>());
                    }
                    perClass.get(c).addAll(compiled);
                }
            }
        }
        // classes selected by the same policies share one array of rules
        Map<List<CompiledRule>, CompiledRule[]> shared = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Direction direction : Direction.values()) {
                List<CompiledRule> rules = (direction == Direction.INGRESS ? ingress : egress).get(c);
                if (!again[direction.ordinal()].get(c)) {
                    rulesByClass[direction.ordinal()][c] = earlier.rulesByClass[direction.ordinal()][c];
                } else if (rules != null) {
                    rulesByClass[direction.ordinal()][c] = shared.computeIfAbsent(rules,
                            list -> list.toArray(new CompiledRule[0]));
                }
            }
        }
    }

    /** Marks the classes a policy selects, in the directions it isolates, as to be put together again. */
    private static void selectAgain(BitSet[] again, CompiledPolicy policy) {
        for (Direction direction : policy.rules().keySet()) {
            again[direction.ordinal()].or(policy.selected());
        }
    }

    /** The classes of a namespace that a pod selector relevant there selects. */
    private BitSet podsOf(Namespaces namespaces, int namespace, LabelSelector selector) {
        BitSet result = new BitSet(classes.size());
        Integer bit = namespaces.relevant.get(namespace).get(selector);
        for (EndpointClass endpointClass : namespaces.classes.get(namespace)) {
            if (bit != null && endpointClass.selectors.get(bit)) {
                result.set(endpointClass.index);
            }
        }
        return result;
    }

    private CompiledRule compile(Namespaces namespaces, Map<List<Object>, BitSet> peerSets, int home,
            NetworkPolicy policy, PolicyRule rule) {
        BitSet peerClasses = new BitSet(classes.size());
        IpSet peerAddresses = IpSet.NONE;
        if (rule.matchesAllPeers()) {
            peerClasses.set(0, classes.size());
            peerAddresses = IpSet.ALL;
        }
        for (PolicyPeer peer : rule.peers()) {
            if (peer instanceof PolicyPeer.IpBlockPeer ipBlock) {
                peerAddresses = peerAddresses.union(ipBlock.addresses());
            } else if (peer instanceof PolicyPeer.SelectorPeer selectorPeer) {
                peerClasses.or(peerSet(namespaces, peerSets, home, selectorPeer));
            }
        }
        ConnectionSet fixedPorts = rule.matchesAllPorts() ? ConnectionSet.ALL : ConnectionSet.NONE;
        List<PolicyPort.NamedPort> namedPorts = new ArrayList<>();
        for (PolicyPort port : rule.ports()) {
            if (port instanceof PolicyPort.NamedPort named) {
                namedPorts.add(named);
            } else {
                fixedPorts = fixedPorts.union(RuleEvaluator.port(port, Optional.empty()));
            }
        }
        return new CompiledRule(policy, rule, peerClasses, peerAddresses, fixedPorts, namedPorts, table,
                namedPortsIdentities);
    }

    /** The classes one selector peer admits, computed once for all rules that name the same peer. */
    private BitSet peerSet(Namespaces namespaces, Map<List<Object>, BitSet> peerSets, int home,
            PolicyPeer.SelectorPeer peer) {
        List<Object> key = peer.namespaceSelector().isPresent()
                ? List.of(peer.namespaceSelector().get(), peer.podSelector().map(Object.class::cast).orElse("*"))
                : List.of(home, peer.podSelector().get());
        return peerSets.computeIfAbsent(key, ignored -> {
            if (peer.namespaceSelector().isEmpty()) {
                return podsOf(namespaces, home, peer.podSelector().get());
            }
            BitSet result = new BitSet(classes.size());
            namespaces.matching(peer.namespaceSelector().get()).stream().forEach(n -> {
                if (peer.podSelector().isPresent()) {
                    result.or(podsOf(namespaces, n, peer.podSelector().get()));
                } else {
                    namespaces.classes.get(n).forEach(endpointClass -> result.set(endpointClass.index));
                }
            });
            return result;
        });
    }

    /** The rules isolating a class in a direction, or null when it is not isolated. */
    CompiledRule[] rules(Direction direction, int endpointClass) {
        return rulesByClass[direction.ordinal()][endpointClass];
    }

    /** The address sets of every ipBlock of the given direction's rules. */
    static List<IpSet> ipBlocks(Cluster cluster, Direction direction) {
        List<IpSet> blocks = new ArrayList<>();
        for (NetworkPolicy policy : cluster.policies()) {
            for (PolicyRule rule : policy.rules(direction)) {
                for (PolicyPeer peer : rule.peers()) {
                    if (peer instanceof PolicyPeer.IpBlockPeer ipBlock) {
                        blocks.add(ipBlock.addresses());
                    }
                }
            }
        }
        return blocks;
    }

    /** Marks, for every rule of a direction, which of the ranges it admits. */
    void cutRanges(Direction direction, List<IpRange> ranges) {
        for (CompiledRule rule : compiledRules) {
            // a rule taken from an earlier index was cut at the same ranges, and may be read there still
            if (rule.rule.direction() != direction || rule.peerRanges != null) {
                continue;
            }
            BitSet admitted = new BitSet(ranges.size());
            if (!rule.peerAddresses.isEmpty()) {
                for (int r = 0; r < ranges.size(); r++) {
                    if (rule.peerAddresses.contains(ranges.get(r))) {
                        admitted.set(r);
                    }
                }
            }
            rule.peerRanges = admitted;
        }
    }
}
