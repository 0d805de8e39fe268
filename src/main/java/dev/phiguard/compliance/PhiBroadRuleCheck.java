package dev.phiguard.compliance;

import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;

/** PG007: no rule that applies to a PHI workload admits every peer or every port. */
final class PhiBroadRuleCheck implements Control {
    static final ControlInfo INFO = new ControlInfo("PG007", "phi-broad-rule",
            "No rule that applies to a PHI workload allows all peers or all ports", Severity.MEDIUM,
            List.of(Citations.ACCESS_CONTROL, Citations.NIST_SEPARATION, Citations.NIST66_ACCESS),
            "A rule without peers, with an ipBlock of the whole address space or a namespaceSelector of every"
                    + " namespace, or without ports, grants more than any workload needs; what it allows today"
                    + " also grows with every pod or port added tomorrow.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    public ControlResult check(AuditContext context) {
        List<Finding> findings = new ArrayList<>();
        int rulesChecked = 0;
        for (NetworkPolicy policy : context.cluster().policies()) {
            OfPolicy judged = context.rememberedFor("broad rules", policy, () -> judge(context, policy));
            findings.addAll(judged.findings());
            rulesChecked += judged.rulesChecked();
        }
        List<String> evidence = List.of(rulesChecked + " rule(s) of policies selecting PHI workloads checked");
        return ControlResult.assessed(INFO, findings, evidence);
    }

    /** What one policy's rules gave: its broad rules that apply to PHI, and how many rules were checked. */
    private record OfPolicy(List<Finding> findings, int rulesChecked) {
    }

    private static OfPolicy judge(AuditContext context, NetworkPolicy policy) {
        List<WorkloadId> phiSelected = phiSelected(context, policy);
        if (phiSelected.isEmpty()) {
            return new OfPolicy(List.of(), 0);
        }
        List<Finding> findings = new ArrayList<>();
        int rulesChecked = 0;
        for (Direction direction : policy.policyTypes()) {
            for (PolicyRule rule : policy.rules(direction)) {
                rulesChecked++;
                List<String> broad = broadness(rule);
                if (broad.isEmpty()) {
                    continue;
                }
                RuleRef ref = RuleRef.of(policy, rule);
                findings.add(Finding.of(INFO, INFO.severity(), policy.namespace(),
                        "rule " + ref + " applies to PHI workload(s) " + String.join(", ",
                                phiSelected.stream().map(WorkloadId::toString).toList()) + " and "
                                + String.join(" and ", broad),
                        ref.toString(), phiSelected, List.of(), List.of(ref), rule.source(),
                        Remediation.text("List the peers and the ports that need this access instead: named"
                                + " workloads (namespaceSelector and podSelector in one peer), the CIDRs of"
                                + " known destinations, and the ports they use."),
                        List.of()));
            }
        }
        return new OfPolicy(List.copyOf(findings), rulesChecked);
    }

    /**
     * The PHI workloads the policy selects, in input order: from the workloads it selects, which
     * policies of a namespace share (and an audit after a change takes again).
     */
    private static List<WorkloadId> phiSelected(AuditContext context, NetworkPolicy policy) {
        List<WorkloadId> selected = new ArrayList<>();
        for (Workload workload : context.selectedBy(policy.namespace(), policy.podSelector())) {
            if (context.phi().isPhi(workload.id())) {
                selected.add(workload.id());
            }
        }
        return selected;
    }

    /** What makes a rule broad, in words; empty when it is not. */
    static List<String> broadness(PolicyRule rule) {
        String peers = rule.direction() == Direction.INGRESS ? "from" : "to";
        List<String> broad = new ArrayList<>();
        if (rule.matchesAllPeers()) {
            broad.add("allows every peer (no " + peers + ")");
        } else {
            for (PolicyPeer peer : rule.peers()) {
                if (peer instanceof PolicyPeer.IpBlockPeer ipBlock && ipBlock.cidr().endsWith("/0")) {
                    broad.add("allows every address (ipBlock " + ipBlock.cidr()
                            + (ipBlock.except().isEmpty() ? "" : " except " + String.join(", ", ipBlock.except()))
                            + ")");
                } else if (peer instanceof PolicyPeer.SelectorPeer selector
                        && selector.namespaceSelector().map(s -> s.isEmpty()).orElse(false)
                        && selector.podSelector().map(s -> s.isEmpty()).orElse(true)) {
                    broad.add("allows every pod of every namespace (namespaceSelector: {})");
                }
            }
        }
        if (rule.matchesAllPorts()) {
            broad.add("allows every port (no ports)");
        }
        return broad;
    }
}
