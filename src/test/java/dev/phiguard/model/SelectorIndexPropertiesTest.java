package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/** {@link SelectorIndex} finds exactly the selectors that match, each once, whatever their shape. */
class SelectorIndexPropertiesTest {
    private final LabelSelectorPropertiesTest shapes = new LabelSelectorPropertiesTest();

    @Provide
    Arbitrary<List<LabelSelector>> selectorLists() {
        return shapes.selectors().list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Map<String, String>> labels() {
        return shapes.labels();
    }

    @Property(tries = 500)
    void testFindsEveryMatchingSelectorOnce(@ForAll("selectorLists") List<LabelSelector> selectors,
            @ForAll("labels") Map<String, String> labels, @ForAll("labels") Map<String, String> overlay) {
        Map<LabelSelector, Integer> numbered = new LinkedHashMap<>();
        selectors.forEach(selector -> numbered.putIfAbsent(selector, numbered.size()));
        // labels that meet one selector's matchLabels, so that matches are common
        Map<String, String> input = new HashMap<>(labels);
        if (!selectors.isEmpty()) {
            input.putAll(selectors.get(0).matchLabels());
        }
        overlay.forEach(input::putIfAbsent);

        List<Integer> found = new ArrayList<>();
        new SelectorIndex<>(numbered).forEachMatch(input, found::add);

        List<Integer> expected = new ArrayList<>();
        numbered.forEach((selector, number) -> {
            if (LabelSelectorPropertiesTest.modelMatches(selector, input)) {
                expected.add(number);
            }
        });
        assertThat(found).as("%s on %s", numbered.keySet(), input).containsExactlyInAnyOrderElementsOf(expected);
        Statistics.label("matches").collect(Math.min(expected.size(), 3));
        Statistics.label("matches").coverage(coverage -> {
            coverage.check(0).count(count -> count > 10);
            coverage.check(3).count(count -> count > 10);
        });
    }

    @Test
    void testEachShapeIsFoundOnlyWhereItMatches() {
        Map<LabelSelector, String> selectors = new LinkedHashMap<>();
        selectors.put(LabelSelector.of(Map.of("app", "db")), "pair");
        selectors.put(LabelSelector.of(Map.of(), List.of(LabelSelector.Requirement.of("tier", LabelSelector.Operator.IN,
                "api", "web"))), "in");
        selectors.put(LabelSelector.of(Map.of(), List.of(LabelSelector.Requirement.of("phi",
                LabelSelector.Operator.EXISTS))), "exists");
        selectors.put(LabelSelector.of(Map.of(), List.of(LabelSelector.Requirement.of("legacy",
                LabelSelector.Operator.DOES_NOT_EXIST))), "absent");
        selectors.put(LabelSelector.ALL, "all");
        SelectorIndex<String> index = new SelectorIndex<>(selectors);

        List<String> found = new ArrayList<>();
        index.forEachMatch(Map.of("app", "db", "tier", "web", "phi", "true"), found::add);
        assertThat(found).containsExactlyInAnyOrder("pair", "in", "exists", "absent", "all");

        found.clear();
        index.forEachMatch(Map.of("app", "web", "tier", "db", "legacy", "yes"), found::add);
        assertThat(found).containsExactly("all");
    }
}
