package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectionFan;
import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * PG008: a PHI workload isolated for egress can resolve names through cluster DNS, and reaches
 * the DNS ports nowhere else.
 */
final class PhiDnsCheck extends PhiWorkloadCheck {
    static final ControlInfo INFO = new ControlInfo("PG008", "phi-dns",
            "PHI workloads isolated for egress reach cluster DNS, and DNS ports nowhere else", Severity.MEDIUM,
            List.of(Citations.TRANSMISSION_SECURITY, Citations.NIST_EGRESS, Citations.NIST66_TRANSMISSION),
            "An egress policy that forgets DNS breaks name resolution: an unintended denial that tends to be"
                    + " \"fixed\" by opening egress wide. DNS allowed to any destination is the opposite problem:"
                    + " queries can carry data out (DNS tunnelling) past every other egress rule.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    Set<Direction> sidesRead(AuditContext context, Workload workload) {
        return EnumSet.of(Direction.EGRESS);
    }


    @Override
    void begin(AuditContext context, List<String> evidence) {
        if (context.dnsWorkloads().isEmpty()) {
            evidence.add("no workload in the input matches the profile's DNS service ("
                    + context.profile().dns().workloads() + "); egress rules are checked against a pod it would"
                    + " select");
        }
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        List<Workload> dnsWorkloads = context.dnsWorkloads();
        ConnectionSet dnsPorts = ConnectionSet.NONE;
        for (PortMatcher port : context.profile().dns().ports()) {
            dnsPorts = dnsPorts.union(port.resolveExternal());
        }
        Set<WorkloadId> dnsIds = context.dnsWorkloadIds();
        WorkloadId id = workload.id();
        if (!context.isIsolated(workload, Direction.EGRESS)) {
            return;
        }
        ConnectionSet reachable = dnsWorkloads.isEmpty()
                ? reachableAssumed(context, workload, dnsPorts) : reachable(context, id, dnsWorkloads);
        ConnectionSet missing = dnsPorts.minus(reachable);
        if (!missing.isEmpty()) {
            NetworkPolicy fix = PolicyFixes.allowDns(context, workload, context.profile().dns().ports());
            findings.add(Finding.of(INFO, Severity.MEDIUM, id.namespace(),
                    "PHI workload " + id + " is isolated for egress but cannot reach cluster DNS on " + missing
                            + ", so name lookups fail",
                    id + "|missing|" + missing, List.of(id), List.of(), List.of(), workload.source(),
                    new Remediation("Allow egress from " + id + " to the DNS service on " + dnsPorts + ".",
                            List.of(fix)),
                    List.of()));
        }
        // one finding per workload, whatever the number of peers or how the address space is cut
        List<Checks.Chunk> leaking = new ArrayList<>();
        for (ConnectionFan fan : context.outboundFans(id)) {
            ConnectionSet leak = fan.connections().intersect(dnsPorts);
            if (leak.isEmpty()) {
                continue;
            }
            for (ConnectionFan.Part part : fan.parts()) {
                // sorted already, and most parts hold no DNS server to leave out
                AuditContext.PeerGroups groups = context.peerGroups(part);
                boolean partHoldsDns = holdsDns(part.peers(), dnsIds);
                for (int group = 0; group < AuditContext.PeerGroups.GROUPS; group++) {
                    List<Peer> sorted = groups.group(group);
                    // the group itself when it holds no DNS server, so that its ranks are known
                    List<Peer> elsewhere = !partHoldsDns || !holdsDns(sorted, dnsIds)
                            ? sorted : withoutDns(sorted, dnsIds);
                    if (!elsewhere.isEmpty()) {
                        leaking.add(new Checks.Chunk(fan, part, groups, elsewhere, leak));
                    }
                }
            }
        }
        // a fix that lists more peers than this is not one a person would review: the advice stays in words
        List<Finding.Grant> grants = Checks.count(leaking) <= FixPlanner.MAX_LISTED_PEERS
                ? Checks.grants(id, Direction.EGRESS, leaking) : List.of();
        if (!leaking.isEmpty()) {
            int count = Checks.count(leaking);
            List<Map.Entry<Peer, Checks.Chunk>> listed = Checks.firstPeers(context, leaking,
                    PhiLeastPrivilegeCheck.LISTED_SOURCES);
            List<Connection> leaks = listed.stream().map(entry -> entry.getValue().connection(entry.getKey()))
                    .toList();
            List<Map.Entry<Peer, ConnectionSet>> parts = Checks.first(listed, 5).stream()
                    .map(entry -> Map.entry(entry.getKey(), entry.getValue().connections())).toList();
            findings.add(leakFinding(id, workload, leaks, grants,
                    "PHI workload " + id + " can send DNS traffic to " + Checks.peers(parts)
                            + (count > 5 ? " and " + (count - 5) + " more peers" : "")
                            + ", not only to the cluster DNS service (" + Checks.how(leaks.get(0).egress()) + ")",
                    id + "|leak", dnsPorts));
        }
        if (missing.isEmpty()) {
            evidence.add(id + " reaches cluster DNS on " + dnsPorts);
        }
    }

