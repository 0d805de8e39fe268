package dev.phiguard.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.Workload;
import dev.phiguard.synth.ClusterGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The analysis of a changed cluster that takes from the analysis before the change (its endpoint
 * classes, the rules of policies that stayed) gives the answer of an analysis from scratch, and
 * leaves the earlier analysis answering as it did.
 */
class IncrementalAnalysisTest {

    @Property(tries = 300)
    void testAnAnalysisTakingFromTheOneBeforeAChangeEqualsOneFromScratch(
            @ForAll @IntRange(min = 1, max = 6) int namespaces, @ForAll @IntRange(min = 2, max = 60) int workloads,
            @ForAll @IntRange(min = 0, max = 40) int policies, @ForAll @IntRange(min = 1, max = 3) int changes,
            @ForAll long seed) {
        Cluster before = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        Cluster after = change(before, changes, new Random(seed));
        ConnectivityMap earlier = ConnectivityAnalyzer.analyze(before);
        // rules remember what their named ports resolve to as rows are worked out: have some remembered
        List<Connection> earlierAnswer = earlier.connections();
        // and rows asked, for the analysis after to mend
        for (var workload : before.workloads()) {
            earlier.outboundFans(workload.id());
            earlier.inboundFans(workload.id());
        }
        ConnectivityMap again = ConnectivityAnalyzer.analyze(after, ConnectivityAnalyzer.Options.DEFAULT,
                Optional.of(earlier));
        String change = "policies %s, changed to %s".formatted(before.policies(), after.policies());
        assertThat(again.connections()).as(change).isEqualTo(ConnectivityAnalyzer.analyze(after).connections());
        ConnectivityMap scratch = ConnectivityAnalyzer.analyze(after);
        for (var workload : after.workloads()) {
            assertThat(fanned(again.outboundFans(workload.id()))).as(change)
                    .isEqualTo(fanned(scratch.outboundFans(workload.id())));
            assertThat(fanned(again.inboundFans(workload.id()))).as(change)
                    .isEqualTo(fanned(scratch.inboundFans(workload.id())));
        }
        assertThat(ConnectivityAnalyzer.analyze(before).connections()).isEqualTo(earlierAnswer)
                .isEqualTo(earlier.connections());
        Statistics.label("endpoint classes").collect(again.index().classes == earlier.index().classes
                ? "taken again" : "drawn again");
        Statistics.label("endpoint classes").coverage(coverage -> coverage.check("taken again")
                .percentage(p -> p >= 30));
    }

    /**
     * A row of the tier made after the one before a change, mended from the earlier row or
     * computed rule by rule, has the links of a row computed from scratch, and its ways tell
     * the same classes apart.
     */
    @Property(tries = 300)
    void testARowMendedAfterAChangeEqualsOneFromScratch(@ForAll @IntRange(min = 1, max = 6) int namespaces,
            @ForAll @IntRange(min = 2, max = 60) int workloads, @ForAll @IntRange(min = 0, max = 40) int policies,
            @ForAll @IntRange(min = 1, max = 3) int changes, @ForAll long seed) {
        Cluster before = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        Cluster after = changePorts(before, changes, new Random(seed));
        ConnectivityMap earlier = ConnectivityAnalyzer.analyze(before);
        ConnectivityMap again = ConnectivityAnalyzer.analyze(after, ConnectivityAnalyzer.Options.DEFAULT,
                Optional.of(earlier));
        NetworkPolicyTier earlierTier = earlier.networkPolicyTier();
        // made before the earlier tier arranged its peer sets, it computes rows rule by rule
        NetworkPolicyTier direct = new NetworkPolicyTier(again.index(), earlierTier);
        boolean shared = again.index().classes == earlier.index().classes;
        dev.phiguard.model.Direction[] directions = dev.phiguard.model.Direction.values();
        int[][][] beforeRows = new int[directions.length][again.classes()][];
        for (dev.phiguard.model.Direction direction : directions) {
            for (int c = 0; c < again.classes() && shared; c++) {
                beforeRows[direction.ordinal()][c] = earlierTier.row(direction, c);
            }
        }
        // made after: it takes the arrangement of a direction no change touched
        NetworkPolicyTier mending = new NetworkPolicyTier(again.index(), earlierTier);
        NetworkPolicyTier carrying = new NetworkPolicyTier(again.index(), earlierTier);
        NetworkPolicyTier scratch = new NetworkPolicyTier(again.index());
        boolean mended = false;
        for (dev.phiguard.model.Direction direction : directions) {
            for (int c = 0; c < again.classes(); c++) {
                int[] expected = scratch.row(direction, c);
                String which = "%s row of class %d after %s".formatted(direction, c, after.policies());
                assertThat(direct.row(direction, c, null)).as(which).containsExactly(expected);
                assertThat(carrying.row(direction, c, null)).as(which).containsExactly(expected);
                int[] beforeRow = beforeRows[direction.ordinal()][c];
                int[] row = mending.row(direction, c, beforeRow);
                assertSameLinksAndWays(row, expected, which);
                mended |= beforeRow != null && again.index().rules(direction, c) == earlier.index().rules(direction, c)
                        && !java.util.Arrays.equals(beforeRow, expected);
            }
        }
        Statistics.label("a row mended that changed").collect(mended);
        Statistics.label("a row mended that changed").coverage(coverage -> coverage.check(true)
                .percentage(p -> p >= 5));
    }

