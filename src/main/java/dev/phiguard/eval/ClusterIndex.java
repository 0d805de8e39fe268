package dev.phiguard.eval;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Workload;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster prepared for evaluation: workloads grouped into endpoint classes, every rule's
 * peers resolved to classes and addresses once, and the NetworkPolicy tier built from them.
 */
final class ClusterIndex {
    final Cluster cluster;
    final List<EndpointClass> classes;
    final NetworkPolicyTier networkPolicyTier;
    final List<CompiledRule> compiledRules;

    private ClusterIndex(Cluster cluster, List<EndpointClass> classes, NetworkPolicyTier tier,
            List<CompiledRule> compiledRules) {
        this.cluster = cluster;
        this.classes = classes;
        this.networkPolicyTier = tier;
        this.compiledRules = compiledRules;
    }

    static ClusterIndex of(Cluster cluster) {
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (Namespace namespace : cluster.namespaces()) {
            namespaceLabels.put(namespace.name(), namespace.labels());
        }
        List<EndpointClass> classes = classify(cluster, namespaceLabels);

        Map<Direction, List<List<CompiledRule>>> rulesByClass = new EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            List<List<CompiledRule>> perClass = new ArrayList<>();
            for (int i = 0; i < classes.size(); i++) {
                perClass.add(null);
            }
            rulesByClass.put(direction, perClass);
        }
        List<CompiledRule> compiledRules = new ArrayList<>();
        for (NetworkPolicy policy : cluster.policies()) {
            BitSet selected = new BitSet(classes.size());
            for (EndpointClass endpointClass : classes) {
                if (RuleEvaluator.selects(policy, endpointClass.namespace, endpointClass.labels())) {
                    selected.set(endpointClass.index);
                }
            }
            for (Direction direction : policy.policyTypes()) {
                List<CompiledRule> compiled = new ArrayList<>();
                for (PolicyRule rule : policy.rules(direction)) {
                    compiled.add(compile(policy, rule, classes, namespaceLabels));
                }
                compiledRules.addAll(compiled);
                List<List<CompiledRule>> perClass = rulesByClass.get(direction);
                selected.stream().forEach(index -> {
                    if (perClass.get(index) == null) {
                        perClass.set(index, new ArrayList<>());
                    }
                    perClass.get(index).addAll(compiled);
                });
            }
        }
        return new ClusterIndex(cluster, classes, new NetworkPolicyTier(rulesByClass), List.copyOf(compiledRules));
    }

    private static List<EndpointClass> classify(Cluster cluster, Map<String, Map<String, String>> namespaceLabels) {
        Map<List<Object>, EndpointClass> byKey = new LinkedHashMap<>();
        List<Workload> workloads = cluster.workloads();
        for (int w = 0; w < workloads.size(); w++) {
            Workload workload = workloads.get(w);
            for (PodTemplate template : workload.templates()) {
                EndpointClass endpointClass = byKey.computeIfAbsent(
                        EndpointClass.key(workload.namespace(), template),
                        key -> new EndpointClass(byKey.size(), workload.namespace(),
                                namespaceLabels.get(workload.namespace()), template));
                if (!endpointClass.members.contains(w)) {
                    endpointClass.members.add(w);
                }
            }
        }
        return List.copyOf(byKey.values());
    }

    private static CompiledRule compile(NetworkPolicy policy, PolicyRule rule, List<EndpointClass> classes,
            Map<String, Map<String, String>> namespaceLabels) {
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
                for (EndpointClass endpointClass : classes) {
                    if (selects(policy, selectorPeer, endpointClass, namespaceLabels)) {
                        peerClasses.set(endpointClass.index);
                    }
                }
            }
        }
        ConnectionSet fixedPorts = rule.matchesAllPorts() ? ConnectionSet.ALL : ConnectionSet.NONE;
        List<PolicyPort.NamedPort> namedPorts = new ArrayList<>();
        for (PolicyPort port : rule.ports()) {
            if (port instanceof PolicyPort.AnyPort any) {
                fixedPorts = fixedPorts.union(ConnectionSet.allOf(any.protocol()));
            } else if (port instanceof PolicyPort.PortNumbers numbers) {
                fixedPorts = fixedPorts.union(ConnectionSet.of(numbers.protocol(), numbers.range()));
            } else if (port instanceof PolicyPort.NamedPort named) {
                namedPorts.add(named);
            }
        }
        return new CompiledRule(policy, rule, peerClasses, peerAddresses, fixedPorts, namedPorts);
    }

    private static boolean selects(NetworkPolicy policy, PolicyPeer.SelectorPeer peer, EndpointClass endpointClass,
            Map<String, Map<String, String>> namespaceLabels) {
        return RuleEvaluator.matches(policy, peer, endpointClass.namespace,
                namespaceLabels.get(endpointClass.namespace), endpointClass.labels());
    }

    /** True when any ipBlock of any policy names an address of the family. */
    boolean mentions(IpFamily family) {
        for (Direction direction : Direction.values()) {
            for (IpSet block : ipBlocks(direction)) {
                if (block.hasFamily(family)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The address sets of every ipBlock of the given direction's rules. */
    List<IpSet> ipBlocks(Direction direction) {
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
}
