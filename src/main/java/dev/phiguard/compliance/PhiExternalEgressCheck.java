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

/** PG005: PHI workloads reach addresses outside the cluster only within the profile's allowlist. */
final class PhiExternalEgressCheck extends PhiWorkloadCheck {
    static final ControlInfo INFO = new ControlInfo("PG005", "phi-external-egress",
            "PHI workloads connect outside the cluster only to the profile's external destinations",
            Severity.HIGH,
            List.of(Citations.TRANSMISSION_SECURITY, Citations.NIST_EGRESS, Citations.NIST66_TRANSMISSION),
            "Egress is how data leaves. A PHI workload that may open connections to any address can send records"
                    + " to any host on the internet, by mistake or after a compromise; the destinations it needs"
                    + " (a clearinghouse, a messaging provider) are few and known.",
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
        return EnumSet.of(Direction.EGRESS);
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        List<Connection> offending = new ArrayList<>();
        List<Finding.Grant> forbidden = new ArrayList<>();
        List<Map.Entry<Peer, ConnectionSet>> parts = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (ConnectionFan fan : context.outboundFans(id)) {
            if (!(fan.parts().get(0).peers().get(0) instanceof Peer.ExternalPeer external)) {
                continue;
            }
            Connection connection = fan.connection(fan.parts().get(0), external);
            ConnectionSet excess = connection.connections().minus(context.externalAllowance(external.range()));
            if (excess.isEmpty()) {
                allowed.add(external + " : " + connection.connections());
                continue;
            }
            offending.add(connection);
            forbidden.add(new Finding.Grant(id, Direction.EGRESS, external, excess));
            parts.add(Map.entry(external, excess));
        }
        if (offending.isEmpty()) {
            evidence.add(id + " connects outside only within the allowlist"
                    + (allowed.isEmpty() ? " (to nothing)" : ": " + String.join("; ", allowed)));
            return;
        }
        TreeSet<RuleRef> rules = new TreeSet<>();
        offending.forEach(connection -> rules.addAll(connection.egress().allowedBy()));
        findings.add(Finding.of(INFO, INFO.severity(), id.namespace(),
                "PHI workload " + id + " can connect outside the cluster beyond the profile's destinations ("
                        + Checks.how(offending.get(0).egress()) + "): " + Checks.peers(parts),
                id + "|" + Checks.peers(parts), List.of(id), offending, new ArrayList<>(rules),
                Checks.location(offending.get(0).egress(), workload),
                Remediation.text("Narrow the egress of " + id + " to the destinations it needs, and list them"
                        + " under externalDestinations in the profile."),
                forbidden));
    }
}
