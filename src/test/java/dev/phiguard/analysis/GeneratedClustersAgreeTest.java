package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectionFan;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.synth.ClusterGenerator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * On clusters from {@code generate-cluster} (every rule shape, skewed labels), the class-based
 * evaluation agrees with the straightforward one: {@link Explainer} judges each pair by reading
 * every policy, and must allow exactly what {@link ConnectivityMap} lists; and the fans audits
 * read hold exactly the connections, with the same evidence, that the map lists one by one.
 */
class GeneratedClustersAgreeTest {

    @Property(tries = 25)
    void testEveryPairAgreesWithTheStraightforwardEvaluation(@ForAll @IntRange(min = 1, max = 6) int namespaces,
            @ForAll @IntRange(min = 2, max = 40) int workloads, @ForAll @IntRange(min = 0, max = 30) int policies,
            @ForAll long seed) {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        int allowed = 0;
        int pairs = 0;
        for (Workload from : cluster.workloads()) {
            for (Workload to : cluster.workloads()) {
                if (from == to) {
                    continue;
                }
                Peer source = new Peer.WorkloadPeer(from.id());
                Peer destination = new Peer.WorkloadPeer(to.id());
                ConnectionSet explained = Explainer.explain(cluster, source, destination, ConnectionSet.ALL).allowed();
                ConnectionSet listed = map.between(source, destination).map(Connection::connections)
                        .orElse(ConnectionSet.NONE);
                assertThat(explained).as("%s => %s in %s", source, destination, cluster.policies()).isEqualTo(listed);
                pairs++;
                allowed += explained.isEmpty() ? 0 : 1;
            }
        }
        Statistics.label("pairs allowed").collect(allowed == 0 ? "none" : allowed == pairs ? "all" : "some");
        Statistics.label("pairs allowed").coverage(coverage -> coverage.check("some").percentage(p -> p > 30));
    }

    @Property(tries = 25)
    void testFansHoldExactlyTheListedConnections(@ForAll @IntRange(min = 1, max = 8) int namespaces,
            @ForAll @IntRange(min = 2, max = 80) int workloads, @ForAll @IntRange(min = 0, max = 40) int policies,
            @ForAll long seed) {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        for (WorkloadId id : map.workloads()) {
            assertThat(expand(map.inboundFans(id))).as("into %s", id).isEqualTo(map.inbound(id));
            assertThat(expand(map.outboundFans(id))).as("out of %s", id).isEqualTo(map.outbound(id));
        }
        List<Connection> everything = new ArrayList<>();
        map.workloads().forEach(id -> everything.addAll(map.outbound(id)));
        map.workloads().forEach(id -> map.inbound(id).stream()
                .filter(connection -> connection.source() instanceof Peer.ExternalPeer).forEach(everything::add));
        assertThat(sorted(everything)).as("rows and the whole map").isEqualTo(sorted(map.connections()));
        // generated workloads have one pod template each, so one class each: the count is of workload pairs exactly
        long workloadPairs = map.connections().stream()
                .filter(connection -> connection.source() instanceof Peer.WorkloadPeer
                        && connection.destination() instanceof Peer.WorkloadPeer)
                .count();
        assertThat(map.size().workloadPairs()).as("the measure of the map, counted row by row on every core")
                .isEqualTo(workloadPairs);
    }

    /** One connection per peer of every part, in the printed order of the map's rows. */
    private static List<Connection> expand(List<ConnectionFan> fans) {
        List<Connection> connections = new ArrayList<>();
        for (ConnectionFan fan : fans) {
            for (ConnectionFan.Part part : fan.parts()) {
                for (Peer peer : part.peers()) {
                    assertThat(peer).isNotEqualTo(new Peer.WorkloadPeer(fan.self()));
                    connections.add(fan.connection(part, peer));
                }
            }
        }
        return sorted(connections);
    }

    private static List<Connection> sorted(List<Connection> connections) {
        List<Connection> copy = new ArrayList<>(connections);
        copy.sort(Comparator.comparing((Connection connection) -> connection.source())
                .thenComparing(Connection::destination));
        return copy;
    }
}
