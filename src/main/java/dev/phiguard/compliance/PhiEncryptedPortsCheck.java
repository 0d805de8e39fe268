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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    Set<Direction> sidesRead(AuditContext context, Workload workload) {
        return EnumSet.of(Direction.INGRESS);
    }


    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        ConnectionSet encrypted = context.encryptedPorts(workload);
        ConnectionSet plaintext = ConnectionSet.NONE;
        ConnectionSet reachable = ConnectionSet.NONE;
        List<Checks.Chunk> offending = new ArrayList<>();
        for (ConnectionFan fan : context.inboundFans(id)) {
            reachable = reachable.union(fan.connections());
            ConnectionSet unencrypted = fan.connections().minus(encrypted);
            if (unencrypted.isEmpty()) {
                continue;
            }
            boolean inClear = false;
            for (ConnectionFan.Part part : fan.parts()) {
                AuditContext.PeerGroups groups = context.peerGroups(part);
                // only a profile client can be exempt, on the ports it may use in plain text
                for (int group = 0; group < AuditContext.PeerGroups.GROUPS; group++) {
                    if (group == AuditContext.PeerGroups.CLIENTS) {
                        continue;
                    }
                    List<Peer> alike = groups.group(group);
                    if (!alike.isEmpty()) {
                        offending.add(new Checks.Chunk(fan, part, groups, alike, unencrypted));
                        inClear = true;
                    }
                }
                for (Peer peer : groups.clients()) {
                    ConnectionSet clear = unencrypted.minus(context.clientAllowance(
                            context.workload(((Peer.WorkloadPeer) peer).id()), workload, true));
                    if (!clear.isEmpty()) {
                        offending.add(new Checks.Chunk(fan, part, List.of(peer), clear));
                        plaintext = plaintext.union(clear);
                    }
                }
            }
            if (inClear) {
                plaintext = plaintext.union(unencrypted);
            }
        }
        if (offending.isEmpty()) {
            evidence.add(id + " is reachable only on encrypted or exempted ports"
                    + (reachable.isEmpty() ? " (on none)" : ": " + reachable));
            return;
        }
        int count = Checks.count(offending);
        List<Map.Entry<Peer, Checks.Chunk>> listed = Checks.firstPeers(context, offending,
                PhiLeastPrivilegeCheck.LISTED_SOURCES);
        List<Connection> connections = listed.stream()
                .map(entry -> entry.getValue().connection(entry.getKey())).toList();
        List<Map.Entry<Peer, ConnectionSet>> sources = listed.stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue().connections())).toList();
        // a fix that lists this many peers is not one a person would review: the advice stays in words
        List<Finding.Grant> forbidden = count <= FixPlanner.MAX_LISTED_PEERS
                ? Checks.grants(id, Direction.INGRESS, offending) : List.of();
        TreeSet<RuleRef> rules = new TreeSet<>();
        connections.forEach(connection -> rules.addAll(connection.ingress().allowedBy()));
        findings.add(Finding.of(INFO, INFO.severity(), id.namespace(),
                "PHI workload " + id + " accepts connections on " + Checks.ports(plaintext)
                        + ", which the profile does not count as encrypted, from " + Checks.peers(sources)
                        + (count > listed.size()
                                ? String.format(Locale.ROOT, " and %,d more peers", count - listed.size()) : ""),
                id + "|" + plaintext, List.of(id), connections, new ArrayList<>(rules),
                Checks.location(connections.get(0).ingress(), workload),
                Remediation.text("Stop admitting " + Checks.ports(plaintext) + " to " + id + " and serve its clients over TLS;"
                        + " if the port is encrypted after all, add it to encryptedPorts in the profile."),
                forbidden));
    }
}
