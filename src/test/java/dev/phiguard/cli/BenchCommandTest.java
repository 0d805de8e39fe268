package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.cli.AuditCommandTest.Run;
import org.junit.jupiter.api.Test;

/** {@code phiguard bench}: what it prints is what bench/run reads; the figures themselves are not asserted. */
class BenchCommandTest {

    @Test
    void testBenchPrintsEveryMeasureAndTheRatioLast() {
        Run run = AuditCommandTest.run("bench", "examples/clinic", "--repeat", "2");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        // numbers, with their thousands separators and a list's commas, read as N
        assertThat(run.out().lines().map(line -> line.replaceAll("[0-9][0-9.,]*", "N")).toList()).containsExactly(
                "input: examples/clinic: N workloads, N NetworkPolicies, N namespaces",
                "parse: N s",
                "connectivity: N s (N endpoint classes, N class pairs, N workload pairs allowed)",
                "audit: N s (N findings)",
                "audits again: N s",
                "heap retained after each audit: N N MiB",
                "peak heap: N MiB used, sampled (heap limit N MiB)",
                "audit/parse ratio: N");
        // the counts are exact, whatever the machine
        assertThat(run.out()).contains("input: examples/clinic: 14 workloads, 30 NetworkPolicies, 9 namespaces",
                "(8 findings)", "48 workload pairs allowed");
    }

    @Test
    void testRepeatBelowOneIsBadUsage() {
        Run run = AuditCommandTest.run("bench", "examples/clinic", "--repeat", "0");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard bench: --repeat: expected at least 1, got 0");
    }

    @Test
    void testNothingToMeasureIsBadUsage() {
        Run run = AuditCommandTest.run("bench", "pom.xml");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard bench: nothing to analyse in pom.xml");
    }
}
