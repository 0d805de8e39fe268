package dev.phiguard.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Kubernetes label selector: every {@code matchLabels} pair and every expression must hold; the
 * empty selector matches everything.
 */
public record LabelSelector(SortedMap<String, String> matchLabels, List<Requirement> matchExpressions) {
    public static final LabelSelector ALL = new LabelSelector(new TreeMap<>(), List.of());

    public LabelSelector {
        matchLabels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
        matchExpressions = List.copyOf(matchExpressions);
    }

    public static LabelSelector of(Map<String, String> matchLabels) {
        return new LabelSelector(new TreeMap<>(matchLabels), List.of());
    }

    public static LabelSelector of(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
        return new LabelSelector(new TreeMap<>(matchLabels), matchExpressions);
    }

    /** True for {@code {}}, which selects everything. */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        for (Requirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The label keys this selector reads. */
    public SortedSet<String> keys() {
        SortedSet<String> keys = new TreeSet<>(matchLabels.keySet());
        matchExpressions.forEach(requirement -> keys.add(requirement.key()));
        return keys;
    }

    /** kubectl's form: {@code app=db,tier in (a,b),!legacy}; {@code <all>} for the empty selector. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "<all>";
        }
        StringJoiner joiner = new StringJoiner(",");
        matchLabels.forEach((key, value) -> joiner.add(key + "=" + value));
        matchExpressions.forEach(requirement -> joiner.add(requirement.toString()));
        return joiner.toString();
    }

    /** One {@code matchExpressions} item. */
    public record Requirement(String key, Operator operator, SortedSet<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
            boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
            if (needsValues && values.isEmpty()) {
                throw new IllegalArgumentException("Operator " + operator.kubernetesName() + " needs values: " + key);
            }
            if (!needsValues && !values.isEmpty()) {
                throw new IllegalArgumentException("Operator " + operator.kubernetesName() + " takes no values: " + key);
            }
        }

        public static Requirement of(String key, Operator operator, String... values) {
            return new Requirement(key, operator, new TreeSet<>(List.of(values)));
        }

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case IN -> key + " in (" + String.join(",", new ArrayList<>(values)) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", new ArrayList<>(values)) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    /** The operators of {@code matchExpressions}. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist");

        private final String kubernetesName;

        Operator(String kubernetesName) {
            this.kubernetesName = kubernetesName;
        }

        public String kubernetesName() {
            return kubernetesName;
        }

        public static java.util.Optional<Operator> fromKubernetesName(String name) {
            for (Operator operator : values()) {
                if (operator.kubernetesName.equals(name)) {
                    return java.util.Optional.of(operator);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
