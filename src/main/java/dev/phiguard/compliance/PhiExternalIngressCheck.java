package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectionFan;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** PG003: nothing outside the cluster reaches a PHI workload, except a profile-listed gateway. */
final class PhiExternalIngressCheck extends PhiWorkloadCheck {
    static final ControlInfo INFO = new ControlInfo("PG003", "phi-external-ingress",
            "Nothing outside the cluster reaches a PHI workload except through a profile-listed gateway",
            Severity.CRITICAL,
            List.of(Citations.ACCESS_CONTROL, Citations.TRANSMISSION_SECURITY, Citations.NIST_SEPARATION,
                    Citations.NIST66_ACCESS),
            "Addresses outside the cluster include the internet, other tenants of the network and compromised"
                    + " hosts. Clients outside should reach PHI only through gateways built for it (an ingress"
                    + " controller terminating TLS and authenticating), never a PHI workload directly.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    /**
     * None: connections with the outside depend on the workload's own policies alone (and on the
     * address ranges policies cut the outside into, whose change has everything judged again).
     */
    @Override
    Set<Direction> sidesRead(AuditContext context, Workload workload) {
        return EnumSet.noneOf(Direction.class);
    }

    @Override
    Set<Direction> ownPoliciesRead(AuditContext context, Workload workload) {
        return EnumSet.of(Direction.INGRESS);
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        List<Connection> offending = new ArrayList<>();
        List<Finding.Grant> forbidden = new ArrayList<>();
        List<Map.Entry<Peer, ConnectionSet>> parts = new ArrayList<>();
        ConnectionSet ports = ConnectionSet.NONE;
        for (ConnectionFan fan : context.inboundFans(id)) {
            if (!(fan.parts().get(0).peers().get(0) instanceof Peer.ExternalPeer external)) {
                continue;
            }
            Connection connection = fan.connection(fan.parts().get(0), external);
            ConnectionSet excess = connection.connections()
                    .minus(context.gatewayAllowance(external.range(), workload));
            if (!excess.isEmpty()) {
                offending.add(connection);
                forbidden.add(new Finding.Grant(id, Direction.INGRESS, external, excess));
                parts.add(Map.entry(external, excess));
                ports = ports.union(excess);
            }
        }
        if (offending.isEmpty()) {
            evidence.add(id + " accepts no connection from outside the cluster beyond its gateway allowance");
            return;
        }
        TreeSet<RuleRef> rules = new TreeSet<>();
        offending.forEach(connection -> rules.addAll(connection.ingress().allowedBy()));
        findings.add(Finding.of(INFO, INFO.severity(), id.namespace(),
                "PHI workload " + id + " accepts connections from outside the cluster ("
                        + Checks.how(offending.get(0).ingress()) + "): " + Checks.peers(parts),
                id + "|" + ports, List.of(id), offending, new ArrayList<>(rules),
                Checks.location(offending.get(0).ingress(), workload),
                Remediation.text("Admit outside addresses only at a gateway (an ingress controller) and let it"
                        + " reach " + id + "; narrow the ingress rules above to in-cluster peers, or list "
                        + id + " as a gateway in the profile if it is built to face outside clients."),
                forbidden));
    }
}
