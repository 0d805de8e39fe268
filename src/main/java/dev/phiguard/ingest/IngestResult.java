package dev.phiguard.ingest;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Expectations;
import dev.phiguard.model.Profile;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What reading manifests produced: the cluster of every valid object, the diagnostics in input
 * order, the objects of kinds phiguard does not analyse, and what was left out.
 *
 * @param filesRead files and streams read, including those with errors
 * @param objectsRead Kubernetes objects found, of any kind
 * @param skippedKinds kinds read but not analysed, with how many of each
 * @param rejected objects left out because the API server would reject them ({@code Kind namespace/name})
 * @param profiles phiguard Profile documents found among the manifests, valid ones only
 * @param inputs the files and streams read, in order, with the SHA-256 of their bytes
 * @param expectations phiguard Expectations documents found among the manifests, valid ones only
 */
public record IngestResult(Cluster cluster, List<Diagnostic> diagnostics, int filesRead, int objectsRead,
        SortedMap<String, Integer> skippedKinds, List<String> rejected, List<Profile> profiles, List<Input> inputs,
        List<Expectations> expectations) {

    /**
     * A file or stream read, as named to the user, with the SHA-256 (hex) of its bytes; for a live
     * cluster, the SHA-256 of the SHA-256 of each object's JSON, in the order they were listed.
     */
    public record Input(String path, String sha256) {
    }

    public IngestResult {
        diagnostics = List.copyOf(diagnostics);
        skippedKinds = Collections.unmodifiableSortedMap(new TreeMap<>(skippedKinds));
        rejected = List.copyOf(rejected);
        profiles = List.copyOf(profiles);
        inputs = List.copyOf(inputs);
        expectations = List.copyOf(expectations);
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return diagnostics.size() - errorCount();
    }

    /** True when at least one object that NetworkPolicy analysis uses was read. */
    public boolean hasUsableInput() {
        return !cluster.workloads().isEmpty() || !cluster.policies().isEmpty()
                || cluster.namespaces().stream().anyMatch(namespace -> !namespace.isImplicit());
    }
}
