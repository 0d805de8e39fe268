package dev.phiguard.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What NetworkPolicy sees of a pod: its labels, its container ports and whether it uses the host network. */
public record PodTemplate(SortedMap<String, String> labels, SortedMap<String, String> annotations,
        List<ContainerPort> ports, boolean hostNetwork) {
    public PodTemplate {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
        ports = List.copyOf(ports);
    }

    public static PodTemplate of(Map<String, String> labels, List<ContainerPort> ports) {
        return new PodTemplate(new TreeMap<>(labels), new TreeMap<>(), ports, false);
    }

    /** The first container port with this name, which Kubernetes keeps unique within a pod. */
    public java.util.Optional<ContainerPort> namedPort(String name) {
        for (ContainerPort port : ports) {
            if (port.name().equals(name)) {
                return java.util.Optional.of(port);
            }
        }
        return java.util.Optional.empty();
    }
}
