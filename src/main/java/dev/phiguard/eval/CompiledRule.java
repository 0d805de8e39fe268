package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import java.util.BitSet;
import java.util.List;

/**
 * A rule with its peers resolved to endpoint classes and addresses, and its ports split into the
 * part every destination shares and the named ports that each destination resolves.
 */
final class CompiledRule {
    final NetworkPolicy policy;
    final PolicyRule rule;
    final RuleRef ref;
    final BitSet peerClasses;
    final IpSet peerAddresses;
    final ConnectionSet fixedPorts;
    final List<PolicyPort.NamedPort> namedPorts;

    CompiledRule(NetworkPolicy policy, PolicyRule rule, BitSet peerClasses, IpSet peerAddresses,
            ConnectionSet fixedPorts, List<PolicyPort.NamedPort> namedPorts) {
        this.policy = policy;
        this.rule = rule;
        this.ref = RuleRef.of(policy, rule);
        this.peerClasses = peerClasses;
        this.peerAddresses = peerAddresses;
        this.fixedPorts = fixedPorts;
        this.namedPorts = List.copyOf(namedPorts);
    }

    /** The connections this rule allows towards a destination of the given class. */
    ConnectionSet connectionsTo(EndpointClass destination) {
        ConnectionSet result = fixedPorts;
        for (PolicyPort.NamedPort namedPort : namedPorts) {
            result = result.union(destination.resolve(namedPort));
        }
        return result;
    }

    /** The connections this rule allows towards an address outside the cluster, where names mean nothing. */
    ConnectionSet connectionsToExternal() {
        return fixedPorts;
    }
}
