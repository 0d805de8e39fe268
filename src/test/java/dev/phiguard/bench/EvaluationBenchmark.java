package dev.phiguard.bench;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Profile;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.synth.ClusterGenerator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The evaluation core on generated clusters, warmed up: indexing a cluster into endpoint
 * classes, the whole class-level connectivity, one workload's inbound fans, and a whole audit.
 * Run with {@code bench/run jmh}; {@code bench/run} measures cold runs of the command line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class EvaluationBenchmark {

    @Param({"1000", "5000"})
    int workloads;

    private Cluster cluster;
    private Profile profile;
    private ConnectivityMap map;
    private List<WorkloadId> phiWorkloads;

    @Setup
    public void setUp() {
        cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(Math.max(1, workloads / 50), workloads,
                workloads / 5, 1));
        profile = ProfileReader.defaultProfile();
        map = ConnectivityAnalyzer.analyze(cluster);
        phiWorkloads = Auditor.audit(cluster, profile).phiWorkloads().keySet().stream().toList();
    }

    /** Endpoint classes and compiled rules, with no pair evaluated yet. */
    @Benchmark
    public ConnectivityMap index() {
        return ConnectivityAnalyzer.analyze(cluster);
    }

    /** Every pair of classes, counted. */
    @Benchmark
    public ConnectivityMap.Size connectivity() {
        return ConnectivityAnalyzer.analyze(cluster).size();
    }

    /** The inbound fans of every PHI workload on a fresh map: what the audit's checks read. */
    @Benchmark
    public int inboundOfPhiWorkloads() {
        ConnectivityMap fresh = ConnectivityAnalyzer.analyze(cluster);
        int fans = 0;
        for (WorkloadId id : phiWorkloads) {
            fans += fresh.inboundFans(id).size();
        }
        return fans;
    }

    /** The inbound fans of one workload once the map is warm: a point query as serve would ask it. */
    @Benchmark
    public int inboundOfOneWorkload() {
        return map.inboundFans(phiWorkloads.get(0)).size();
    }

    @Benchmark
    public AuditResult audit() {
        return Auditor.audit(cluster, profile);
    }
}
