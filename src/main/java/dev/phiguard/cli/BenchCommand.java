package dev.phiguard.cli;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Profile;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code phiguard bench}: how long reading, connectivity and the audit take on given manifests,
 * and how much heap they need, measured in this JVM. {@code bench/run} calls it once per size.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Measure phiguard on manifests: the time to read them (parse), to compute who can reach whom over the"
                    + " whole cluster (connectivity: every pair of endpoint classes, counted, not listed), and to"
                    + " audit them (connectivity, every control and the proposed fixes), with the peak heap.",
            "Each step runs once, in a fresh order, as a user's run would: the first audit includes the JVM"
                    + " warming up. --repeat audits again and prints the heap left after each audit once garbage"
                    + " is collected, which stays flat when nothing is retained between audits.",
            "bench/run generates clusters of 1k, 10k and 50k workloads and runs this on each in its own JVM."},
        footerHeading = "%nExample:%n",
        footer = {"  phiguard generate-cluster --namespaces 200 --workloads 10000 --policies 2000 -o big/",
            "  java -Xmx4g -jar target/phiguard.jar bench big/ --repeat 3"})
public final class BenchCommand implements Callable<Integer> {
    private static final double MIB = 1024.0 * 1024.0;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = InputOptions.PATHS)
    List<String> paths;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "The profile to audit against; else the one among the manifests, else the built-in one.")
    String profileFile;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Audit N times and print the heap retained after each (default: ${DEFAULT-VALUE}).")
    int repeat;

    private final InputStream stdin;

    public BenchCommand() {
        this(System.in);
    }

    BenchCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (repeat < 1) {
            err.println("phiguard bench: --repeat: expected at least 1, got " + repeat);
            err.flush();
            return ExitCode.USAGE;
        }
        HeapSampler sampler = HeapSampler.start();
        long start = System.nanoTime();
        IngestResult ingested = ManifestReader.read(paths, stdin);
        double parse = seconds(start);
        if (!ingested.hasUsableInput()) {
            err.println("phiguard bench: nothing to analyse in " + String.join(" ", paths));
            err.flush();
            return ExitCode.USAGE;
        }
        Optional<Profile> chosen = ProfileChoice.choose("bench", profileFile, ingested, stdin, true, err);
        if (chosen.isEmpty()) {
            return ExitCode.USAGE;
        }
        Profile profile = chosen.get();

        start = System.nanoTime();
        ConnectivityMap map = ConnectivityAnalyzer.analyze(ingested.cluster());
        ConnectivityMap.Size size = map.size();
        double connectivity = seconds(start);
        map = null;

        List<Double> audits = new ArrayList<>();
        List<Double> retained = new ArrayList<>();
        AuditResult result = null;
        for (int run = 0; run < repeat; run++) {
            result = null;
            start = System.nanoTime();
            result = Auditor.audit(ingested.cluster(), profile);
            audits.add(seconds(start));
            if (repeat > 1) {
                retained.add(retainedHeap());
            }
        }
        double peak = sampler.finish();
        double audit = audits.get(0);
        out.printf(Locale.ROOT, "input: %s: %,d workloads, %,d NetworkPolicies, %,d namespaces%n",
                String.join(" ", paths), ingested.cluster().workloads().size(), ingested.cluster().policies().size(),
                ingested.cluster().namespaces().size());
        out.printf(Locale.ROOT, "parse: %.3f s%n", parse);
        out.printf(Locale.ROOT, "connectivity: %.3f s (%,d endpoint classes, %,d class pairs, %,d workload pairs"
                + " allowed)%n", connectivity, size.classes(), size.classPairs(), size.workloadPairs());
        out.printf(Locale.ROOT, "audit: %.3f s (%,d findings)%n", audit, result.findings().size());
        if (repeat > 1) {
            out.printf(Locale.ROOT, "audits again: %s s%n", String.join(", ",
                    audits.subList(1, audits.size()).stream().map(s -> String.format(Locale.ROOT, "%.3f", s))
                            .toList()));
            out.printf(Locale.ROOT, "heap retained after each audit: %s MiB%n", String.join(", ",
                    retained.stream().map(mib -> String.format(Locale.ROOT, "%.0f", mib)).toList()));
        }
        out.printf(Locale.ROOT, "peak heap: %.0f MiB used, sampled (heap limit %.0f MiB)%n", peak,
                Runtime.getRuntime().maxMemory() / MIB);
        out.printf(Locale.ROOT, "audit/parse ratio: %.2f%n", audit / parse);
        out.flush();
        return ExitCode.OK;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The most heap in use at once, sampled every few milliseconds: garbage not yet collected
     * counts, as it does for the limit a heap of a given size sets.
     */
    private static final class HeapSampler implements Runnable {
        private final Thread thread = new Thread(this, "phiguard-bench-heap");
        private volatile boolean running = true;
        private long peak;

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            sampler.sample();
            sampler.thread.setDaemon(true);
            sampler.thread.start();
            return sampler;
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private synchronized void sample() {
            peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        /** Stops sampling; the peak in MiB. */
        double finish() {
            running = false;
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
            synchronized (this) {
                return peak / MIB;
            }
        }
    }

    /** Heap in use once garbage is collected: what the run keeps. */
    private static double retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    }
}
