package dev.phiguard.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which of many label selectors match a set of labels, without trying every selector. Each
 * selector is filed under one condition that every set of labels it matches meets: a value it
 * requires of a key ({@code matchLabels}, or each value of an {@code In}), else a key it requires
 * to exist; only selectors filed under a label of the set, or under no condition, are tried. A
 * set of labels has one value per key, so no selector is tried twice.
 *
 * @param <T> what each selector stands for
 */
public final class SelectorIndex<T> {
    private record Filed<T>(LabelSelector selector, T value) {
    }

    private final Map<String, Map<String, List<Filed<T>>>> byValue = new HashMap<>();
    private final Map<String, List<Filed<T>>> byKey = new HashMap<>();
    private final List<Filed<T>> unconditional = new ArrayList<>();

    public SelectorIndex(Map<LabelSelector, T> selectors) {
        selectors.forEach(this::file);
    }

    private void file(LabelSelector selector, T value) {
        Filed<T> filed = new Filed<>(selector, value);
        if (!selector.matchLabels().isEmpty()) {
            Map.Entry<String, String> first = selector.matchLabels().entrySet().iterator().next();
            underValue(first.getKey(), first.getValue()).add(filed);
            return;
        }
        for (LabelSelector.Requirement requirement : selector.matchExpressions()) {
            if (requirement.operator() == LabelSelector.Operator.IN) {
                requirement.values().forEach(listed -> underValue(requirement.key(), listed).add(filed));
                return;
            }
        }
        for (LabelSelector.Requirement requirement : selector.matchExpressions()) {
            if (requirement.operator() == LabelSelector.Operator.EXISTS) {
                byKey.computeIfAbsent(requirement.key(), key -> new ArrayList<>()).add(filed);
                return;
            }
        }
        unconditional.add(filed);
    }

    private List<Filed<T>> underValue(String key, String value) {
        return byValue.computeIfAbsent(key, any -> new HashMap<>()).computeIfAbsent(value, any -> new ArrayList<>());
    }

    /** Hands what each selector matching {@code labels} stands for to {@code action}, once each, in no set order. */
    public void forEachMatch(Map<String, String> labels, Consumer<? super T> action) {
        tryEach(unconditional, labels, action);
        for (Map.Entry<String, String> label : labels.entrySet()) {
            Map<String, List<Filed<T>>> values = byValue.get(label.getKey());
            if (values != null) {
                tryEach(values.get(label.getValue()), labels, action);
            }
            tryEach(byKey.get(label.getKey()), labels, action);
        }
    }

    private static <T> void tryEach(List<Filed<T>> candidates, Map<String, String> labels, Consumer<? super T> action) {
        if (candidates == null) {
            return;
        }
        for (Filed<T> candidate : candidates) {
            if (candidate.selector().matches(labels)) {
                action.accept(candidate.value());
            }
        }
    }
}
