package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phiguard.model.LabelSelector.Operator;
import dev.phiguard.model.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * {@link LabelSelector#matches} against a model of Kubernetes semantics: {@code matchLabels} AND every
 * expression; {@code In}, {@code NotIn} (true when the key is absent), {@code Exists},
 * {@code DoesNotExist}; the empty selector matches everything.
 *
 * <p>Keys and values come from small pools so that generated selectors and label maps often share keys
 * and values and both outcomes of a match are common.
 */
class LabelSelectorPropertiesTest {

    private static final List<String> KEYS = List.of("app", "tier", "env", "example.com/phi");
    private static final List<String> VALUES = List.of("db", "web", "prod", "");
    /** Keys no generated selector mentions. */
    private static final List<String> OTHER_KEYS = List.of("zone", "version", "other.io/owner");

    // ---------------------------------------------------------------- arbitraries

    static Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    static Arbitrary<String> values() {
        return Arbitraries.of(VALUES);
    }

    @Provide
    Arbitrary<Map<String, String>> labels() {
        return Arbitraries.maps(keys(), values()).ofMaxSize(KEYS.size());
    }

    @Provide
    Arbitrary<Map<String, String>> otherLabels() {
        return Arbitraries.maps(Arbitraries.of(OTHER_KEYS), values()).ofMinSize(1).ofMaxSize(OTHER_KEYS.size());
    }

    @Provide
    Arbitrary<Requirement> requirements() {
        return Combinators.combine(keys(), Arbitraries.of(Operator.class), values().set().ofMinSize(1).ofMaxSize(3))
                .as((key, operator, values) -> switch (operator) {
                    case IN, NOT_IN -> new Requirement(key, operator, new TreeSet<>(values));
                    case EXISTS, DOES_NOT_EXIST -> new Requirement(key, operator, new TreeSet<>());
                });
    }

    @Provide
    Arbitrary<LabelSelector> selectors() {
        Arbitrary<Map<String, String>> matchLabels = Arbitraries.maps(keys(), values()).ofMaxSize(2);
        Arbitrary<List<Requirement>> expressions = requirements().list().ofMaxSize(3);
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(LabelSelector.ALL)),
                Tuple.of(10, Combinators.combine(matchLabels, expressions).as(LabelSelector::of)));
    }

    // ---------------------------------------------------------------- model

    /** The specification, written out: every pair of matchLabels, and every expression. */
    static boolean modelMatches(LabelSelector selector, Map<String, String> labels) {
        boolean result = true;
        for (Map.Entry<String, String> pair : selector.matchLabels().entrySet()) {
            result &= labels.containsKey(pair.getKey()) && labels.get(pair.getKey()).equals(pair.getValue());
        }
        for (Requirement requirement : selector.matchExpressions()) {
            result &= modelMatches(requirement, labels);
        }
        return result;
    }

    static boolean modelMatches(Requirement requirement, Map<String, String> labels) {
        boolean present = labels.containsKey(requirement.key());
        boolean listed = present && requirement.values().contains(labels.get(requirement.key()));
        return switch (requirement.operator()) {
            case IN -> listed;
            case NOT_IN -> !listed;
            case EXISTS -> present;
            case DOES_NOT_EXIST -> !present;
        };
    }

    /** Labels that often satisfy the selector's matchLabels, so that matches are not rare. */
    static Map<String, String> biased(LabelSelector selector, Map<String, String> labels, boolean overlay) {
        Map<String, String> result = new HashMap<>(labels);
        if (overlay) {
            result.putAll(selector.matchLabels());
        }
        return result;
    }

    // ---------------------------------------------------------------- properties

    @Property
    void testMatchesAgreesWithModel(
            @ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels, @ForAll boolean overlay) {
        Map<String, String> input = biased(selector, labels, overlay);
        boolean matches = selector.matches(input);
        assertThat(matches).as("%s matches %s", selector, input).isEqualTo(modelMatches(selector, input));
        Statistics.label("matches").collect(matches);
        Statistics.label("matches").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 10);
            coverage.check(false).percentage(p -> p > 10);
        });
    }

    @Property
    void testRequirementAgreesWithModel(@ForAll("requirements") Requirement requirement, @ForAll("labels") Map<String, String> labels) {
        boolean matches = requirement.matches(labels);
        assertThat(matches).as("%s on %s", requirement, labels).isEqualTo(modelMatches(requirement, labels));
        Statistics.label("operator and outcome").collect(requirement.operator(), matches);
        Statistics.label("operator and outcome").coverage(coverage -> {
            for (Operator operator : Operator.values()) {
                coverage.check(operator, true).count(c -> c > 10);
                coverage.check(operator, false).count(c -> c > 10);
            }
        });
    }

    @Property
    void testSelectorIsTheConjunctionOfItsParts(
            @ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels, @ForAll boolean overlay) {
        Map<String, String> input = biased(selector, labels, overlay);
        boolean every = true;
        for (Map.Entry<String, String> pair : selector.matchLabels().entrySet()) {
            every &= LabelSelector.of(Map.of(pair.getKey(), pair.getValue())).matches(input);
        }
        for (Requirement requirement : selector.matchExpressions()) {
            every &= LabelSelector.of(Map.of(), List.of(requirement)).matches(input);
            every &= requirement.matches(input);
        }
        assertThat(selector.matches(input)).isEqualTo(every);
        assertThat(selector.matches(input))
                .isEqualTo(LabelSelector.of(selector.matchLabels()).matches(input)
                        && LabelSelector.of(Map.of(), selector.matchExpressions()).matches(input));
    }

    @Property
    void testAddingARequirementOnlyNarrows(
            @ForAll("selectors") LabelSelector selector, @ForAll("requirements") Requirement extra,
            @ForAll("labels") Map<String, String> labels, @ForAll boolean overlay) {
        Map<String, String> input = biased(selector, labels, overlay);
        List<Requirement> more = new ArrayList<>(selector.matchExpressions());
        more.add(extra);
        LabelSelector narrower = LabelSelector.of(selector.matchLabels(), more);
        assertThat(narrower.matches(input)).isEqualTo(selector.matches(input) && extra.matches(input));
    }

    @Property
    void testEmptySelectorMatchesEverything(@ForAll("labels") Map<String, String> labels, @ForAll("otherLabels") Map<String, String> other) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(other);
        for (LabelSelector empty : List.of(
                LabelSelector.ALL,
                LabelSelector.of(Map.of()),
                LabelSelector.of(Map.of(), List.of()),
                new LabelSelector(new TreeMap<>(), List.of()))) {
            assertThat(empty.isEmpty()).isTrue();
            assertThat(empty.matches(labels)).isTrue();
            assertThat(empty.matches(all)).isTrue();
            assertThat(empty.matches(Map.of())).isTrue();
            assertThat(empty.keys()).isEmpty();
            assertThat(empty.toString()).isEqualTo("<all>");
            assertThat(empty).isEqualTo(LabelSelector.ALL);
        }
    }

    @Property
    void testAbsentKeyMatchesNotInAndDoesNotExistOnly(
            @ForAll("requirements") Requirement requirement, @ForAll("labels") Map<String, String> labels) {
        Map<String, String> without = new HashMap<>(labels);
        without.remove(requirement.key());
        boolean expected = requirement.operator() == Operator.NOT_IN || requirement.operator() == Operator.DOES_NOT_EXIST;
        assertThat(requirement.matches(without)).as("%s on %s", requirement, without).isEqualTo(expected);
        assertThat(requirement.matches(Map.of())).isEqualTo(expected);
        assertThat(LabelSelector.of(Map.of(), List.of(requirement)).matches(without)).isEqualTo(expected);
    }

    @Property
    void testNotInMatchesMapsWithoutTheKey(
            @ForAll("labels") Map<String, String> labels, @ForAll("otherLabels") Map<String, String> other) {
        Map<String, String> input = new HashMap<>(labels);
        input.putAll(other);
        for (String key : KEYS) {
            if (!input.containsKey(key)) {
                assertThat(Requirement.of(key, Operator.NOT_IN, VALUES.toArray(String[]::new)).matches(input)).isTrue();
                assertThat(Requirement.of(key, Operator.IN, VALUES.toArray(String[]::new)).matches(input)).isFalse();
            }
        }
    }

    @Property
    void testOppositeOperators(@ForAll("requirements") Requirement requirement, @ForAll("labels") Map<String, String> labels) {
        Operator opposite = switch (requirement.operator()) {
            case IN -> Operator.NOT_IN;
            case NOT_IN -> Operator.IN;
            case EXISTS -> Operator.DOES_NOT_EXIST;
            case DOES_NOT_EXIST -> Operator.EXISTS;
        };
        Requirement negated = new Requirement(requirement.key(), opposite, requirement.values());
        // In and NotIn are each other's negation for every map, absent key included (NotIn holds, In fails)
        assertThat(negated.matches(labels)).isNotEqualTo(requirement.matches(labels));
    }

    @Property
    void testMatchLabelsPairIsInWithOneValue(
            @ForAll("labels") Map<String, String> labels, @ForAll("selectors") LabelSelector source) {
        for (Map.Entry<String, String> pair : source.matchLabels().entrySet()) {
            LabelSelector asPair = LabelSelector.of(Map.of(pair.getKey(), pair.getValue()));
            LabelSelector asIn = LabelSelector.of(Map.of(), List.of(Requirement.of(pair.getKey(), Operator.IN, pair.getValue())));
            assertThat(asPair.matches(labels)).isEqualTo(asIn.matches(labels));
        }
    }

    @Property
    void testUnrelatedLabelsDoNotChangeTheMatch(
            @ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels,
            @ForAll("otherLabels") Map<String, String> other, @ForAll boolean overlay) {
        Map<String, String> input = biased(selector, labels, overlay);
        boolean before = selector.matches(input);

        Map<String, String> added = new HashMap<>(input);
        other.forEach(added::putIfAbsent);
        assertThat(selector.matches(added)).isEqualTo(before);

        // keys of the main pool that the selector does not read are unrelated too
        Map<String, String> changed = new HashMap<>(input);
        for (String key : KEYS) {
            if (!selector.keys().contains(key)) {
                if (changed.containsKey(key)) {
                    changed.remove(key);
                } else {
                    changed.put(key, "unrelated");
                }
            }
        }
        assertThat(selector.matches(changed)).isEqualTo(before);
    }

    @Property
    void testOnlyKeysReadCanChangeTheMatch(
            @ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels, @ForAll boolean overlay) {
        Map<String, String> input = biased(selector, labels, overlay);
        Map<String, String> restricted = new HashMap<>(input);
        restricted.keySet().retainAll(selector.keys());
        assertThat(selector.matches(restricted)).isEqualTo(selector.matches(input));
    }

    @Property
    void testKeysAreEveryKeyMentioned(@ForAll("selectors") LabelSelector selector) {
        SortedSet<String> expected = new TreeSet<>(selector.matchLabels().keySet());
        selector.matchExpressions().forEach(requirement -> expected.add(requirement.key()));
        assertThat(selector.keys()).isEqualTo(expected);
    }

    @Property
    void testOrderAndRepetitionOfExpressionsDoNotMatter(
            @ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels, @ForAll Random random) {
        List<Requirement> shuffled = new ArrayList<>(selector.matchExpressions());
        shuffled.addAll(selector.matchExpressions());
        Collections.shuffle(shuffled, random);
        LabelSelector reordered = LabelSelector.of(selector.matchLabels(), shuffled);
        assertThat(reordered.matches(labels)).isEqualTo(selector.matches(labels));
        assertThat(reordered.keys()).isEqualTo(selector.keys());
    }

    @Property
    void testSelectorMatchesItsOwnMatchLabels(
            @ForAll("selectors") LabelSelector selector, @ForAll("otherLabels") Map<String, String> other) {
        Map<String, String> labels = new HashMap<>(other);
        labels.putAll(selector.matchLabels());
        LabelSelector labelsOnly = LabelSelector.of(selector.matchLabels());
        assertThat(labelsOnly.matches(labels)).isTrue();
        for (Map.Entry<String, String> pair : selector.matchLabels().entrySet()) {
            Map<String, String> wrong = new HashMap<>(labels);
            wrong.put(pair.getKey(), pair.getValue() + "-not");
            assertThat(labelsOnly.matches(wrong)).isFalse();
            Map<String, String> missing = new HashMap<>(labels);
            missing.remove(pair.getKey());
            assertThat(labelsOnly.matches(missing)).isFalse();
        }
    }

    @Property
    void testSelectorCopiesItsInputs(@ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels) {
        TreeMap<String, String> matchLabels = new TreeMap<>(selector.matchLabels());
        List<Requirement> expressions = new ArrayList<>(selector.matchExpressions());
        LabelSelector built = new LabelSelector(matchLabels, expressions);
        boolean before = built.matches(labels);
        matchLabels.put("app", "mutated-after-construction");
        expressions.add(Requirement.of("app", Operator.DOES_NOT_EXIST));
        expressions.add(Requirement.of("app", Operator.EXISTS));
        assertThat(built.matches(labels)).isEqualTo(before);
        assertThat(built).isEqualTo(selector);
        assertThatThrownBy(() -> built.matchLabels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> built.matchExpressions().add(Requirement.of("x", Operator.EXISTS)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ---------------------------------------------------------------- examples

    @Test
    void testToStringIsKubectlForm() {
        LabelSelector selector = LabelSelector.of(
                Map.of("app", "db"),
                List.of(Requirement.of("tier", Operator.IN, "b", "a"), Requirement.of("legacy", Operator.DOES_NOT_EXIST)));
        assertThat(selector.toString()).isEqualTo("app=db,tier in (a,b),!legacy");
        assertThat(LabelSelector.ALL.toString()).isEqualTo("<all>");
        assertThat(Requirement.of("tier", Operator.NOT_IN, "x").toString()).isEqualTo("tier notin (x)");
        assertThat(Requirement.of("tier", Operator.EXISTS).toString()).isEqualTo("tier");
        assertThat(selector.keys()).containsExactly("app", "legacy", "tier");
    }

    @Test
    void testExampleMatches() {
        LabelSelector selector = LabelSelector.of(
                Map.of("app", "db"),
                List.of(Requirement.of("tier", Operator.NOT_IN, "test"), Requirement.of("phi", Operator.EXISTS)));
        assertThat(selector.matches(Map.of("app", "db", "phi", "true"))).isTrue();
        assertThat(selector.matches(Map.of("app", "db", "phi", "true", "tier", "prod"))).isTrue();
        assertThat(selector.matches(Map.of("app", "db", "phi", "true", "tier", "test"))).isFalse();
        assertThat(selector.matches(Map.of("app", "db"))).isFalse();
        assertThat(selector.matches(Map.of("app", "web", "phi", "true"))).isFalse();
        assertThat(LabelSelector.of(Map.of("app", "")).matches(Map.of())).isFalse();
        assertThat(LabelSelector.of(Map.of("app", "")).matches(Map.of("app", ""))).isTrue();
    }

    @Test
    void testOperatorNames() {
        for (Operator operator : Operator.values()) {
            assertThat(Operator.fromKubernetesName(operator.kubernetesName())).contains(operator);
        }
        assertThat(Operator.fromKubernetesName("in")).isEmpty();
        assertThat(Set.of(Operator.values())).hasSize(4);
    }

    @Test
    void testRejectsInWithoutValues() {
        assertThatThrownBy(() -> Requirement.of("tier", Operator.IN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tier")
                .hasMessageContaining("In");
        assertThatThrownBy(() -> Requirement.of("tier", Operator.NOT_IN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tier")
                .hasMessageContaining("NotIn");
    }

    @Test
    void testRejectsExistsWithValues() {
        assertThatThrownBy(() -> Requirement.of("tier", Operator.EXISTS, "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tier")
                .hasMessageContaining("Exists");
        assertThatThrownBy(() -> Requirement.of("tier", Operator.DOES_NOT_EXIST, "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tier")
                .hasMessageContaining("DoesNotExist");
    }
}
