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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** PG004: only PHI workloads and profile-listed clients reach a PHI workload, on the listed ports. */
final class PhiLeastPrivilegeCheck extends PhiWorkloadCheck {
    /** Sources a finding names and proves by connection; the message gives the count of the rest. */
    static final int LISTED_SOURCES = 20;

    static final ControlInfo INFO = new ControlInfo("PG004", "phi-least-privilege-ingress",
            "Only PHI workloads and profile-listed clients reach a PHI workload", Severity.HIGH,
            List.of(Citations.ACCESS_CONTROL, Citations.NIST_SEPARATION, Citations.NIST_MIXING,
                    Citations.NIST66_ACCESS),
            "Access control means only authorised software reaches electronic PHI. Every path from a workload"
                    + " that neither holds PHI nor is listed as a client is access nobody decided to grant: a"
                    + " compromise of that workload becomes a path to the records.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        int accepted = 0;
        // one finding per way in: sources admitted by the same rules, on the same ports, for the same reason
        Map<List<Object>, List<Checks.Chunk>> ways = new LinkedHashMap<>();
        for (ConnectionFan fan : context.inboundFans(id)) {
            for (ConnectionFan.Part part : fan.parts()) {
                AuditContext.PeerGroups groups = context.peerGroups(part.peers());
                accepted += groups.phi().size();
                if (!groups.plain().isEmpty()) {
                    way(ways, List.of(), fan, fan.connections()).add(new Checks.Chunk(fan, part, groups.plain(),
                            fan.connections()));
                }
                for (Peer peer : groups.clients()) {
                    Workload client = context.workload(((Peer.WorkloadPeer) peer).id());
                    List<String> clients = context.clients(client, workload).stream().map(c -> c.name()).toList();
                    ConnectionSet excess = fan.connections().minus(context.clientAllowance(client, workload, false));
                    if (excess.isEmpty()) {
                        accepted++;
                        continue;
                    }
                    way(ways, clients, fan, excess).add(new Checks.Chunk(fan, part, List.of(peer), excess));
                }
            }
        }
        for (Map.Entry<List<Object>, List<Checks.Chunk>> way : ways.entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> clients = (List<String>) way.getKey().get(0);
            findings.add(finding(workload, clients, (ConnectionSet) way.getKey().get(1), way.getValue()));
        }
        evidence.add(id + ": " + accepted + " inbound connection(s) from PHI workloads or profile clients");
    }

    private static List<Checks.Chunk> way(Map<List<Object>, List<Checks.Chunk>> ways, List<String> clients,
            ConnectionFan fan, ConnectionSet excess) {
        return ways.computeIfAbsent(List.of(clients, excess, fan.ownSide().allowedBy(), fan.ownSide().isolation()),
                key -> new ArrayList<>());
    }

    private static Finding finding(Workload workload, List<String> clients, ConnectionSet excess,
            List<Checks.Chunk> chunks) {
        WorkloadId id = workload.id();
        int count = Checks.count(chunks);
        List<Map.Entry<Peer, Checks.Chunk>> listed = Checks.firstPeers(chunks, LISTED_SOURCES);
        List<WorkloadId> named = listed.stream().map(entry -> ((Peer.WorkloadPeer) entry.getKey()).id()).toList();
        List<Connection> connections = listed.stream()
                .map(entry -> entry.getValue().connection(entry.getKey())).toList();
        Connection first = connections.get(0);
        String who = count == 1 ? named.get(0).toString() : String.format(Locale.ROOT, "%,d workloads", count);
        String list = count == 1 ? "" : ": " + String.join(", ", named.stream().map(WorkloadId::toString).toList())
                + (count > named.size() ? String.format(Locale.ROOT, " and %,d more", count - named.size()) : "");
        String why = clients.isEmpty()
                ? (count == 1 ? "it is neither a PHI workload nor a profile client"
                        : "they are neither PHI workloads nor profile clients")
                : "profile client " + String.join(", ", clients) + " does not cover these ports";
        String message = who + " can connect to PHI workload " + id + " on " + Checks.ports(excess) + list + " ("
                + why + "; " + Checks.how(first.ingress()) + ")";
        String remedy = "Narrow the ingress of " + id + " so that " + (count == 1 ? who : "these workloads")
                + (count == 1 ? " is" : " are") + " no longer admitted on " + Checks.ports(excess)
                + ", or, if " + (count == 1 ? "it needs" : "some need") + " the access, list "
                + (count == 1 ? "it" : "them") + " as " + (count == 1 ? "a client" : "clients") + " in the profile.";
        // a fix that lists this many peers is not one a person would review: the advice stays in words
        List<Finding.Grant> forbidden = new ArrayList<>();
        if (count <= FixPlanner.MAX_LISTED_PEERS) {
            chunks.forEach(chunk -> chunk.peers().forEach(peer ->
                    forbidden.add(new Finding.Grant(id, Direction.INGRESS, peer, excess))));
        }
        List<WorkloadId> involved = new ArrayList<>();
        involved.add(id);
        involved.addAll(named);
        TreeSet<RuleRef> rules = new TreeSet<>();
        connections.forEach(connection -> rules.addAll(Checks.rules(connection)));
        String key = id + "|" + first.ingress().isolation() + "|" + first.ingress().allowedBy() + "|" + excess + "|"
                + clients;
        return Finding.of(INFO, INFO.severity(), id.namespace(), message, key, involved, connections,
                new ArrayList<>(rules), Checks.location(first.ingress(), workload), Remediation.text(remedy),
                forbidden);
    }
}
