package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Workload;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.synth.ClusterGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * On generated clusters, redundancy is exactly "removing it changes no allowed connection":
 * removing any rule or policy reported redundant leaves the connectivity map as it was, and
 * removing any other changes it.
 */
class RedundancyPropertiesTest {

    @Property(tries = 40)
    void testRulesReportedRedundantAreExactlyThoseWhoseRemovalChangesNothing(
            @ForAll @IntRange(min = 1, max = 5) int namespaces, @ForAll @IntRange(min = 2, max = 30) int workloads,
            @ForAll @IntRange(min = 0, max = 25) int policies, @ForAll long seed) {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        Redundancy redundancy = RedundancyAnalyzer.analyze(cluster);
        Set<RuleRef> redundant = redundancy.rules().stream().map(Redundancy.RedundantRule::rule)
                .collect(Collectors.toSet());
        ConnectivityAnalyzer.Options options = ConnectivityAnalyzer.Options.DEFAULT.withBoundaries(blocks(cluster));
        List<String> before = lines(cluster, options);
        int found = 0;
        for (NetworkPolicy policy : cluster.policies()) {
            for (Direction direction : Direction.values()) {
                for (PolicyRule rule : policy.rules(direction)) {
                    RuleRef ref = RuleRef.of(policy, rule);
                    List<String> after = lines(without(cluster, policy, rule), options);
                    if (redundant.contains(ref)) {
                        found++;
                        assertThat(after).as("removing %s, reported redundant", ref).isEqualTo(before);
                    } else {
                        assertThat(after).as("removing %s, not reported redundant", ref).isNotEqualTo(before);
                    }
                }
            }
        }
        Statistics.label("redundant rules").collect(found == 0 ? "none" : "some");
        Statistics.label("redundant rules").coverage(coverage -> coverage.check("some").percentage(p -> p > 20));
    }

    @Property(tries = 30)
    void testPoliciesReportedRedundantAreExactlyThoseWhoseRemovalChangesNothing(
            @ForAll @IntRange(min = 1, max = 5) int namespaces, @ForAll @IntRange(min = 2, max = 30) int workloads,
            @ForAll @IntRange(min = 0, max = 25) int policies, @ForAll long seed) {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        Redundancy redundancy = RedundancyAnalyzer.analyze(cluster);
        Set<String> redundant = redundancy.policies().stream().map(Redundancy.RedundantPolicy::policy)
                .collect(Collectors.toSet());
        ConnectivityAnalyzer.Options options = ConnectivityAnalyzer.Options.DEFAULT.withBoundaries(blocks(cluster));
        List<String> before = lines(cluster, options);
        for (NetworkPolicy policy : cluster.policies()) {
            List<NetworkPolicy> rest = new ArrayList<>(cluster.policies());
            rest.remove(policy);
            List<String> after = lines(new Cluster(cluster.namespaces(), cluster.workloads(), cluster.services(), rest),
                    options);
            if (redundant.contains(policy.namespacedName())) {
                assertThat(after).as("removing %s, reported redundant", policy.namespacedName()).isEqualTo(before);
            } else {
                assertThat(after).as("removing %s, not reported redundant", policy.namespacedName())
                        .isNotEqualTo(before);
            }
        }
    }

    /** Every ipBlock of the cluster, so both sides of a removal cut the address space alike. */
    static List<IpSet> blocks(Cluster cluster) {
        List<IpSet> blocks = new ArrayList<>();
        for (NetworkPolicy policy : cluster.policies()) {
            for (Direction direction : Direction.values()) {
                for (PolicyRule rule : policy.rules(direction)) {
                    for (PolicyPeer peer : rule.peers()) {
                        if (peer instanceof PolicyPeer.IpBlockPeer ipBlock) {
                            blocks.add(ipBlock.addresses());
                        }
                    }
                }
            }
        }
        return blocks;
    }

    /**
     * The map's lines, and for each workload of several pods what its pods allow one another,
     * which the map leaves out but a rule between a database's replicas is there for.
     */
    static List<String> lines(Cluster cluster, ConnectivityAnalyzer.Options options) {
        List<String> lines = new ArrayList<>(ConnectivityAnalyzer.analyze(cluster, options).connections().stream()
                .map(Object::toString).toList());
        for (Workload workload : cluster.workloads()) {
            if (workload.replicas() > 1) {
                Peer self = new Peer.WorkloadPeer(workload.id());
                lines.add("itself " + workload.id() + " : "
                        + Explainer.explain(cluster, self, self, ConnectionSet.ALL).allowed());
            }
        }
        return lines;
    }

    static Cluster without(Cluster cluster, NetworkPolicy policy, PolicyRule rule) {
        List<PolicyRule> ingress = new ArrayList<>(policy.ingress());
        List<PolicyRule> egress = new ArrayList<>(policy.egress());
        ingress.remove(rule);
        egress.remove(rule);
        NetworkPolicy changed = new NetworkPolicy(policy.namespace(), policy.name(), policy.podSelector(),
                policy.declaredPolicyTypes(), ingress, egress, policy.source());
        List<NetworkPolicy> policies = new ArrayList<>(cluster.policies());
        policies.set(policies.indexOf(policy), changed);
        return new Cluster(cluster.namespaces(), cluster.workloads(), cluster.services(), policies);
    }
}
