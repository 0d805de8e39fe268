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
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** PG004: only PHI workloads and profile-listed clients reach a PHI workload, on the listed ports. */
final class PhiLeastPrivilegeCheck extends PhiWorkloadCheck {
    /** Sources a finding names and proves by connection; the message gives the count of the rest. */
    static final int LISTED_SOURCES = 20;
    /** Rules a finding names before it counts the rest. */
    static final int LISTED_RULES = 5;

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
    Set<Direction> sidesRead(AuditContext context, Workload workload) {
        return EnumSet.of(Direction.INGRESS);
    }


    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        int accepted = 0;
        // one finding per reason (no client at all, or which clients fall short), whatever the ports and whichever of
        // the workload's rules admit the sources: a broad rule on a big cluster is one thing to fix, not thousands
        Map<List<String>, List<Checks.Chunk>> ways = new LinkedHashMap<>();
        for (ConnectionFan fan : context.inboundFans(id)) {
            for (ConnectionFan.Part part : fan.parts()) {
                AuditContext.PeerGroups groups = context.peerGroups(part);
                accepted += groups.phi().size();
                if (!groups.plain().isEmpty()) {
                    ways.computeIfAbsent(List.of(), key -> new ArrayList<>())
                            .add(new Checks.Chunk(fan, part, groups, groups.plain(), fan.connections()));
                }
                for (Peer peer : groups.clients()) {
                    Workload client = context.workload(((Peer.WorkloadPeer) peer).id());
                    List<String> clients = context.clients(client, workload).stream().map(c -> c.name()).toList();
                    ConnectionSet excess = fan.connections().minus(context.clientAllowance(client, workload, false));
                    if (excess.isEmpty()) {
                        accepted++;
                        continue;
                    }
                    ways.computeIfAbsent(clients, key -> new ArrayList<>())
                            .add(new Checks.Chunk(fan, part, List.of(peer), excess));
                }
            }
        }
        ways.forEach((clients, chunks) -> findings.add(finding(context, workload, clients, chunks)));
        evidence.add(id + ": " + accepted + " inbound connection(s) from PHI workloads or profile clients");
    }

    private static Finding finding(AuditContext context, Workload workload, List<String> clients,
            List<Checks.Chunk> chunks) {
        WorkloadId id = workload.id();
        // connection sets are shared between fans: unite each distinct one once
        Set<ConnectionSet> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        ConnectionSet excess = ConnectionSet.NONE;
        for (Checks.Chunk chunk : chunks) {
            if (distinct.add(chunk.connections())) {
                excess = excess.union(chunk.connections());
            }
        }
        ConnectionSet union = excess;
        // sources may differ in what they can open: then each opens some of the ports named
        String on = distinct.stream().allMatch(connections -> connections.equals(union)) ? " on " : " on some of ";
        int count = Checks.count(chunks);
        List<Map.Entry<Peer, Checks.Chunk>> listed = Checks.firstPeers(context, chunks, LISTED_SOURCES);
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
        // the workload's own rules: every source of one chunk's fan is admitted by the same ones
        Set<ConnectionFan> fans = Collections.newSetFromMap(new IdentityHashMap<>());
        TreeSet<RuleRef> admitting = new TreeSet<>();
        for (Checks.Chunk chunk : chunks) {
            if (fans.add(chunk.fan())) {
                admitting.addAll(chunk.fan().ownSide().allowedBy());
            }
        }
        String how = admitting.isEmpty() ? Checks.how(first.ingress())
                : "allowed by " + String.join(", ", Checks.first(new ArrayList<>(admitting), LISTED_RULES).stream()
                        .map(RuleRef::toString).toList())
                        + (admitting.size() > LISTED_RULES ? " and " + (admitting.size() - LISTED_RULES) + " more rules"
                                : "");
        String message = who + " can connect to PHI workload " + id + on + Checks.ports(excess) + list + " ("
                + why + "; " + how + ")";
        String remedy = "Narrow the ingress of " + id + " so that " + (count == 1 ? who : "these workloads")
                + (count == 1 ? " is" : " are") + " no longer admitted" + on + Checks.ports(excess)
                + ", or, if " + (count == 1 ? "it needs" : "some need") + " the access, list "
                + (count == 1 ? "it" : "them") + " as " + (count == 1 ? "a client" : "clients") + " in the profile.";
        // a fix that lists this many peers is not one a person would review: the advice stays in words
        List<Finding.Grant> forbidden = count <= FixPlanner.MAX_LISTED_PEERS
                ? Checks.grants(id, Direction.INGRESS, chunks) : List.of();
        List<WorkloadId> involved = new ArrayList<>();
        involved.add(id);
        involved.addAll(named);
        TreeSet<RuleRef> rules = new TreeSet<>(admitting);
        connections.forEach(connection -> rules.addAll(Checks.rules(connection)));
        String key = id + "|" + clients;
        return Finding.of(INFO, INFO.severity(), id.namespace(), message, key, involved, connections,
                new ArrayList<>(rules), Checks.location(first.ingress(), workload), Remediation.text(remedy),
                forbidden);
    }
}
