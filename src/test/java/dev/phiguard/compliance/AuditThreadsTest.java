package dev.phiguard.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Profile;
import dev.phiguard.report.AuditJsonFormatter;
import dev.phiguard.report.AuditReport;
import dev.phiguard.synth.ClusterGenerator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Judging PHI workloads on several threads changes nothing in the answer, down to the order of findings. */
class AuditThreadsTest {

    @Test
    void anyNumberOfThreadsGivesTheSameReport() {
        Profile profile = ProfileReader.defaultProfile();
        for (long seed = 1; seed <= 3; seed++) {
            Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(40, 2000, 400, seed));
            AuditResult alone = Auditor.audit(cluster, profile, 1);
            // enough PHI workloads that three threads really share them
            assertThat(alone.phiWorkloads().size()).isGreaterThan(3 * 64);
            assertThat(alone.findings()).isNotEmpty();
            String expected = json(alone);
            for (int threads : new int[] {2, 3}) {
                assertThat(json(Auditor.audit(cluster, profile, threads)))
                        .as("seed %d on %d threads", seed, threads).isEqualTo(expected);
            }
        }
    }

    private static String json(AuditResult result) {
        return new AuditJsonFormatter().format(new AuditReport(result, List.of(), "profile", "test",
                Optional.of("2026-01-01")));
    }
}
