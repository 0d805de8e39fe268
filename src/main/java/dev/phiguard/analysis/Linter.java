package dev.phiguard.analysis;

import dev.phiguard.analysis.PolicyIndex.IndexedRule;
import dev.phiguard.analysis.PolicyIndex.PodClass;
import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Service;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.model.WorkloadSelector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds policy that does nothing, overlaps, or blocks what nobody meant to block. Pure: a
 * cluster and options in, a {@link LintResult} out.
 */
public final class Linter {

    /** Cluster DNS as the built-in profile places it: kube-system pods labelled k8s-app=kube-dns, 53 UDP and TCP. */
    public static final Profile.DnsService DEFAULT_DNS = new Profile.DnsService(
            new WorkloadSelector(LabelSelector.of(Map.of(Namespace.NAME_LABEL, "kube-system")),
                    LabelSelector.of(Map.of("k8s-app", "kube-dns"))),
            List.of(PortMatcher.parse("53/UDP"), PortMatcher.parse("53/TCP")));

    /** Where cluster DNS lives. */
    public record Options(Profile.DnsService dns) {
        public static final Options DEFAULT = new Options(DEFAULT_DNS);

        public Options {
            Objects.requireNonNull(dns, "dns");
        }
    }

    /** How many workloads a message names before it counts the rest. */
    static final int LISTED = 3;

    private final Cluster cluster;
    private final Options options;
    private final PolicyIndex index;
    private final List<LintFinding> findings = new ArrayList<>();

    private Linter(Cluster cluster, Options options) {
        this.cluster = cluster;
        this.options = options;
        this.index = PolicyIndex.of(cluster);
    }

    public static LintResult lint(Cluster cluster) {
        return lint(cluster, Options.DEFAULT);
    }