    /** Fans as what can be compared: each one's connections and its peers, part by part. */
    private static List<String> fanned(List<ConnectionFan> fans) {
        return fans.stream().map(fan -> fan.connections() + " " + fan.parts().stream()
                .map(part -> part.peers().toString()).toList()).toList();
    }

    /** The same others with the same connections, and two links share a way exactly when they do in the other. */
    private static void assertSameLinksAndWays(int[] row, int[] expected, String which) {
        assertThat(row.length).as(which).isEqualTo(expected.length);
        java.util.Map<Integer, Integer> wayToExpected = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> expectedToWay = new java.util.HashMap<>();
        for (int link = 0; link < row.length; link += ConnectivityMap.LINK) {
            assertThat(row[link]).as(which).isEqualTo(expected[link]);
            assertThat(row[link + 1]).as(which).isEqualTo(expected[link + 1]);
            int way = row[link + 2];
            int expectedWay = expected[link + 2];
            assertThat(wayToExpected.computeIfAbsent(way, ignored -> expectedWay))
                    .as(which + ": ways of link " + link / ConnectivityMap.LINK).isEqualTo(expectedWay);
            assertThat(expectedToWay.computeIfAbsent(expectedWay, ignored -> way))
                    .as(which + ": ways of link " + link / ConnectivityMap.LINK).isEqualTo(way);
        }
    }

    @Property(tries = 100)
    void testWhatAChangeCanReachIsTheSameReadByRowsOrByPairs(@ForAll @IntRange(min = 1, max = 6) int namespaces,
            @ForAll @IntRange(min = 2, max = 60) int workloads, @ForAll @IntRange(min = 0, max = 40) int policies,
            @ForAll long seed) {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        Random random = new Random(seed);
        List<dev.phiguard.model.WorkloadId> destinations = new ArrayList<>();
        List<dev.phiguard.model.WorkloadId> sources = new ArrayList<>();
        for (Workload workload : cluster.workloads()) {
            if (random.nextInt(8) == 0) {
                destinations.add(workload.id());
            }
            if (random.nextInt(8) == 0) {
                sources.add(workload.id());
            }
        }
        dev.phiguard.model.ConnectionSet ports = List.of(dev.phiguard.model.ConnectionSet.ALL,
                dev.phiguard.model.ConnectionSet.of(Protocol.TCP, 8443),
                dev.phiguard.model.ConnectionSet.allOf(Protocol.UDP)).get(random.nextInt(3));
        var byRows = map.reachesOrReachedBy(destinations, sources, ports, true);
        var byPairs = map.reachesOrReachedBy(destinations, sources, ports, false);
        for (Workload workload : cluster.workloads()) {
            assertThat(byRows.test(workload.id())).as("%s towards %s, from %s, on %s", workload.id(), destinations,
                    sources, ports).isEqualTo(byPairs.test(workload.id()));
        }
    }

