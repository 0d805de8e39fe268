package dev.phiguard.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A networking.k8s.io/v1 NetworkPolicy. */
public record NetworkPolicy(String namespace, String name, LabelSelector podSelector,
        Optional<Set<Direction>> declaredPolicyTypes, List<PolicyRule> ingress, List<PolicyRule> egress,
        SourceRef source) {

    public NetworkPolicy {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(podSelector, "podSelector");
        Objects.requireNonNull(source, "source");
        // an empty list means what an absent one does, as the API server defaults both
        declaredPolicyTypes = declaredPolicyTypes.filter(types -> !types.isEmpty()).map(types -> Set.copyOf(types));
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
        for (PolicyRule rule : ingress) {
            if (rule.direction() != Direction.INGRESS) {
                throw new IllegalArgumentException("Egress rule among ingress rules of " + namespace + "/" + name);
            }
        }
        for (PolicyRule rule : egress) {
            if (rule.direction() != Direction.EGRESS) {
                throw new IllegalArgumentException("Ingress rule among egress rules of " + namespace + "/" + name);
            }
        }
    }

    /**
     * The directions this policy isolates: {@code policyTypes} when declared; otherwise Ingress,
     * plus Egress when there is at least one egress rule.
     */
    public Set<Direction> policyTypes() {
        if (declaredPolicyTypes.isPresent()) {
            return EnumSet.copyOf(declaredPolicyTypes.get());
        }
        return egress.isEmpty() ? EnumSet.of(Direction.INGRESS) : EnumSet.of(Direction.INGRESS, Direction.EGRESS);
    }

    /**
     * Whether the policy selects pods of the workload: a pod template of it, in the policy's
     * namespace (the caller's to check), has the labels the pod selector asks for.
     */
    public boolean selectsPodsOf(Workload workload) {
        for (PodTemplate template : workload.templates()) {
            if (podSelector.matches(template.labels())) {
                return true;
            }
        }
        return false;
    }

    public boolean isolates(Direction direction) {
        if (declaredPolicyTypes.isPresent()) {
            return declaredPolicyTypes.get().contains(direction);
        }
        return direction == Direction.INGRESS || !egress.isEmpty();
    }

    public List<PolicyRule> rules(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }

    /**
     * Of the name alone, which equal policies share: audits keep policies in hash maps and sets by
     * the thousand, and a hash of every rule would walk every selector and port of each, each time.
     */
    @Override
    public int hashCode() {
        return 31 * namespace.hashCode() + name.hashCode();
    }

    /** {@code namespace/name}. */
    public String namespacedName() {
        return namespace + "/" + name;
    }
}
