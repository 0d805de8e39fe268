package dev.phiguard.analysis;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds workloads by what a user types: {@code namespace/name} or {@code namespace/name[Kind]};
 * when nothing matches, suggests the closest names.
 */
public final class WorkloadLookup {
    private static final int MAX_SUGGESTIONS = 3;

    private WorkloadLookup() {
    }

    /** A parsed reference; {@code kind} is empty when the user gave none. */
    public record Reference(String namespace, String name, Optional<String> kind) {

        /**
         * Parses {@code namespace/name} or {@code namespace/name[Kind]}.
         *
         * @throws IllegalArgumentException with a message for the user
         */
        public static Reference parse(String text) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            int bracket = trimmed.indexOf('[');
            String body = bracket < 0 ? trimmed : trimmed.substring(0, bracket);
            Optional<String> kind = Optional.empty();
            if (bracket >= 0) {
                if (!trimmed.endsWith("]") || bracket == trimmed.length() - 2) {
                    throw new IllegalArgumentException("expected NAMESPACE/NAME or NAMESPACE/NAME[Kind], got '" + text + "'");
                }
                kind = Optional.of(trimmed.substring(bracket + 1, trimmed.length() - 1));
            }
            if (slash <= 0 || slash != body.lastIndexOf('/') || slash == body.length() - 1) {
                throw new IllegalArgumentException("expected NAMESPACE/NAME or NAMESPACE/NAME[Kind], got '" + text + "'");
            }
            return new Reference(body.substring(0, slash), body.substring(slash + 1), kind);
        }

        public boolean matches(WorkloadId id) {
            return id.namespace().equals(namespace) && id.name().equals(name)
                    && kind.map(k -> k.equalsIgnoreCase(id.kind())).orElse(true);
        }

        @Override
        public String toString() {
            return namespace + "/" + name + kind.map(k -> "[" + k + "]").orElse("");
        }
    }

    /** Every workload the reference names (several when kinds share a name and none was given). */
    public static List<WorkloadId> find(Cluster cluster, Reference reference) {
        List<WorkloadId> found = new ArrayList<>();
        for (Workload workload : cluster.workloads()) {
            if (reference.matches(workload.id())) {
                found.add(workload.id());
            }
        }
        return found;
    }

    /** The workloads whose names are closest to the reference, closest first. */
    public static List<WorkloadId> suggest(Cluster cluster, Reference reference) {
        String wanted = reference.namespace() + "/" + reference.name();
        int threshold = Math.max(2, wanted.length() / 3);
        record Scored(WorkloadId id, int distance) {
        }
        List<Scored> scored = new ArrayList<>();
        for (Workload workload : cluster.workloads()) {
            int distance = distance(wanted, workload.id().namespacedName());
            if (distance <= threshold || workload.id().name().equals(reference.name())) {
                scored.add(new Scored(workload.id(), distance));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::id));
        return scored.stream().limit(MAX_SUGGESTIONS).map(Scored::id).toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
