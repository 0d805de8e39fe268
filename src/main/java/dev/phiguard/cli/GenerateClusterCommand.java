package dev.phiguard.cli;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.report.ManifestYaml;
import dev.phiguard.synth.ClusterGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code phiguard generate-cluster}: synthetic manifests for benchmarks and experiments. */
@Command(name = "generate-cluster",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Write a realistic synthetic cluster as manifests, one file per namespace: namespaces of skewed sizes"
                    + " owned by a few teams, workloads whose labels repeat across namespaces (some annotated as"
                    + " PHI), and NetworkPolicies of every shape: default deny, DNS, pod and namespace selectors"
                    + " alone and together, ipBlock with except, named ports, port ranges, ingress and egress.",
            "The same options and seed always write the same files."},
        footerHeading = "%nExample:%n",
        footer = {"  phiguard generate-cluster --namespaces 200 --workloads 10000 --policies 2000 --seed 1 -o big/",
            "  phiguard audit big/%n"})
public final class GenerateClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--namespaces", paramLabel = "N", defaultValue = "50",
            description = "Namespaces (default: ${DEFAULT-VALUE}).")
    int namespaces;

    @Option(names = "--workloads", paramLabel = "N", defaultValue = "1000",
            description = "Workloads (default: ${DEFAULT-VALUE}).")
    int workloads;

    @Option(names = "--policies", paramLabel = "N", defaultValue = "200",
            description = "NetworkPolicies (default: ${DEFAULT-VALUE}).")
    int policies;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", required = true,
            description = "The folder to write to; created when missing. Files of the same names are replaced.")
    Path outputDir;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ClusterGenerator.Parameters parameters;
        try {
            parameters = new ClusterGenerator.Parameters(namespaces, workloads, policies, seed);
        } catch (IllegalArgumentException e) {
            err.println("phiguard generate-cluster: " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
        Cluster cluster = ClusterGenerator.generate(parameters);
        try {
            Files.createDirectories(outputDir);
            for (Namespace namespace : cluster.namespaces()) {
                Files.writeString(outputDir.resolve(namespace.name() + ".yaml"),
                        ManifestYaml.namespace(cluster, namespace), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println("phiguard generate-cluster: cannot write " + outputDir + ": " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
        err.println("phiguard generate-cluster: wrote " + cluster.namespaces().size() + " namespaces, "
                + cluster.workloads().size() + " workloads and " + cluster.policies().size() + " policies to "
                + outputDir);
        err.flush();
        return ExitCode.OK;
    }
}