    /**
     * Whether peers of one class (one namespace, as parts of fans and their groups are) include a
     * DNS server: their namespace is looked at first, since most hold none.
     */
    private static boolean holdsDns(List<Peer> peers, Set<WorkloadId> dnsIds) {
        // loops, not streams: asked for every part of every fan, and of each group of peers in it
        if (dnsIds.isEmpty() || peers.isEmpty() || !(peers.get(0) instanceof Peer.WorkloadPeer first)) {
            return false;
        }
        boolean dnsNamespace = false;
        for (WorkloadId dns : dnsIds) {
            dnsNamespace |= dns.namespace().equals(first.id().namespace());
        }
        if (!dnsNamespace) {
            return false;
        }
        for (Peer peer : peers) {
            if (isDns(peer, dnsIds)) {
                return true;
            }
        }
        return false;
    }

    private static List<Peer> withoutDns(List<Peer> peers, Set<WorkloadId> dnsIds) {
        List<Peer> others = new ArrayList<>(peers.size());
        for (Peer peer : peers) {
            if (!isDns(peer, dnsIds)) {
                others.add(peer);
            }
        }
        return List.copyOf(others);
    }

    private static boolean isDns(Peer peer, Set<WorkloadId> dnsIds) {
        return peer instanceof Peer.WorkloadPeer server && dnsIds.contains(server.id());
    }

    private static Finding leakFinding(WorkloadId id, Workload workload, List<Connection> connections,
            List<Finding.Grant> grants, String message, String key, ConnectionSet dnsPorts) {
        java.util.TreeSet<dev.phiguard.eval.RuleRef> rules = new java.util.TreeSet<>();
        connections.forEach(connection -> rules.addAll(connection.egress().allowedBy()));
        return Finding.of(INFO, Severity.HIGH, id.namespace(), message, key, List.of(id), connections, new ArrayList<>(rules),
                Checks.location(connections.get(0).egress(), workload),
                Remediation.text("Allow " + dnsPorts + " from " + id + " only to the cluster DNS service."), grants);
    }

    private static ConnectionSet reachable(AuditContext context, WorkloadId id, List<Workload> dnsWorkloads) {
        Set<WorkloadId> dnsIds = context.dnsWorkloadIds();
        ConnectionSet reachable = ConnectionSet.NONE;
        for (ConnectionFan fan : context.outboundFans(id)) {
            // parts are read one by one: joining them all into one list costs every peer of every fan
            for (ConnectionFan.Part part : fan.parts()) {
                if (holdsDns(part.peers(), dnsIds)) {
                    reachable = reachable.union(fan.connections());
                    break;
                }
            }
        }
        return reachable;
    }

    /**
     * DNS is not in the input: judge the workload's egress rules against a pod the profile's DNS
     * selectors would select, in a namespace they name.
     */
    private static ConnectionSet reachableAssumed(AuditContext context, Workload workload, ConnectionSet dnsPorts) {
        LabelSelector namespaces = context.profile().dns().workloads().namespaceSelector();
        LabelSelector pods = context.profile().dns().workloads().podSelector();
        Map<String, String> namespaceLabels = new TreeMap<>(namespaces.matchLabels());
        String namespace = namespaceLabels.getOrDefault(Namespace.NAME_LABEL, "kube-system");
        namespaceLabels.put(Namespace.NAME_LABEL, namespace);
        Map<String, String> podLabels = pods.matchLabels();
        ConnectionSet reachable = ConnectionSet.NONE;
        for (NetworkPolicy policy : context.selecting(workload, Direction.EGRESS)) {
            for (PolicyRule rule : policy.egress()) {
                if (RuleEvaluator.admits(policy, rule, namespace, namespaceLabels, podLabels)) {
                    reachable = reachable.union(RuleEvaluator.ports(rule, Optional.of(
                            PodTemplate.of(podLabels, List.of()))));
                }
            }
        }
        return reachable.intersect(dnsPorts);
    }
}
