package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import java.util.BitSet;
import java.util.List;

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
    /**
     * Per named-ports identity of a destination ({@link EndpointClass#namedPorts}), the id of its
     * connections plus one, 0 until first asked. Read for every pair in the inner loop, so a plain
     * array: threads that race to fill an entry write the same value, and a 0 only means asking again.
     */
    private final int[] byNamedPorts;

    CompiledRule(NetworkPolicy policy, PolicyRule rule, BitSet peerClasses, IpSet peerAddresses,
            ConnectionSet fixedPorts, List<PolicyPort.NamedPort> namedPorts, ConnectionTable table,
            int namedPortsIdentities) {
        this.policy = policy;
        this.rule = rule;
        this.ref = RuleRef.of(policy, rule);
        this.peerClasses = peerClasses;
        this.peerAddresses = peerAddresses;
        this.fixedPorts = fixedPorts;
        this.fixedPortsId = table.id(fixedPorts);
        this.namedPorts = List.copyOf(namedPorts);
        this.byNamedPorts = new int[namedPorts.isEmpty() ? 0 : namedPortsIdentities];
    }

    /** The connections this rule allows towards a destination of the given class, as an id. */
    int connectionsTo(EndpointClass destination, ConnectionTable table) {
        if (namedPorts.isEmpty()) {
            return fixedPortsId;
        }
        int known = byNamedPorts[destination.namedPorts];
        if (known == 0) {
            ConnectionSet result = fixedPorts;
            for (PolicyPort.NamedPort namedPort : namedPorts) {
                result = result.union(RuleEvaluator.resolve(namedPort, destination.template));
            }
            known = table.id(result) + 1;
            byNamedPorts[destination.namedPorts] = known;
        }
        return known - 1;
    }

    /** Towards an address outside the cluster, where names mean nothing. */
    int connectionsToExternal() {
        return fixedPortsId;
    }
}
