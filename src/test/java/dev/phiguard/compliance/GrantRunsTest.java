package dev.phiguard.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One subject's grants, gathered from several findings without copying them: read as one list. */
class GrantRunsTest {
    private static final WorkloadId DB = new WorkloadId("phi", "db", "Deployment");

    private static Finding.Grant grant(String peer, int port) {
        return new Finding.Grant(DB, Direction.INGRESS, new Peer.WorkloadPeer(new WorkloadId("app", peer,
                "Deployment")), ConnectionSet.of(Protocol.TCP, port));
    }

    private static final List<Finding.Grant> PLAINTEXT = List.of(grant("a", 80), grant("b", 80));
    private static final List<Finding.Grant> NOT_A_CLIENT = List.of(grant("c", 5432));

    private static FixPlanner.GrantRuns runs(List<List<Finding.Grant>> lists) {
        FixPlanner.GrantRuns runs = new FixPlanner.GrantRuns();
        lists.forEach(runs::add);
        return runs;
    }

    @Test
    void testTheGrantsOfEveryFindingAreReadInOrder() {
        FixPlanner.GrantRuns runs = runs(List.of(PLAINTEXT, List.of(), NOT_A_CLIENT));
        List<Finding.Grant> all = new ArrayList<>(PLAINTEXT);
        all.addAll(NOT_A_CLIENT);

        assertThat(runs).hasSize(3).containsExactlyElementsOf(all);
        assertThat(new ArrayList<>(runs)).isEqualTo(all);
        assertThat(runs.get(2)).isEqualTo(NOT_A_CLIENT.get(0));
        assertThatThrownBy(() -> runs.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(runs(List.of())).isEmpty();
        assertThat(runs(List.of(PLAINTEXT))).hasSize(2);
    }

    @Test
    void testRunsAreEqualWhenTheyHoldTheSameGrantsWhateverTheirLists() {
        FixPlanner.GrantRuns runs = runs(List.of(PLAINTEXT, NOT_A_CLIENT));

        assertThat(runs).isEqualTo(runs(List.of(PLAINTEXT, NOT_A_CLIENT)))
                .isEqualTo(runs(List.of(new ArrayList<>(PLAINTEXT), new ArrayList<>(NOT_A_CLIENT))))
                .isEqualTo(runs(List.of(List.of(PLAINTEXT.get(0)), List.of(PLAINTEXT.get(1), NOT_A_CLIENT.get(0)))))
                .hasSameHashCodeAs(List.of(PLAINTEXT.get(0), PLAINTEXT.get(1), NOT_A_CLIENT.get(0)))
                .isNotEqualTo(runs(List.of(NOT_A_CLIENT, PLAINTEXT)))
                .isNotEqualTo(runs(List.of(PLAINTEXT)));
    }
}
