package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import java.util.Map;
import java.util.Optional;

/**
 * NetworkPolicy's matching rules for one pod or address at a time: which pods a policy selects,
 * which peers a rule admits, which connections its ports mean on a destination. The analyzer
 * applies the same rules to whole classes of pods at once.
 */
public final class RuleEvaluator {
    private RuleEvaluator() {
    }

    /** Whether the policy selects pods with these labels in this namespace. */
    public static boolean selects(NetworkPolicy policy, String namespace, Map<String, String> podLabels) {
        return policy.namespace().equals(namespace) && policy.podSelector().matches(podLabels);
    }

    /**
     * Whether a selector peer of the policy matches a pod: the pod selector alone means the
     * policy's own namespace; the namespace selector alone, every pod of matching namespaces.
     */
    public static boolean matches(NetworkPolicy policy, PolicyPeer.SelectorPeer peer, String namespace,
            Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        Optional<LabelSelector> namespaceSelector = peer.namespaceSelector();
        if (namespaceSelector.isPresent()) {
            if (!namespaceSelector.get().matches(namespaceLabels)) {
                return false;
            }
        } else if (!namespace.equals(policy.namespace())) {
            return false;
        }
        return peer.podSelector().map(selector -> selector.matches(podLabels)).orElse(true);
    }

    /** Whether one peer item admits a pod; an ipBlock never does. */
    public static boolean matches(NetworkPolicy policy, PolicyPeer peer, String namespace,
            Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        return peer instanceof PolicyPeer.SelectorPeer selectorPeer
                && matches(policy, selectorPeer, namespace, namespaceLabels, podLabels);
    }

    /** Whether one peer item admits a whole range of addresses outside the cluster. */
    public static boolean matches(PolicyPeer peer, IpRange range) {
        return peer instanceof PolicyPeer.IpBlockPeer ipBlock && ipBlock.addresses().contains(range);
    }

    /** Whether a rule admits a pod: an empty peer list admits everything. */
    public static boolean admits(NetworkPolicy policy, PolicyRule rule, String namespace,
            Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        if (rule.matchesAllPeers()) {
            return true;
        }
        for (PolicyPeer peer : rule.peers()) {
            if (matches(policy, peer, namespace, namespaceLabels, podLabels)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a rule admits a range of addresses outside the cluster. */
    public static boolean admits(PolicyRule rule, IpRange range) {
        if (rule.matchesAllPeers()) {
            return true;
        }
        for (PolicyPeer peer : rule.peers()) {
            if (matches(peer, range)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connections a rule's ports mean towards a destination pod, named ports resolved on it;
     * with {@code destination} empty, towards an address outside the cluster, where names mean
     * nothing. No ports means every port of every protocol.
     */
    public static ConnectionSet ports(PolicyRule rule, Optional<PodTemplate> destination) {
        if (rule.matchesAllPorts()) {
            return ConnectionSet.ALL;
        }
        ConnectionSet result = ConnectionSet.NONE;
        for (PolicyPort port : rule.ports()) {
            result = result.union(port(port, destination));
        }
        return result;
    }

    /** What one port item means towards a destination, as {@link #ports} does for a rule. */
    public static ConnectionSet port(PolicyPort port, Optional<PodTemplate> destination) {
        if (port instanceof PolicyPort.AnyPort any) {
            return ConnectionSet.allOf(any.protocol());
        }
        if (port instanceof PolicyPort.PortNumbers numbers) {
            return ConnectionSet.of(numbers.protocol(), numbers.range());
        }
        PolicyPort.NamedPort named = (PolicyPort.NamedPort) port;
        return destination.map(template -> resolve(named, template)).orElse(ConnectionSet.NONE);
    }

    /** A named port on a pod: its container port of that name, when the protocol agrees. */
    public static ConnectionSet resolve(PolicyPort.NamedPort namedPort, PodTemplate destination) {
        for (ContainerPort port : destination.ports()) {
            if (port.name().equals(namedPort.name())) {
                // names are unique within a pod; a name declared for another protocol matches nothing
                return port.protocol() == namedPort.protocol()
                        ? ConnectionSet.of(port.protocol(), port.port())
                        : ConnectionSet.NONE;
            }
        }
        return ConnectionSet.NONE;
    }
}
