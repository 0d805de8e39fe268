package dev.phiguard.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.synth.ClusterGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A row is decided at once when NetworkPolicy is the only tier, and pair by pair through every
 * tier otherwise. A tier that decides nothing must change nothing: with one in front, the rows,
 * and how they are sorted into fans (which peers a workload's own side treats alike), are the
 * ones the single tier gives.
 */
class RowsThroughTiersTest {

    /** A tier that governs no one: everything passes to the next. */
    private static final Tier PASSING = new Tier() {
        @Override
        public Decision decide(Direction direction, int subject, int peer, boolean external) {
            return Decision.PASS;
        }

        @Override
        public Object evidenceKey(Direction direction, int subject, int peer, boolean external) {
            return "passes";
        }

        @Override
        public List<Map.Entry<RuleRef, ConnectionSet>> reasons(Direction direction, int subject, int peer,
                boolean external) {
            return List.of();
        }
    };

    @Property(tries = 30)
    void testATierThatDecidesNothingChangesNoRowAndNoFan(@ForAll @IntRange(min = 1, max = 6) int namespaces,
            @ForAll @IntRange(min = 2, max = 50) int workloads, @ForAll @IntRange(min = 0, max = 40) int policies,
            @ForAll long seed) {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        ConnectivityMap alone = map(cluster, false);
        ConnectivityMap behindAnother = map(cluster, true);
        for (WorkloadId id : alone.workloads()) {
            assertThat(behindAnother.inbound(id)).as("into %s", id).isEqualTo(alone.inbound(id));
            assertThat(behindAnother.outbound(id)).as("out of %s", id).isEqualTo(alone.outbound(id));
            assertThat(shape(behindAnother.inboundFans(id))).as("fans into %s", id)
                    .isEqualTo(shape(alone.inboundFans(id)));
            assertThat(shape(behindAnother.outboundFans(id))).as("fans out of %s", id)
                    .isEqualTo(shape(alone.outboundFans(id)));
        }
    }

    private static ConnectivityMap map(Cluster cluster, boolean passingTierFirst) {
        ClusterIndex index = ClusterIndex.of(cluster);
        index.cutRanges(Direction.INGRESS, List.of());
        index.cutRanges(Direction.EGRESS, List.of());
        NetworkPolicyTier policies = new NetworkPolicyTier(index);
        return new ConnectivityMap(index, passingTierFirst ? List.of(PASSING, policies) : List.of(policies),
                List.of(), List.of(), Set.of());
    }

    /** Each fan as its connections, its own side's evidence, and its parts' peers with their side's evidence. */
    private static List<List<Object>> shape(List<ConnectionFan> fans) {
        List<List<Object>> shape = new ArrayList<>();
        for (ConnectionFan fan : fans) {
            List<Object> one = new ArrayList<>(List.of(fan.connections(), fan.ownSide()));
            for (ConnectionFan.Part part : fan.parts()) {
                one.add(List.<Object>of(part.peers(), part.farSide()));
            }
            shape.add(one);
        }
        return shape;
    }
}
