package dev.phiguard.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A workload: a controller (Deployment, StatefulSet, ...), a group of pods owned by one
 * controller, or a bare Pod. Most have one pod template; pods of one owner read from a live
 * cluster or a dump may differ, and each distinct variant is kept so no connection is lost.
 */
public record Workload(WorkloadId id, SortedMap<String, String> annotations, List<PodTemplate> templates,
        int replicas, SourceRef source) {
    public Workload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
        templates = List.copyOf(templates);
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("Workload without a pod template: " + id);
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("Negative replicas for " + id + ": " + replicas);
        }
    }

    public static Workload of(WorkloadId id, Map<String, String> labels, List<ContainerPort> ports) {
        return new Workload(id, new TreeMap<>(), List.of(PodTemplate.of(labels, ports)), 1, SourceRef.UNKNOWN);
    }

    public String namespace() {
        return id.namespace();
    }

    /** The labels of the (first) pod template, which policies select on. */
    public SortedMap<String, String> labels() {
        return templates.get(0).labels();
    }

    public List<ContainerPort> ports() {
        return templates.get(0).ports();
    }

    public boolean hostNetwork() {
        return templates.stream().anyMatch(PodTemplate::hostNetwork);
    }

    public Workload withSource(SourceRef newSource) {
        return new Workload(id, annotations, templates, replicas, newSource);
    }
}