    /**
     * Removes a policy, copies one to another namespace, drops a rule, changes a rule's ports,
     * adds an ipBlock (which cuts the outside otherwise), scales and restarts a workload, has one
     * serve https on its port, or relabels one, at random.
     */
    private static Cluster change(Cluster cluster, int changes, Random random) {
        List<NetworkPolicy> policies = new ArrayList<>(cluster.policies());
        List<Workload> workloads = new ArrayList<>(cluster.workloads());
        for (int c = 0; c < changes; c++) {
            int kind = policies.isEmpty() ? 5 + random.nextInt(3) : random.nextInt(8);
            NetworkPolicy some = policies.isEmpty() ? null : policies.get(random.nextInt(policies.size()));
            switch (kind) {
                case 0 -> policies.remove(some);
                case 1 -> {
                    String namespace = cluster.namespaces().get(random.nextInt(cluster.namespaces().size())).name();
                    policies.add(random.nextInt(policies.size() + 1), new NetworkPolicy(namespace, "added-" + c,
                            some.podSelector(), some.declaredPolicyTypes(), some.ingress(), some.egress(),
                            some.source()));
                }
                case 2 -> policies.set(policies.indexOf(some), withRules(some, rules -> rules.isEmpty() ? rules
                        : rules.subList(1, rules.size())));
                case 3 -> policies.set(policies.indexOf(some), withRules(some, rules -> rules.stream()
                        .map(rule -> new PolicyRule(rule.direction(), rule.index(), rule.peers(), List.of(
                                random.nextBoolean() ? new PolicyPort.NamedPort(Protocol.TCP, "http")
                                        : new PolicyPort.PortNumbers(Protocol.TCP, PortRange.of(8443))),
                                rule.source())).toList()));
                case 4 -> policies.set(policies.indexOf(some), withRules(some, rules -> {
                    List<PolicyRule> more = new ArrayList<>(rules);
                    more.add(new PolicyRule(some.policyTypes().iterator().next(), rules.size(), List.of(
                            PolicyPeer.IpBlockPeer.of("10." + random.nextInt(256) + ".0.0/16", List.of())),
                            List.of(), rules.isEmpty() ? some.source() : rules.get(0).source()));
                    return more;
                }));
                case 5 -> {
                    // scaled and restarted: what the index reads of it stays
                    Workload one = workloads.get(random.nextInt(workloads.size()));
                    List<PodTemplate> templates = new ArrayList<>();
                    for (PodTemplate template : one.templates()) {
                        SortedMap<String, String> annotations = new TreeMap<>(template.annotations());
                        annotations.put("kubectl.kubernetes.io/restartedAt", "2026-11-26T12:00:00Z");
                        templates.add(new PodTemplate(template.labels(), annotations, template.ports(),
                                template.hostNetwork()));
                    }
                    workloads.set(workloads.indexOf(one), new Workload(one.id(), one.annotations(), templates,
                            one.replicas() + 2, one.source()));
                }
                case 6 -> {
                    // its port serves https now, by name: rules naming a port resolve otherwise on it
                    Workload one = workloads.get(random.nextInt(workloads.size()));
                    PodTemplate template = one.templates().get(0);
                    List<PodTemplate> templates = new ArrayList<>(one.templates());
                    templates.set(0, new PodTemplate(template.labels(), template.annotations(),
                            List.of(new dev.phiguard.model.ContainerPort("https", 8443, Protocol.TCP)),
                            template.hostNetwork()));
                    workloads.set(workloads.indexOf(one), new Workload(one.id(), one.annotations(), templates,
                            one.replicas(), one.source()));
                }
                default -> {
                    Workload one = workloads.get(random.nextInt(workloads.size()));
                    PodTemplate template = one.templates().get(0);
                    SortedMap<String, String> labels = new TreeMap<>(template.labels());
                    labels.put("tier", "relabelled");
                    List<PodTemplate> templates = new ArrayList<>(one.templates());
                    templates.set(0, new PodTemplate(labels, template.annotations(), template.ports(),
                            template.hostNetwork()));
                    workloads.set(workloads.indexOf(one), new Workload(one.id(), one.annotations(), templates,
                            one.replicas(), one.source()));
                }
            }
        }
        return new Cluster(cluster.namespaces(), workloads, cluster.services(), policies, cluster.platform());
    }

    /**
     * Moves a policy's rules to other ports, or adds a copy of a policy next to it that allows
     * other ports, at random: changes that leave the endpoint classes as they were.
     */
    private static Cluster changePorts(Cluster cluster, int changes, Random random) {
        List<NetworkPolicy> policies = new ArrayList<>(cluster.policies());
        for (int c = 0; c < changes && !policies.isEmpty(); c++) {
            NetworkPolicy some = policies.get(random.nextInt(policies.size()));
            int port = 8000 + random.nextInt(3);
            NetworkPolicy moved = withRules(some, rules -> rules.stream()
                    .map(rule -> new PolicyRule(rule.direction(), rule.index(), rule.peers(), List.of(
                            new PolicyPort.PortNumbers(Protocol.TCP, PortRange.of(port))), rule.source()))
                    .toList());
            if (random.nextBoolean()) {
                policies.set(policies.indexOf(some), moved);
            } else {
                policies.add(policies.indexOf(some) + 1, new NetworkPolicy(some.namespace(), "copy-" + c,
                        moved.podSelector(), moved.declaredPolicyTypes(), moved.ingress(), moved.egress(),
                        moved.source()));
            }
        }
        return new Cluster(cluster.namespaces(), cluster.workloads(), cluster.services(), policies,
                cluster.platform());
    }

    /** The policy with the rules of the direction it isolates first changed so. */
    private static NetworkPolicy withRules(NetworkPolicy policy,
            java.util.function.UnaryOperator<List<PolicyRule>> change) {
        boolean ingress = policy.policyTypes().iterator().next() == dev.phiguard.model.Direction.INGRESS;
        return new NetworkPolicy(policy.namespace(), policy.name(), policy.podSelector(),
                policy.declaredPolicyTypes(), ingress ? change.apply(policy.ingress()) : policy.ingress(),
                ingress ? policy.egress() : change.apply(policy.egress()), policy.source());
    }
}
