package dev.phiguard.model;

import java.util.Map;
import java.util.Objects;

/**
 * Chooses workloads by the labels of their namespace and of their pods, as a profile does: both
 * selectors must match, and a missing selector matches everything (unlike a NetworkPolicy peer,
 * there is no "own namespace" to default to).
 */
public record WorkloadSelector(LabelSelector namespaceSelector, LabelSelector podSelector) {
    public static final WorkloadSelector ALL = new WorkloadSelector(LabelSelector.ALL, LabelSelector.ALL);

    public WorkloadSelector {
        Objects.requireNonNull(namespaceSelector, "namespaceSelector");
        Objects.requireNonNull(podSelector, "podSelector");
    }

    public static WorkloadSelector inNamespace(String namespace, LabelSelector podSelector) {
        return new WorkloadSelector(LabelSelector.of(Map.of(Namespace.NAME_LABEL, namespace)), podSelector);
    }

    public boolean matches(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        return namespaceSelector.matches(namespaceLabels) && podSelector.matches(podLabels);
    }

    @Override
    public String toString() {
        return "namespaces{" + namespaceSelector + "} pods{" + podSelector + "}";
    }
}
