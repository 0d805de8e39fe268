package dev.phiguard.server;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.Profile;
import dev.phiguard.report.ManifestYaml;
import dev.phiguard.synth.ClusterGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * How long {@code phiguard serve} takes from a changed policy to the new answer, on the cluster of
 * {@code generate-cluster --namespaces 200 --workloads 10000 --policies 2000 --seed 1} in files:
 * before each shot one policy is added to (or taken out of) one namespace's file (the first that
 * holds PHI, or the first that holds none: {@code namespace}), and the shot is
 * what the server does then — read the snapshot and evaluate it (audit, map, posture), taking
 * from the answer before the change what the change cannot have altered. The debounce of the
 * watch (150 ms) comes on top. Run with {@code bench/run jmh LiveUpdateBenchmark}.
 *
 * <p>It measures a server that has run a while, as serve runs: two hundred updates warm the JVM
 * up (after twenty the JIT is still compiling; {@code -wi 20 -i 10} shows those), and the fork
 * has the JVM options {@code bin/phiguard} gives every command (keep them alike), whose parallel
 * collector serve's updates, which allocate tens of megabytes each, are faster with than with
 * the JVM's default. See docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 200)
@Measurement(iterations = 30)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-XX:+UseParallelGC", "-XX:Tier4InvocationThreshold=50000",
        "-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=400000", "-XX:PerMethodTrapLimit=0",
        "-XX:InlineSmallCode=500", "-XX:FreqInlineSize=70"})
public class LiveUpdateBenchmark {

    @Param({"10000"})
    int workloads;

    /** Where the policy changes: the first namespace that holds PHI, or the first that holds none. */
    @Param({"phi", "plain"})
    String namespace;

    private Path manifests;
    private Path changed;
    private String original;
    private FileSnapshotSource source;
    private Profile profile;
    private int shot;
    /** The answer before the change, as the server keeps it. */
    private Evaluation last;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Cluster generated = ClusterGenerator.generate(new ClusterGenerator.Parameters(workloads / 50, workloads,
                workloads / 5, 1));
        manifests = Files.createTempDirectory("phiguard-live-bench");
        for (Namespace namespace : generated.namespaces()) {
            Files.writeString(manifests.resolve(namespace.name() + ".yaml"), ManifestYaml.namespace(generated, namespace),
                    StandardCharsets.UTF_8);
        }
        PhiScope phi = PhiScope.of(generated, ProfileReader.defaultProfile());
        String name = generated.namespaces().stream().map(Namespace::name)
                .filter(candidate -> phi.isPhiNamespace(candidate) == namespace.equals("phi")).findFirst()
                .orElseThrow();
        changed = manifests.resolve(name + ".yaml");
        original = Files.readString(changed, StandardCharsets.UTF_8);
        source = new FileSnapshotSource(List.of(manifests.toString()), List.of());
        profile = ProfileReader.defaultProfile();
        last = Evaluation.of(readSource(), profile, ProfileReader.DEFAULT_SOURCE, Instant.now(), Instant::now,
                Optional.empty());
    }

    private dev.phiguard.ingest.IngestResult readSource() throws IOException {
        try {
            return source.read();
        } catch (SnapshotSource.Unreadable e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** One policy more, or back to none, in one namespace: a single-policy change. */
    @Setup(Level.Invocation)
    public void changeOnePolicy() throws IOException {
        shot++;
        String policy = """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bench-change, namespace: %s}
                spec:
                  podSelector: {matchLabels: {tier: api}}
                  ingress: [{ports: [{port: %d, protocol: TCP}]}]
                """.formatted(changed.getFileName().toString().replace(".yaml", ""), 8000 + shot);
        Files.writeString(changed, shot % 2 == 1 ? original + policy : original, StandardCharsets.UTF_8);
    }

    @Benchmark
    public Evaluation update() throws SnapshotSource.Unreadable {
        Evaluation next = Evaluation.of(source.read(), profile, ProfileReader.DEFAULT_SOURCE, Instant.now(),
                Instant::now, Optional.ofNullable(last));
        last = next;
        return next;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        source.close();
        try (Stream<Path> files = Files.walk(manifests)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
