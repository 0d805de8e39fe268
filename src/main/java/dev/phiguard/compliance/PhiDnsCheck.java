package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PG008: a PHI workload isolated for egress can resolve names through cluster DNS, and reaches
 * the DNS ports nowhere else.
 */
final class PhiDnsCheck implements Control {
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
    public ControlResult check(AuditContext context) {
        List<Finding> findings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        List<Workload> dnsWorkloads = context.dnsWorkloads();
        ConnectionSet dnsPorts = ConnectionSet.NONE;
        for (PortMatcher port : context.profile().dns().ports()) {
            dnsPorts = dnsPorts.union(port.resolveExternal());
        }
        if (dnsWorkloads.isEmpty()) {
            evidence.add("no workload in the input matches the profile's DNS service ("
                    + context.profile().dns().workloads() + "); egress rules are checked against a pod it would"
                    + " select");
        }
        for (WorkloadId id : context.phi().workloads()) {
            Workload workload = context.workload(id);
            if (!context.isIsolated(workload, Direction.EGRESS)) {
                continue;
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
            List<Connection> leaks = new ArrayList<>();
            List<Finding.Grant> grants = new ArrayList<>();
            List<java.util.Map.Entry<Peer, ConnectionSet>> parts = new ArrayList<>();
            for (Connection connection : context.outbound(id)) {
                boolean toDns = connection.destination() instanceof Peer.WorkloadPeer peer
                        && dnsWorkloads.stream().anyMatch(dns -> dns.id().equals(peer.id()));
                ConnectionSet leak = connection.connections().intersect(dnsPorts);
                if (toDns || leak.isEmpty()) {
                    continue;
                }
                leaks.add(connection);
                grants.add(new Finding.Grant(id, Direction.EGRESS, connection.destination(), leak));
                parts.add(java.util.Map.entry(connection.destination(), leak));
            }
            if (!leaks.isEmpty()) {
                findings.add(leakFinding(id, workload, leaks, grants,
                        "PHI workload " + id + " can send DNS traffic to " + Checks.peers(Checks.first(parts, 5))
                                + (parts.size() > 5 ? " and " + (parts.size() - 5) + " more peers" : "")
                                + ", not only to the cluster DNS service (" + Checks.how(leaks.get(0).egress()) + ")",
                        id + "|leak", dnsPorts));
            }
            if (missing.isEmpty()) {
                evidence.add(id + " reaches cluster DNS on " + dnsPorts);
            }
        }
        return ControlResult.assessed(INFO, findings, evidence);
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
        ConnectionSet reachable = ConnectionSet.NONE;
        for (Connection connection : context.outbound(id)) {
            if (connection.destination() instanceof Peer.WorkloadPeer peer
                    && dnsWorkloads.stream().anyMatch(dns -> dns.id().equals(peer.id()))) {
                reachable = reachable.union(connection.connections());
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