    public static LintResult lint(Cluster cluster, Options options) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(options, "options");
        return new Linter(cluster, options).run();
    }

    private LintResult run() {
        for (int p = 0; p < cluster.policies().size(); p++) {
            NetworkPolicy policy = cluster.policies().get(p);
            selectsNothing(p, policy);
            policyTypes(policy);
            for (Direction direction : Direction.values()) {
                for (IndexedRule rule : index.rules.get(p).get(direction)) {
                    peers(policy, rule.rule());
                    namedPorts(p, policy, rule);
                    excepts(policy, rule.rule());
                    if (direction == Direction.INGRESS) {
                        undeclaredPorts(p, policy, rule.rule());
                    }
                }
            }
        }
        dns();
        services();
        cutOff();
        Redundancy redundancy = RedundancyAnalyzer.analyze(index);
        redundancyFindings(redundancy);
        findings.sort(LintFinding.ORDER);
        return new LintResult(findings, redundancy, sprawl(redundancy));
    }

    private static String object(NetworkPolicy policy) {
        return "NetworkPolicy " + policy.namespacedName();
    }

    private void add(LintCheck check, String object, dev.phiguard.model.SourceRef source, String message) {
        findings.add(new LintFinding(check, object, source, message));
    }

    private void selectsNothing(int p, NetworkPolicy policy) {
        if (index.selected.get(p).isEmpty()) {
            add(LintCheck.POLICY_SELECTS_NOTHING, object(policy), policy.source(), "podSelector {"
                    + policy.podSelector() + "} selects no workload in namespace " + policy.namespace()
                    + ", so the policy does nothing");
        }
    }

    private void policyTypes(NetworkPolicy policy) {
        if (policy.declaredPolicyTypes().isEmpty()) {
            return;
        }
        for (Direction direction : Direction.values()) {
            int rules = policy.rules(direction).size();
            if (rules > 0 && !policy.declaredPolicyTypes().get().contains(direction)) {
                add(LintCheck.POLICY_TYPES_IGNORE_RULES, object(policy), policy.source(), "policyTypes "
                        + typesText(policy) + " does not list " + direction.kubernetesName() + ", so its " + rules
                        + " " + direction.kubernetesName().toLowerCase(java.util.Locale.ROOT) + " rule"
                        + (rules == 1 ? " is" : "s are") + " ignored");
            }
        }
    }

    private static String typesText(NetworkPolicy policy) {
        List<String> names = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            if (policy.declaredPolicyTypes().get().contains(direction)) {
                names.add(direction.kubernetesName());
            }
        }
        return "[" + String.join(", ", names) + "]";
    }

    private static String peerField(PolicyRule rule, int peer) {
        return rule.label() + (rule.direction() == Direction.INGRESS ? ".from[" : ".to[") + peer + "]";
    }

    private void peers(NetworkPolicy policy, PolicyRule rule) {
        for (int i = 0; i < rule.peers().size(); i++) {
            if (!(rule.peers().get(i) instanceof PolicyPeer.SelectorPeer peer)) {
                continue;
            }
            String field = peerField(rule, i);
            if (peer.namespaceSelector().isPresent()) {
                List<String> namespaces = index.namespacesMatching(peer.namespaceSelector().get());
                if (namespaces.isEmpty()) {
                    add(LintCheck.PEER_SELECTS_NOTHING, object(policy), rule.source(), field + ": namespaceSelector {"
                            + peer.namespaceSelector().get() + "} matches no namespace");
                    continue;
                }
                if (index.classesOf(policy.namespace(), peer).isEmpty()) {
                    add(LintCheck.PEER_SELECTS_NOTHING, object(policy), rule.source(), field + ": "
                            + (peer.podSelector().isPresent() ? "podSelector {" + peer.podSelector().get() + "}"
                                    : "namespaceSelector {" + peer.namespaceSelector().get() + "}")
                            + " matches no workload in namespace" + (namespaces.size() == 1 ? " " : "s ")
                            + listed(namespaces));
                }
            } else if (index.classesOf(policy.namespace(), peer).isEmpty()) {
                add(LintCheck.PEER_SELECTS_NOTHING, object(policy), rule.source(), field + ": podSelector {"
                        + peer.podSelector().get() + "} matches no workload in namespace " + policy.namespace());
            }
        }
    }

    /** The destinations of a rule's ports: the selected classes for ingress, the peer classes for egress. */
    private BitSet destinations(int p, IndexedRule rule) {
        if (rule.rule().direction() == Direction.INGRESS) {
            return index.selected.get(p);
        }
        BitSet classes = (BitSet) rule.peers().clone();
        classes.clear(index.classes.size(), Math.max(index.classes.size(), classes.length()));
        return classes;
    }

    private void namedPorts(int p, NetworkPolicy policy, IndexedRule rule) {
        BitSet destinations = destinations(p, rule);
        if (destinations.isEmpty() && rule.rule().direction() == Direction.INGRESS) {
            return;
        }
        for (int i = 0; i < rule.rule().ports().size(); i++) {
            if (!(rule.rule().ports().get(i) instanceof PolicyPort.NamedPort named)) {
                continue;
            }
            boolean defined = false;
            for (int c = destinations.nextSetBit(0); c >= 0 && !defined; c = destinations.nextSetBit(c + 1)) {
                defined = !RuleEvaluator.resolve(named, index.classes.get(c).template()).isEmpty();
            }
            if (!defined) {
                String field = rule.rule().label() + ".ports[" + i + "]";
                add(LintCheck.NAMED_PORT_UNDEFINED, object(policy), rule.rule().source(), field + ": "
                        + (destinations.isEmpty()
                                ? "named port '" + named.name() + "' can match nothing: the rule's peers are"
                                        + " addresses outside the cluster or no workload, where names mean nothing"
                                : "no " + (rule.rule().direction() == Direction.INGRESS ? "selected workload"
                                        : "workload the rule admits") + " declares a " + named.protocol()
                                        + " container port named '" + named.name() + "'"));
            }
        }
    }

    private void excepts(NetworkPolicy policy, PolicyRule rule) {
        for (int i = 0; i < rule.peers().size(); i++) {
            if (!(rule.peers().get(i) instanceof PolicyPeer.IpBlockPeer block) || block.except().isEmpty()) {
                continue;
            }
            for (int e = 0; e < block.except().size(); e++) {
                List<String> others = new ArrayList<>(block.except());
                String except = others.remove(e);
                IpSet without;
                try {
                    without = IpSet.fromCidr(block.cidr(), others);
                } catch (IllegalArgumentException invalid) {
                    continue;
                }
                if (without.equals(block.addresses())) {
                    add(LintCheck.EXCEPT_REMOVES_NOTHING, object(policy), rule.source(), peerField(rule, i)
                            + ".ipBlock.except[" + e + "]: " + except + " removes nothing from " + block.cidr()
                            + " that the other excepts do not already remove");
                }
            }
        }
    }

    private void undeclaredPorts(int p, NetworkPolicy policy, PolicyRule rule) {
        BitSet selected = index.selected.get(p);
        List<PodClass> declaring = new ArrayList<>();
        for (int c = selected.nextSetBit(0); c >= 0; c = selected.nextSetBit(c + 1)) {
            if (!index.classes.get(c).template().ports().isEmpty()) {
                declaring.add(index.classes.get(c));
            }
        }
        // a pod that declares no container port may listen anywhere: only declared ports tell
        if (declaring.isEmpty()) {
            return;
        }
        for (int i = 0; i < rule.ports().size(); i++) {
            if (!(rule.ports().get(i) instanceof PolicyPort.PortNumbers numbers)) {
                continue;
            }
            ConnectionSet ports = ConnectionSet.of(numbers.protocol(), numbers.range());
            if (declaring.stream().noneMatch(podClass -> PolicyIndex.declares(podClass.template(), ports))) {
                TreeSet<String> names = new TreeSet<>();
                declaring.forEach(podClass -> podClass.members().forEach(id -> names.add(id.toString())));
                add(LintCheck.INGRESS_PORT_UNDECLARED, object(policy), rule.source(), rule.label() + ".ports[" + i
                        + "]: " + ports + " is declared by none of the workloads the policy selects ("
                        + listed(new ArrayList<>(names)) + ")");
            }
        }
    }

    private static String listed(List<String> names) {
        List<String> first = names.subList(0, Math.min(LISTED, names.size()));
        return String.join(", ", first) + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
    }

    private void dns() {
        WorkloadSelector where = options.dns().workloads();
        ConnectionSet dnsPorts = ConnectionSet.NONE;
        for (PortMatcher port : options.dns().ports()) {
            dnsPorts = dnsPorts.union(port.resolveExternal());
        }
        List<Integer> dnsClasses = new ArrayList<>();
        for (PodClass podClass : index.classes) {
            if (where.matches(index.namespaces.get(podClass.namespace()).labels(), podClass.template().labels())) {
                dnsClasses.add(podClass.index());
            }
        }
        Map<Integer, ConnectionSet> missingByClass = new HashMap<>();
        for (PodClass podClass : index.classes) {
            int c = podClass.index();
            List<IndexedRule> rules = index.isolatingRules(Direction.EGRESS, c);
            if (rules == null || dnsClasses.contains(c)) {
                continue;
            }
            ConnectionSet reachable = ConnectionSet.NONE;
            if (dnsClasses.isEmpty()) {
                reachable = assumedDns(rules, where);
            } else {
                for (int d : dnsClasses) {
                    reachable = reachable.union(index.allowed(Direction.EGRESS, c, d)
                            .intersect(index.allowed(Direction.INGRESS, d, c)));
                }
            }
            ConnectionSet missing = dnsPorts.minus(reachable);
            if (!missing.isEmpty()) {
                missingByClass.put(c, missing);
            }
        }
        String place = "cluster DNS (" + where + ")";
        for (Workload workload : cluster.workloads()) {
            ConnectionSet missing = null;
            for (PodClass podClass : index.classesOfWorkload.get(workload.id())) {
                if (missingByClass.containsKey(podClass.index())) {
                    missing = missingByClass.get(podClass.index());
                }
            }
            if (missing != null) {
                add(LintCheck.EGRESS_WITHOUT_DNS, workload.id().toString(), workload.source(),
                        "isolated for egress but cannot reach " + place + " on " + missing + ", so name lookups fail");
            }
        }
    }

    /** DNS is not in the input: judge the rules against a pod the DNS selectors would select, where they say. */
    private ConnectionSet assumedDns(List<IndexedRule> rules, WorkloadSelector where) {
        Map<String, String> namespaceLabels = new TreeMap<>(where.namespaceSelector().matchLabels());
        String namespace = namespaceLabels.getOrDefault(Namespace.NAME_LABEL, "kube-system");
        namespaceLabels.put(Namespace.NAME_LABEL, namespace);
        Map<String, String> podLabels = where.podSelector().matchLabels();
        ConnectionSet reachable = ConnectionSet.NONE;
        for (IndexedRule rule : rules) {
            if (RuleEvaluator.admits(rule.owner(), rule.rule(), namespace, namespaceLabels, podLabels)) {
                reachable = reachable.union(RuleEvaluator.ports(rule.rule(), Optional.of(PodTemplate.of(podLabels,
                        List.of()))));
            }
        }
        return reachable;
    }

    private void services() {
        for (Service service : cluster.services()) {
            if (service.selector().isEmpty()) {
                continue;
            }
            for (Service.ServicePort port : service.ports()) {
                List<String> unreachable = new ArrayList<>();
                String target = null;
                for (PodClass podClass : index.classesByNamespace.getOrDefault(service.namespace(), List.of())) {
                    if (!LabelSelector.of(service.selector()).matches(podClass.template().labels())) {
                        continue;
                    }
                    ConnectionSet targetPorts = targetPorts(port, podClass.template());
                    if (targetPorts.isEmpty() || reachable(podClass.index(), targetPorts)) {
                        continue;
                    }
                    target = targetPorts.toString();
                    podClass.members().forEach(id -> unreachable.add(id.toString()));
                }
                if (!unreachable.isEmpty()) {
                    java.util.Collections.sort(unreachable);
                    add(LintCheck.SERVICE_PORT_UNREACHABLE, "Service " + service.namespace() + "/" + service.name(),
                            service.source(), "port " + port.port() + (port.name().isEmpty() ? "" : " (" + port.name()
                                    + ")") + " sends traffic to " + target + " of " + listed(unreachable)
                                    + ", where no workload and no address can connect");
                }
            }
        }
    }

    private static ConnectionSet targetPorts(Service.ServicePort port, PodTemplate template) {
        String target = port.targetPort();
        if (!target.isEmpty() && target.chars().allMatch(Character::isDigit)) {
            return ConnectionSet.of(port.protocol(), Integer.parseInt(target));
        }
        for (ContainerPort declared : template.ports()) {
            if (declared.name().equals(target) && declared.protocol() == port.protocol()) {
                return ConnectionSet.of(declared.protocol(), declared.port());
            }
        }
        return ConnectionSet.NONE;
    }

    /** Whether any other workload or any address outside the cluster can connect to the class on these ports. */
    private boolean reachable(int c, ConnectionSet ports) {
        if (index.isolatingRules(Direction.INGRESS, c) == null) {
            return true;
        }
        for (int peer = 0; peer < index.peerCount(Direction.INGRESS); peer++) {
            ConnectionSet in = index.allowed(Direction.INGRESS, c, peer).intersect(ports);
            if (in.isEmpty()) {
                continue;
            }
            if (!index.isClass(peer)) {
                return true;
            }
            if (index.distinctPods(c, peer) && index.allowed(Direction.EGRESS, peer, c).intersects(in)) {
                return true;
            }
        }
        return false;
    }

    private void cutOff() {
        Map<Integer, Boolean> connected = new HashMap<>();
        for (Workload workload : cluster.workloads()) {
            boolean cutOff = true;
            for (PodClass podClass : index.classesOfWorkload.get(workload.id())) {
                cutOff &= !connected.computeIfAbsent(podClass.index(), this::connected);
            }
            if (cutOff) {
                add(LintCheck.WORKLOAD_CUT_OFF, workload.id().toString(), workload.source(),
                        "isolated for ingress and egress, and no rule lets it connect to anything or anything to it");
            }
        }
    }

    /**
     * Whether a class can connect to anything or be connected to: a side no policy isolates
     * allows addresses outside the cluster, and an isolated one only the peers its rules admit.
     */
    private boolean connected(int c) {
        for (Direction direction : Direction.values()) {
            List<IndexedRule> rules = index.isolatingRules(direction, c);
            if (rules == null) {
                return true;
            }
            BitSet peers = new BitSet();
            rules.forEach(rule -> peers.or(rule.peers()));
            Direction far = direction == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS;
            for (int peer = peers.nextSetBit(0); peer >= 0; peer = peers.nextSetBit(peer + 1)) {
                ConnectionSet here = index.allowed(direction, c, peer);
                if (here.isEmpty()) {
                    continue;
                }
                if (!index.isClass(peer)
                        || index.distinctPods(c, peer) && index.allowed(far, peer, c).intersects(here)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void redundancyFindings(Redundancy redundancy) {
        Map<String, NetworkPolicy> byName = new HashMap<>();
        cluster.policies().forEach(policy -> byName.put(policy.namespacedName(), policy));
        for (Redundancy.RedundantRule rule : redundancy.rules()) {
            // a rule of a policy that is redundant as a whole, or never read, is told once, by its policy or PL005
            if (rule.reason() == Redundancy.Reason.IGNORED || rule.reason() == Redundancy.Reason.SELECTS_NOTHING) {
                continue;
            }
            add(LintCheck.REDUNDANT_RULE, "NetworkPolicy " + rule.rule().policyName(), rule.rule().ruleSource(),
                    rule.rule().direction().kubernetesName().toLowerCase(java.util.Locale.ROOT) + "["
                            + rule.rule().index() + "]: removing it changes no allowed connection: "
                            + rule.reason().text() + covered(rule.coveredBy()));
        }
        for (Redundancy.RedundantPolicy policy : redundancy.policies()) {
            if (policy.reason() == Redundancy.Reason.SELECTS_NOTHING) {
                continue;
            }
            add(LintCheck.REDUNDANT_POLICY, "NetworkPolicy " + policy.policy(), policy.source(),
                    "removing it changes no allowed connection: " + policy.reason().text()
                            + covered(policy.coveredBy()));
        }
        for (Redundancy.PolicyRelation relation : redundancy.relations()) {
            add(LintCheck.CONTAINED_POLICY, "NetworkPolicy " + relation.second(), relation.secondSource(),
                    relation.equivalent()
                            ? "equivalent to " + relation.first() + ": it selects, isolates and allows the same"
                            : relation.first() + " selects, isolates and allows everything it does");
        }
    }

    private static String covered(List<String> policies) {
        return policies.isEmpty() ? "" : " (" + String.join(", ", policies) + ")";
    }

    private LintResult.Sprawl sprawl(Redundancy redundancy) {
        Map<String, int[]> figures = new TreeMap<>();
        for (Workload workload : cluster.workloads()) {
            figures.computeIfAbsent(workload.namespace(), key -> new int[5])[0]++;
        }
        int rules = 0;
        List<Integer> sizes = new ArrayList<>();
        for (int p = 0; p < cluster.policies().size(); p++) {
            NetworkPolicy policy = cluster.policies().get(p);
            int[] row = figures.computeIfAbsent(policy.namespace(), key -> new int[5]);
            row[1]++;
            int count = policy.ingress().size() + policy.egress().size();
            row[2] += count;
            rules += count;
            TreeSet<WorkloadId> workloads = new TreeSet<>();
            BitSet selected = index.selected.get(p);
            selected.stream().forEach(c -> workloads.addAll(index.classes.get(c).members()));
            sizes.add(workloads.size());
        }
        for (Redundancy.RedundantRule rule : redundancy.rules()) {
            figures.get(rule.rule().namespace())[3]++;
        }
        for (Redundancy.RedundantPolicy policy : redundancy.policies()) {
            figures.get(policy.policy().substring(0, policy.policy().indexOf('/')))[4]++;
        }
        List<LintResult.NamespaceFigures> namespaces = new ArrayList<>();
        figures.forEach((namespace, row) -> namespaces.add(new LintResult.NamespaceFigures(namespace, row[0], row[1],
                row[2], row[3], row[4])));
        java.util.Collections.sort(sizes);
        int[] perPolicy = sizes.isEmpty() ? new int[] {0, 0, 0}
                : new int[] {sizes.get(0), sizes.get(sizes.size() / 2), sizes.get(sizes.size() - 1)};
        int contained = (int) redundancy.relations().stream().map(Redundancy.PolicyRelation::second).distinct().count();
        return new LintResult.Sprawl(namespaces, cluster.policies().size(), rules, redundancy.rules().size(),
                redundancy.policies().size(), redundancy.overlappingPairs(), contained, perPolicy);
    }
}
