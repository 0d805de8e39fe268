package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule with its peers resolved to endpoint classes and address ranges, and its ports split
 * into the part every destination shares and the named ports each destination resolves.
 */
final class CompiledRule {
    final NetworkPolicy policy;
    final PolicyRule rule;
    final RuleRef ref;
    /** Shared with every rule that names the same peers. */
    final BitSet peerClasses;
    final IpSet peerAddresses;
    /** Which address ranges of the analysis the rule admits (of its direction's cut). */
    BitSet peerRanges;
    final ConnectionSet fixedPorts;
    final int fixedPortsId;
    final List<PolicyPort.NamedPort> namedPorts;
    private final Map<Integer, Integer> byNamedPorts;

    CompiledRule(NetworkPolicy policy, PolicyRule rule, BitSet peerClasses, IpSet peerAddresses,
            ConnectionSet fixedPorts, List<PolicyPort.NamedPort> namedPorts, ConnectionTable table) {
        this.policy = policy;
        this.rule = rule;
        this.ref = RuleRef.of(policy, rule);
        this.peerClasses = peerClasses;
        this.peerAddresses = peerAddresses;
        this.fixedPorts = fixedPorts;
        this.fixedPortsId = table.id(fixedPorts);
        this.namedPorts = List.copyOf(namedPorts);
        this.byNamedPorts = namedPorts.isEmpty() ? Map.of() : new ConcurrentHashMap<>();
    }

    /** The connections this rule allows towards a destination of the given class, as an id. */
    int connectionsTo(EndpointClass destination, ConnectionTable table) {
        if (namedPorts.isEmpty()) {
            return fixedPortsId;
        }
        Integer known = byNamedPorts.get(destination.namedPorts);
        if (known == null) {
            ConnectionSet result = fixedPorts;
            for (PolicyPort.NamedPort namedPort : namedPorts) {
                result = result.union(RuleEvaluator.resolve(namedPort, destination.template));
            }
            known = table.id(result);
            byNamedPorts.put(destination.namedPorts, known);
        }
        return known;
    }

    /** Towards an address outside the cluster, where names mean nothing. */
    int connectionsToExternal() {
        return fixedPortsId;
    }
}
