package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** PG006: every port on which a PHI workload can be reached counts as encrypted. */
final class PhiEncryptedPortsCheck extends PhiWorkloadCheck {
    static final ControlInfo INFO = new ControlInfo("PG006", "phi-encrypted-ports",
            "Every port on which a PHI workload accepts connections is an encrypted one", Severity.HIGH,
            List.of(Citations.ENCRYPTION, Citations.TRANSMISSION_SECURITY, Citations.NIST66_TRANSMISSION),
            "PHI crossing the network in plain text can be read by anyone on the path: a compromised node, a"
                    + " misrouted packet capture. A port that policies leave open on a PHI workload but that"
                    + " carries no TLS (plain HTTP beside HTTPS, AMQP beside AMQPS) is a path for exactly that.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        ConnectionSet encrypted = context.encryptedPorts(workload);
        ConnectionSet plaintext = ConnectionSet.NONE;
        ConnectionSet reachable = ConnectionSet.NONE;
        List<Connection> offending = new ArrayList<>();
        List<Finding.Grant> forbidden = new ArrayList<>();
        List<Map.Entry<Peer, ConnectionSet>> sources = new ArrayList<>();
        for (Connection connection : context.inbound(id)) {
            reachable = reachable.union(connection.connections());
            ConnectionSet exempt = connection.source() instanceof Peer.WorkloadPeer source
                    && !context.phi().isPhi(source.id())
                    ? context.clientAllowance(context.workload(source.id()), workload, true) : ConnectionSet.NONE;
            ConnectionSet clear = connection.connections().minus(encrypted).minus(exempt);
            if (!clear.isEmpty()) {
                plaintext = plaintext.union(clear);
                offending.add(connection);
                forbidden.add(new Finding.Grant(id, Direction.INGRESS, connection.source(), clear));
                sources.add(Map.entry(connection.source(), clear));
            }
        }
        if (offending.isEmpty()) {
            evidence.add(id + " is reachable only on encrypted or exempted ports"
                    + (reachable.isEmpty() ? " (on none)" : ": " + reachable));
            return;
        }
        TreeSet<RuleRef> rules = new TreeSet<>();
        offending.forEach(connection -> rules.addAll(connection.ingress().allowedBy()));
        findings.add(Finding.of(INFO, INFO.severity(), id.namespace(),
                "PHI workload " + id + " accepts connections on " + Checks.ports(plaintext)
                        + ", which the profile does not count as encrypted, from " + Checks.peers(sources),
                id + "|" + plaintext, List.of(id), offending, new ArrayList<>(rules),
                Checks.location(offending.get(0).ingress(), workload),
                Remediation.text("Stop admitting " + Checks.ports(plaintext) + " to " + id + " and serve its clients over TLS;"
                        + " if the port is encrypted after all, add it to encryptedPorts in the profile."),
                forbidden));
    }
}
