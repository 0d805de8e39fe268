package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.DirectionVerdict;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.LabelSelector.Operator;
import dev.phiguard.model.LabelSelector.Requirement;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The explainer evaluates policies for one pair directly; the connectivity analyzer evaluates
 * whole classes of pods at once. On random small clusters they must agree on every pair: what
 * {@link Explainer#explain} allows is what {@link ConnectivityAnalyzer#analyze} lists, and a
 * single port is fully allowed exactly when the map's connection contains it.
 *
 * <p>Labels, port names and addresses come from small pools so that selectors, named ports and
 * ipBlocks often match. A counterexample prints as YAML that {@code phiguard explain} reads.
 */
class ExplainAgreesWithConnectivityTest {

    private static final List<String> POD_KEYS = List.of("app", "tier", "role");
    private static final List<String> POD_VALUES = List.of("a", "b", "c");
    private static final List<String> NAMESPACE_KEYS = List.of("team", "env", Namespace.NAME_LABEL);
    private static final List<String> NAMESPACE_VALUES = List.of("x", "y", "ns0", "ns1");
    private static final List<String> PORT_NAMES = List.of("http", "db", "dns", "metrics");
    private static final List<Integer> PORT_NUMBERS = List.of(53, 80, 443, 5432, 8080);
    private static final int MAX_NAMESPACES = 4;

    // ---------------------------------------------------------------- what is generated

    /**
     * One generated cluster and the probes to ask it about.
     *
     * @param addresses IPv4 addresses outside the cluster, as numbers
     * @param probes single connections to check with {@link Explanation#fullyAllowed()}
     */
    record Scenario(Cluster cluster, List<Long> addresses, List<Probe> probes) {
        @Override
        public String toString() {
            return "addresses " + addresses.stream().map(ExplainAgreesWithConnectivityTest::address).toList()
                    + ", probes " + probes + "\n" + yaml(cluster);
        }
    }

    /** One protocol and port. */
    record Probe(Protocol protocol, int port) {
        ConnectionSet connections() {
            return ConnectionSet.of(protocol, port);
        }

        @Override
        public String toString() {
            return port + "/" + protocol;
        }
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 300)
    void testExplainAllowsWhatTheConnectivityMapLists(@ForAll("scenarios") Scenario scenario) {
        Cluster cluster = scenario.cluster();
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        List<Peer> workloads = cluster.workloads().stream().map(w -> (Peer) new Peer.WorkloadPeer(w.id())).toList();
        int pairs = 0;
        int allowedPairs = 0;
        for (Peer source : workloads) {
            for (Peer destination : workloads) {
                if (source.equals(destination)) {
                    continue; // the map never lists a workload with itself
                }
                ConnectionSet explained = Explainer.explain(cluster, source, destination, ConnectionSet.ALL).allowed();
                assertThat(explained).as("%s => %s", source, destination).isEqualTo(listed(map, source, destination));
                pairs++;
                allowedPairs += explained.isEmpty() ? 0 : 1;
            }
        }
        for (long address : scenario.addresses()) {
            Peer external = new Peer.ExternalPeer(IpRange.fromAddress(address(address)));
            IpRange sourceRange = containing(map.externalSources(), address);
            IpRange destinationRange = containing(map.externalDestinations(), address);
            for (Peer workload : workloads) {
                assertThat(Explainer.explain(cluster, external, workload, ConnectionSet.ALL).allowed())
                        .as("%s => %s", external, workload)
                        .isEqualTo(listed(map, new Peer.ExternalPeer(sourceRange), workload));
                assertThat(Explainer.explain(cluster, workload, external, ConnectionSet.ALL).allowed())
                        .as("%s => %s", workload, external)
                        .isEqualTo(listed(map, workload, new Peer.ExternalPeer(destinationRange)));
            }
        }
        Statistics.label("workload pairs allowed something").collect(allowedPairs == 0 ? "none"
                : allowedPairs == pairs ? "all" : "some");
        Statistics.label("workload pairs allowed something").coverage(coverage -> {
            coverage.check("some").percentage(p -> p > 20);
        });
    }

    @Property(tries = 300)
    void testFullyAllowedOnOnePortAgreesWithTheMap(@ForAll("scenarios") Scenario scenario) {
        Cluster cluster = scenario.cluster();
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        List<Peer> workloads = cluster.workloads().stream().map(w -> (Peer) new Peer.WorkloadPeer(w.id())).toList();
        List<Peer[]> pairs = new ArrayList<>();
        for (Peer source : workloads) {
            for (Peer destination : workloads) {
                if (!source.equals(destination)) {
                    pairs.add(new Peer[] {source, destination, source, destination});
                }
            }
        }
        for (long address : scenario.addresses()) {
            Peer external = new Peer.ExternalPeer(IpRange.fromAddress(address(address)));
            Peer sourceRange = new Peer.ExternalPeer(containing(map.externalSources(), address));
            Peer destinationRange = new Peer.ExternalPeer(containing(map.externalDestinations(), address));
            for (Peer workload : workloads) {
                pairs.add(new Peer[] {external, workload, sourceRange, workload});
                pairs.add(new Peer[] {workload, external, workload, destinationRange});
            }
        }
        for (Probe probe : scenario.probes()) {
            for (Peer[] pair : pairs) {
                boolean open = Explainer.explain(cluster, pair[0], pair[1], probe.connections()).fullyAllowed();
                boolean listed = map.between(pair[2], pair[3])
                        .map(connection -> connection.connections().contains(probe.protocol(), probe.port()))
                        .orElse(false);
                assertThat(open).as("%s => %s on %s", pair[0], pair[1], probe).isEqualTo(listed);
                Statistics.label("probe open").collect(open);
            }
        }
        Statistics.label("probe open").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 10);
            coverage.check(false).percentage(p -> p > 10);
        });
    }

    @Property(tries = 300)
    void testExplanationNamesTheRulesAndIsolationTheMapNames(@ForAll("scenarios") Scenario scenario) {
        Cluster cluster = scenario.cluster();
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        boolean external = false;
        boolean granted = false;
        for (Connection connection : map.connections()) {
            Peer source = single(connection.source(), scenario);
            Peer destination = single(connection.destination(), scenario);
            if (source == null || destination == null) {
                continue; // an external range none of the generated addresses falls in
            }
            Explanation explanation = Explainer.explain(cluster, source, destination, ConnectionSet.ALL);
            assertThat(explanation.allowed()).as("%s", connection).isEqualTo(connection.connections());
            assertSideAgrees(cluster, explanation.egress(), connection.egress(), explanation.allowed(), connection);
            assertSideAgrees(cluster, explanation.ingress(), connection.ingress(), explanation.allowed(), connection);
            external |= !(source instanceof Peer.WorkloadPeer && destination instanceof Peer.WorkloadPeer);
            granted |= !connection.egress().allowedBy().isEmpty() || !connection.ingress().allowedBy().isEmpty();
        }
        Statistics.label("explained an external connection, a granting rule").collect(external, granted);
        Statistics.label("explained an external connection, a granting rule").coverage(coverage -> {
            coverage.check(true, true).percentage(p -> p > 30);
        });
    }

    /**
     * One side agrees with the map's verdict: the same isolation, and the rules that grant some of
     * the connection finally allowed are the rules the map names. Within the explanation, an
     * isolated side allows exactly what its granting rules grant, and a rule grants iff its outcome says so.
     */
    private static void assertSideAgrees(Cluster cluster, Explanation.Side side, DirectionVerdict verdict,
            ConnectionSet allowed, Connection connection) {
        Explanation.Isolation expected = switch (verdict.isolation()) {
            case ISOLATED -> Explanation.Isolation.ISOLATED;
            case NOT_ISOLATED -> Explanation.Isolation.NOT_ISOLATED;
            case OUTSIDE_CLUSTER -> Explanation.Isolation.OUTSIDE_CLUSTER;
        };
        assertThat(side.isolation()).as("%s isolation of %s", side.direction(), connection).isEqualTo(expected);
        Set<RuleRef> granting = new TreeSet<>();
        ConnectionSet union = ConnectionSet.NONE;
        for (Explanation.RuleMatch match : side.rules()) {
            assertThat(match.outcome() == Explanation.Outcome.GRANTS).as("%s", match).isEqualTo(!match.granted().isEmpty());
            boolean admitsPeer = match.outcome() == Explanation.Outcome.GRANTS
                    || match.outcome() == Explanation.Outcome.PEER_ONLY;
            assertThat(match.matchingPeer().isPresent()).as("matching peer of %s", match)
                    .isEqualTo(admitsPeer && !rule(cluster, match.rule()).matchesAllPeers());
            union = union.union(match.granted());
            if (match.granted().intersects(allowed)) {
                granting.add(match.rule());
            }
        }
        if (side.isolation() == Explanation.Isolation.ISOLATED) {
            assertThat(side.allowed()).as("%s of %s", side.direction(), connection).isEqualTo(union);
        } else {
            assertThat(side.allowed()).isEqualTo(ConnectionSet.ALL);
            assertThat(side.rules()).isEmpty();
        }
        assertThat(granting).as("%s rules of %s", side.direction(), connection)
                .containsExactlyElementsOf(new TreeSet<>(verdict.allowedBy()));
    }

    /** The rule a reference names. */
    private static PolicyRule rule(Cluster cluster, RuleRef ref) {
        NetworkPolicy policy = cluster.policies().stream().filter(p -> p.namespacedName().equals(ref.policyName()))
                .findFirst().orElseThrow();
        return policy.rules(ref.direction()).get(ref.index());
    }

    /** A workload as it is; an external range as one generated address inside it, or null when none is. */
    private static Peer single(Peer peer, Scenario scenario) {
        if (peer instanceof Peer.ExternalPeer external) {
            for (long address : scenario.addresses()) {
                IpRange one = IpRange.fromAddress(address(address));
                if (external.range().contains(one)) {
                    return new Peer.ExternalPeer(one);
                }
            }
            return null;
        }
        return peer;
    }

    /** What the map says one peer may open to another; none when the pair is not listed. */
    private static ConnectionSet listed(ConnectivityMap map, Peer source, Peer destination) {
        return map.between(source, destination).map(Connection::connections).orElse(ConnectionSet.NONE);
    }

    /** The map's external range that holds the address; the map cuts the whole IPv4 space. */
    private static IpRange containing(List<IpRange> ranges, long address) {
        IpRange single = IpRange.fromAddress(address(address));
        return ranges.stream().filter(range -> range.contains(single)).findFirst()
                .orElseThrow(() -> new AssertionError("no external range of the map holds " + single + ": " + ranges));
    }

    // ---------------------------------------------------------------- arbitraries

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> namespaceCount = Arbitraries.integers().between(2, MAX_NAMESPACES);
        Arbitrary<List<Map<String, String>>> namespaceLabels = namespaceLabels().list().ofSize(MAX_NAMESPACES);
        Arbitrary<List<Workload>> workloads = workloadSpecs().list().ofMinSize(2).ofMaxSize(8)
                .map(ExplainAgreesWithConnectivityTest::name);
        Arbitrary<List<PolicySpec>> policies = policySpecs().list().ofMaxSize(6);
        Arbitrary<List<Long>> addresses = addresses().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<Probe>> probes = probes().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(namespaceCount, namespaceLabels, workloads, policies, addresses, probes)
                .as((count, labels, workloadList, policyList, addressList, probeList) -> {
                    List<Namespace> namespaces = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        namespaces.add(Namespace.of("ns" + i, labels.get(i)));
                    }
                    List<Workload> placed = new ArrayList<>();
                    for (Workload workload : workloadList) {
                        int index = Integer.parseInt(workload.namespace().substring(2)) % count;
                        placed.add(new Workload(new WorkloadId("ns" + index, workload.id().name(), workload.id().kind()),
                                workload.annotations(), workload.templates(), 1, SourceRef.UNKNOWN));
                    }
                    List<NetworkPolicy> built = new ArrayList<>();
                    for (int i = 0; i < policyList.size(); i++) {
                        built.add(policyList.get(i).build("ns" + (policyList.get(i).namespace() % count), "p" + i));
                    }
                    return new Scenario(Cluster.of(namespaces, placed, built), addressList, probeList);
                });
    }

    /** Gives each workload a unique name, w0, w1, ... in generation order. */
    private static List<Workload> name(List<Workload> workloads) {
        List<Workload> named = new ArrayList<>();
        for (int i = 0; i < workloads.size(); i++) {
            Workload workload = workloads.get(i);
            named.add(new Workload(new WorkloadId(workload.namespace(), "w" + i, workload.id().kind()),
                    workload.annotations(), workload.templates(), 1, SourceRef.UNKNOWN));
        }
        return named;
    }

    private static Arbitrary<Map<String, String>> namespaceLabels() {
        return Arbitraries.maps(Arbitraries.of("team", "env"), Arbitraries.of("x", "y")).ofMaxSize(2);
    }

    private static Arbitrary<Map<String, String>> podLabels() {
        return Arbitraries.maps(Arbitraries.of(POD_KEYS), Arbitraries.of(POD_VALUES)).ofMaxSize(3);
    }

    /** A workload in namespace "ns{i}" (i taken modulo the namespace count later), named later. */
    private static Arbitrary<Workload> workloadSpecs() {
        Arbitrary<Integer> namespace = Arbitraries.integers().between(0, MAX_NAMESPACES - 1);
        Arbitrary<String> kind = Arbitraries.of("Deployment", "StatefulSet", "Pod");
        Arbitrary<List<ContainerPort>> ports = containerPorts().list().ofMaxSize(3).map(list -> {
            // Kubernetes keeps port names unique within a pod
            Map<String, ContainerPort> byName = new LinkedHashMap<>();
            list.forEach(port -> byName.putIfAbsent(port.name(), port));
            return List.copyOf(byName.values());
        });
        return Combinators.combine(namespace, kind, podLabels(), ports)
                .as((ns, k, labels, portList) -> Workload.of(new WorkloadId("ns" + ns, "w", k), labels, portList));
    }

    private static Arbitrary<ContainerPort> containerPorts() {
        return Combinators.combine(Arbitraries.of(PORT_NAMES), portNumbers(), Arbitraries.of(Protocol.class))
                .as(ContainerPort::new);
    }

    private static Arbitrary<Integer> portNumbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(PORT_NUMBERS)),
                Tuple.of(1, Arbitraries.integers().between(PortRange.MIN_PORT, PortRange.MAX_PORT)));
    }

    private static Arbitrary<Probe> probes() {
        return Combinators.combine(Arbitraries.of(Protocol.class), portNumbers()).as(Probe::new);
    }

    /**
     * A policy before it is placed: a namespace index (modulo the namespace count), its pod
     * selector, its declared policyTypes (empty: absent) and its rules.
     */
    record PolicySpec(int namespace, LabelSelector podSelector, Optional<Set<Direction>> policyTypes,
            List<RuleSpec> ingress, List<RuleSpec> egress) {
        NetworkPolicy build(String namespaceName, String name) {
            List<PolicyRule> ingressRules = new ArrayList<>();
            for (int i = 0; i < ingress.size(); i++) {
                ingressRules.add(ingress.get(i).build(Direction.INGRESS, i));
            }
            List<PolicyRule> egressRules = new ArrayList<>();
            for (int i = 0; i < egress.size(); i++) {
                egressRules.add(egress.get(i).build(Direction.EGRESS, i));
            }
            return new NetworkPolicy(namespaceName, name, podSelector, policyTypes, ingressRules, egressRules,
                    SourceRef.UNKNOWN);
        }
    }

    /** One rule before its direction and index are known; empty peers or ports mean all. */
    record RuleSpec(List<PolicyPeer> peers, List<PolicyPort> ports) {
        PolicyRule build(Direction direction, int index) {
            return new PolicyRule(direction, index, peers, ports, SourceRef.UNKNOWN);
        }
    }

    private static Arbitrary<PolicySpec> policySpecs() {
        Arbitrary<Optional<Set<Direction>>> types = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Optional.<Set<Direction>>empty())),
                // Kubernetes defaults an empty policyTypes like an absent one, so a declared list is never empty
                Tuple.of(3, Arbitraries.of(Direction.class).set().ofMinSize(1).ofMaxSize(2)
                        .map(set -> Optional.<Set<Direction>>of(EnumSet.copyOf(set)))));
        return Combinators.combine(Arbitraries.integers().between(0, MAX_NAMESPACES - 1), selectors(POD_KEYS, POD_VALUES),
                types, ruleSpecs().list().ofMaxSize(3), ruleSpecs().list().ofMaxSize(3))
                .as(PolicySpec::new);
    }

    private static Arbitrary<RuleSpec> ruleSpecs() {
        return Combinators.combine(policyPeers().list().ofMaxSize(3), policyPorts().list().ofMaxSize(3))
                .as(RuleSpec::new);
    }

    private static Arbitrary<LabelSelector> selectors(List<String> keys, List<String> values) {
        Arbitrary<Requirement> requirement = Combinators.combine(Arbitraries.of(keys), Arbitraries.of(Operator.class),
                Arbitraries.of(values).set().ofMinSize(1).ofMaxSize(2))
                .as((key, operator, set) -> switch (operator) {
                    case IN, NOT_IN -> new Requirement(key, operator, new TreeSet<>(set));
                    case EXISTS, DOES_NOT_EXIST -> new Requirement(key, operator, new TreeSet<>());
                });
        Arbitrary<Map<String, String>> matchLabels = Arbitraries.maps(Arbitraries.of(keys), Arbitraries.of(values))
                .ofMaxSize(1);
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(LabelSelector.ALL)),
                Tuple.of(3, Combinators.combine(matchLabels, requirement.list().ofMaxSize(2)).as(LabelSelector::of)));
    }

    private static Arbitrary<PolicyPeer> policyPeers() {
        Arbitrary<LabelSelector> pods = selectors(POD_KEYS, POD_VALUES);
        Arbitrary<LabelSelector> namespaces = selectors(NAMESPACE_KEYS, NAMESPACE_VALUES);
        return Arbitraries.oneOf(
                pods.map(PolicyPeer.SelectorPeer::pods),
                namespaces.map(PolicyPeer.SelectorPeer::namespaces),
                Combinators.combine(namespaces, pods).as(PolicyPeer.SelectorPeer::podsInNamespaces),
                ipBlocks());
    }

    /** A CIDR of the address pool and up to two holes strictly inside it. */
    private static Arbitrary<PolicyPeer> ipBlocks() {
        Arbitrary<Integer> prefixes = Arbitraries.of(0, 8, 14, 16, 24, 30, 32);
        Arbitrary<List<Tuple.Tuple2<Long, Integer>>> holes = Combinators.combine(addresses(),
                Arbitraries.integers().between(1, 10)).as(Tuple::of).list().ofMaxSize(2);
        return Combinators.combine(addresses(), prefixes, holes).as((base, prefix, holeList) -> {
            String cidr = cidr(base, prefix);
            List<String> except = new ArrayList<>();
            if (prefix < 32) {
                for (Tuple.Tuple2<Long, Integer> hole : holeList) {
                    int holePrefix = Math.min(32, prefix + hole.get2());
                    long inside = (network(base, prefix) | (hole.get1() & ~mask(prefix))) & 0xFFFFFFFFL;
                    except.add(cidr(inside, holePrefix));
                }
            }
            return PolicyPeer.IpBlockPeer.of(cidr, except);
        });
    }

    private static Arbitrary<PolicyPort> policyPorts() {
        Arbitrary<Protocol> protocols = Arbitraries.of(Protocol.class);
        Arbitrary<PolicyPort> single = Combinators.combine(protocols, portNumbers())
                .as((protocol, port) -> new PolicyPort.PortNumbers(protocol, PortRange.of(port)));
        Arbitrary<PolicyPort> range = Combinators.combine(protocols, portNumbers(), Arbitraries.integers().between(0, 6000))
                .as((protocol, port, width) -> new PolicyPort.PortNumbers(protocol,
                        PortRange.of(port, Math.min(PortRange.MAX_PORT, port + width))));
        Arbitrary<PolicyPort> named = Combinators.combine(protocols, Arbitraries.of(PORT_NAMES)).as(PolicyPort.NamedPort::new);
        Arbitrary<PolicyPort> protocolOnly = protocols.map(PolicyPort.AnyPort::new);
        return Arbitraries.oneOf(single, range, named, protocolOnly);
    }

    /** IPv4 addresses, mostly from 10.0.0.0-11.3.255.255 so that they fall in and out of generated blocks. */
    private static Arbitrary<Long> addresses() {
        Arbitrary<Long> pool = Combinators.combine(Arbitraries.of(10L, 11L), Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(0, 255), Arbitraries.longs().between(0, 255))
                .as((a, b, c, d) -> (a << 24) | (b << 16) | (c << 8) | d);
        return Arbitraries.frequencyOf(
                Tuple.of(4, pool),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFFFFFFL)));
    }

    // ---------------------------------------------------------------- addresses as numbers

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static long network(long address, int prefix) {
        return address & mask(prefix);
    }

    private static String cidr(long address, int prefix) {
        return address(network(address, prefix)) + "/" + prefix;
    }

    static String address(long value) {
        return IpRange.formatAddress(IpFamily.IPV4, BigInteger.valueOf(value));
    }

    // ---------------------------------------------------------------- counterexamples as YAML

    /** The cluster as manifests, so that a shrunk counterexample can be replayed with the CLI. */
    static String yaml(Cluster cluster) {
        StringBuilder out = new StringBuilder();
        for (Namespace namespace : cluster.namespaces()) {
            Map<String, String> labels = new LinkedHashMap<>(namespace.labels());
            labels.remove(Namespace.NAME_LABEL);
            out.append("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ").append(namespace.name())
                    .append(", labels: ").append(flow(labels)).append("}\n");
        }
        for (Workload workload : cluster.workloads()) {
            List<String> ports = new ArrayList<>();
            for (ContainerPort port : workload.ports()) {
                ports.add("{name: " + port.name() + ", containerPort: " + port.port() + ", protocol: " + port.protocol() + "}");
            }
            out.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: ").append(workload.id().name())
                    .append(", namespace: ").append(workload.namespace()).append(", labels: ")
                    .append(flow(workload.labels())).append("}  # ").append(workload.id().kind())
                    .append("\nspec: {containers: [{name: c, image: i, ports: [").append(String.join(", ", ports))
                    .append("]}]}\n");
        }
        for (NetworkPolicy policy : cluster.policies()) {
            out.append("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ")
                    .append(policy.name()).append(", namespace: ").append(policy.namespace()).append("}\nspec:\n")
                    .append("  podSelector: ").append(selector(policy.podSelector())).append('\n');
            policy.declaredPolicyTypes().ifPresent(types -> out.append("  policyTypes: [")
                    .append(String.join(", ", types.stream().sorted().map(Direction::kubernetesName).toList()))
                    .append("]\n"));
            rules(out, "ingress", "from", policy.ingress());
            rules(out, "egress", "to", policy.egress());
        }
        return out.toString();
    }

    private static void rules(StringBuilder out, String section, String peersKey, List<PolicyRule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        out.append("  ").append(section).append(":\n");
        for (PolicyRule rule : rules) {
            List<String> peers = new ArrayList<>();
            for (PolicyPeer peer : rule.peers()) {
                if (peer instanceof PolicyPeer.IpBlockPeer block) {
                    peers.add("{ipBlock: {cidr: " + block.cidr() + ", except: [" + String.join(", ", block.except()) + "]}}");
                } else if (peer instanceof PolicyPeer.SelectorPeer selectors) {
                    List<String> parts = new ArrayList<>();
                    selectors.namespaceSelector().ifPresent(s -> parts.add("namespaceSelector: " + selector(s)));
                    selectors.podSelector().ifPresent(s -> parts.add("podSelector: " + selector(s)));
                    peers.add("{" + String.join(", ", parts) + "}");
                }
            }
            List<String> ports = new ArrayList<>();
            for (PolicyPort port : rule.ports()) {
                if (port instanceof PolicyPort.AnyPort any) {
                    ports.add("{protocol: " + any.protocol() + "}");
                } else if (port instanceof PolicyPort.PortNumbers numbers) {
                    ports.add("{protocol: " + numbers.protocol() + ", port: " + numbers.range().first()
                            + (numbers.range().last() != numbers.range().first() ? ", endPort: " + numbers.range().last() : "")
                            + "}");
                } else if (port instanceof PolicyPort.NamedPort named) {
                    ports.add("{protocol: " + named.protocol() + ", port: " + named.name() + "}");
                }
            }
            out.append("  - {").append(peersKey).append(": [").append(String.join(", ", peers)).append("], ports: [")
                    .append(String.join(", ", ports)).append("]}\n");
        }
    }

    private static String selector(LabelSelector selector) {
        List<String> expressions = new ArrayList<>();
        for (Requirement requirement : selector.matchExpressions()) {
            expressions.add("{key: '" + requirement.key() + "', operator: " + requirement.operator().kubernetesName()
                    + (requirement.values().isEmpty() ? "" : ", values: ['" + String.join("', '", requirement.values()) + "']")
                    + "}");
        }
        return "{matchLabels: " + flow(selector.matchLabels()) + ", matchExpressions: [" + String.join(", ", expressions)
                + "]}";
    }

    private static String flow(Map<String, String> map) {
        List<String> pairs = new ArrayList<>();
        map.forEach((key, value) -> pairs.add("'" + key + "': '" + value + "'"));
        return "{" + String.join(", ", pairs) + "}";
    }
}
