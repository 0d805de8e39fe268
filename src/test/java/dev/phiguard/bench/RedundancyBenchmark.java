package dev.phiguard.bench;

import dev.phiguard.analysis.LintResult;
import dev.phiguard.analysis.Linter;
import dev.phiguard.analysis.Redundancy;
import dev.phiguard.analysis.RedundancyAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.report.ManifestYaml;
import dev.phiguard.synth.ClusterGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redundancy and the whole lint on the cluster of {@code generate-cluster --namespaces 200
 * --workloads 10000 --policies 2000 --seed 1}, beside what reading its manifests costs, so the
 * figure reads as a ratio to parse time. Each operation takes seconds: single shots, warmed up
 * once. Run with {@code bench/run jmh RedundancyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class RedundancyBenchmark {

    @Param({"10000"})
    int workloads;

    private Path manifests;
    private Cluster cluster;

    @Setup
    public void setUp() throws IOException {
        Cluster generated = ClusterGenerator.generate(new ClusterGenerator.Parameters(workloads / 50, workloads,
                workloads / 5, 1));
        manifests = Files.createTempDirectory("phiguard-redundancy-bench");
        for (Namespace namespace : generated.namespaces()) {
            Files.writeString(manifests.resolve(namespace.name() + ".yaml"), ManifestYaml.namespace(generated, namespace),
                    StandardCharsets.UTF_8);
        }
        cluster = parse().cluster();
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(manifests)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Reading and validating the manifests: the unit the other figures are divided by. */
    @Benchmark
    public IngestResult parse() {
        return ManifestReader.read(List.of(manifests.toString()), InputStream.nullInputStream());
    }

    /** Every rule and every policy judged for redundancy, and the containment pairs. */
    @Benchmark
    public Redundancy redundancy() {
        return RedundancyAnalyzer.analyze(cluster);
    }

    /** Everything {@code phiguard lint} computes. */
    @Benchmark
    public LintResult lint() {
        return Linter.lint(cluster);
    }
}
