package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Set laws, a {@link BitSet} model, canonical form and round trips for {@link PortSet}.
 *
 * <p>Generated ranges cluster near the ends of the port space and in a small window in the middle, so
 * that overlapping, adjacent and boundary-touching ranges are common.
 */
class PortSetPropertiesTest {

    private static final int MIN = PortRange.MIN_PORT;
    private static final int MAX = PortRange.MAX_PORT;

    // ---------------------------------------------------------------- arbitraries

    @Provide
    Arbitrary<PortRange> portRanges() {
        return portRangeArbitrary();
    }

    static Arbitrary<PortRange> portRangeArbitrary() {
        Arbitrary<Integer> start = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(MIN, MIN + 20)),
                Tuple.of(3, Arbitraries.integers().between(MAX - 20, MAX)),
                Tuple.of(3, Arbitraries.integers().between(1000, 1030)),
                Tuple.of(1, Arbitraries.integers().between(MIN, MAX)));
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 5)),
                Tuple.of(2, Arbitraries.integers().between(0, 40)),
                Tuple.of(1, Arbitraries.integers().between(0, MAX)));
        return Combinators.combine(start, length).as((first, len) -> PortRange.of(first, Math.min(MAX, first + len)));
    }

    @Provide
    Arbitrary<List<PortRange>> rangeLists() {
        return rangeListArbitrary();
    }

    static Arbitrary<List<PortRange>> rangeListArbitrary() {
        return portRangeArbitrary().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<PortSet> portSets() {
        return portSetArbitrary();
    }

    static Arbitrary<PortSet> portSetArbitrary() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(PortSet.NONE)),
                Tuple.of(1, Arbitraries.just(PortSet.ALL)),
                Tuple.of(12, rangeListArbitrary().map(PortSet::of)));
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.oneOf(
                Arbitraries.of(MIN, MIN + 1, MIN + 2, MAX - 2, MAX - 1, MAX, 1000, 1001),
                Arbitraries.integers().between(MIN, MAX));
    }

    // ---------------------------------------------------------------- model helpers

    static BitSet model(List<PortRange> ranges) {
        BitSet bits = new BitSet(MAX + 1);
        for (PortRange range : ranges) {
            bits.set(range.first(), range.last() + 1);
        }
        return bits;
    }

    static BitSet model(PortSet set) {
        return model(set.ranges());
    }

    static BitSet allPorts() {
        BitSet bits = new BitSet(MAX + 1);
        bits.set(MIN, MAX + 1);
        return bits;
    }

    static BitSet complementModel(BitSet bits) {
        BitSet result = allPorts();
        result.andNot(bits);
        return result;
    }

    /** Points where membership can change: every bound and its neighbours, plus the ends of the space. */
    static TreeSet<Integer> probes(PortSet... sets) {
        TreeSet<Integer> probes = new TreeSet<>(List.of(MIN, MAX));
        for (PortSet set : sets) {
            for (PortRange range : set.ranges()) {
                for (int p : new int[] {range.first() - 1, range.first(), range.last(), range.last() + 1}) {
                    if (p >= MIN && p <= MAX) {
                        probes.add(p);
                    }
                }
            }
        }
        return probes;
    }

    static void assertCanonical(PortSet set) {
        List<PortRange> ranges = set.ranges();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).first())
                    .as("ranges sorted, disjoint and non-adjacent in %s", ranges)
                    .isGreaterThan(ranges.get(i - 1).last() + 1);
        }
        assertThat(set.isEmpty()).isEqualTo(ranges.isEmpty());
        assertThat(set.isAll()).isEqualTo(ranges.equals(List.of(PortRange.ALL)));
    }

    // ---------------------------------------------------------------- model agreement

    @Property
    void testOfAgreesWithModel(@ForAll("rangeLists") List<PortRange> ranges, @ForAll("ports") int port) {
        PortSet set = PortSet.of(ranges);
        BitSet model = model(ranges);
        assertThat(model(set)).isEqualTo(model);
        assertThat(set.size()).isEqualTo(model.cardinality());
        assertThat(set.contains(port)).isEqualTo(model.get(port));
        for (int probe : probes(set)) {
            assertThat(set.contains(probe)).as("contains(%s) in %s", probe, set).isEqualTo(model.get(probe));
        }
        assertCanonical(set);
    }

    @Property
    void testUnionAgreesWithModel(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b, @ForAll("ports") int port) {
        BitSet expected = model(a);
        expected.or(model(b));
        PortSet union = a.union(b);
        assertThat(model(union)).isEqualTo(expected);
        assertThat(union.size()).isEqualTo(expected.cardinality());
        assertThat(union.contains(port)).isEqualTo(a.contains(port) || b.contains(port));
        for (int probe : probes(a, b)) {
            assertThat(union.contains(probe)).as("port %s", probe).isEqualTo(a.contains(probe) || b.contains(probe));
        }
        assertCanonical(union);
    }

    @Property
    void testIntersectAgreesWithModel(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b, @ForAll("ports") int port) {
        BitSet expected = model(a);
        expected.and(model(b));
        PortSet intersection = a.intersect(b);
        assertThat(model(intersection)).isEqualTo(expected);
        assertThat(intersection.size()).isEqualTo(expected.cardinality());
        assertThat(intersection.contains(port)).isEqualTo(a.contains(port) && b.contains(port));
        for (int probe : probes(a, b)) {
            assertThat(intersection.contains(probe)).as("port %s", probe).isEqualTo(a.contains(probe) && b.contains(probe));
        }
        assertCanonical(intersection);
    }

    @Property
    void testMinusAgreesWithModel(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b, @ForAll("ports") int port) {
        BitSet expected = model(a);
        expected.andNot(model(b));
        PortSet difference = a.minus(b);
        assertThat(model(difference)).isEqualTo(expected);
        assertThat(difference.size()).isEqualTo(expected.cardinality());
        assertThat(difference.contains(port)).isEqualTo(a.contains(port) && !b.contains(port));
        for (int probe : probes(a, b)) {
            assertThat(difference.contains(probe)).as("port %s", probe).isEqualTo(a.contains(probe) && !b.contains(probe));
        }
        assertCanonical(difference);
    }

    @Property
    void testComplementAgreesWithModel(@ForAll("portSets") PortSet a, @ForAll("ports") int port) {
        PortSet complement = a.complement();
        assertThat(model(complement)).isEqualTo(complementModel(model(a)));
        assertThat(complement.size()).isEqualTo(MAX - a.size());
        assertThat(complement.contains(port)).isNotEqualTo(a.contains(port));
        for (int probe : probes(a)) {
            assertThat(complement.contains(probe)).as("port %s", probe).isNotEqualTo(a.contains(probe));
        }
        assertCanonical(complement);
    }

    @Property
    void testContainsAllAndIntersectsAgreeWithModel(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        BitSet bOutsideA = model(b);
        bOutsideA.andNot(model(a));
        assertThat(a.containsAll(b)).isEqualTo(bOutsideA.isEmpty());
        assertThat(a.intersects(b)).isEqualTo(model(a).intersects(model(b)));
    }

    @Property
    void testPortsOutsideTheSpaceAreNeverContained(@ForAll("portSets") PortSet a) {
        assertThat(a.contains(0)).isFalse();
        assertThat(a.contains(-1)).isFalse();
        assertThat(a.contains(MAX + 1)).isFalse();
        assertThat(a.contains(Integer.MAX_VALUE)).isFalse();
    }

    @Property
    void testContainsAllMeansSubset(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.union(b).containsAll(a)).isTrue();
        assertThat(a.containsAll(a.intersect(b))).isTrue();
        assertThat(a.containsAll(b)).isEqualTo(a.union(b).equals(a));
        assertThat(a.containsAll(b)).isEqualTo(a.intersect(b).equals(b));
        assertThat(a.intersects(b)).isEqualTo(!a.intersect(b).isEmpty());
        assertThat(PortSet.ALL.containsAll(a)).isTrue();
        assertThat(a.containsAll(PortSet.NONE)).isTrue();
        assertThat(a.intersects(a)).isEqualTo(!a.isEmpty());
    }

    // ---------------------------------------------------------------- set laws

    @Property
    void testUnionAndIntersectionAreCommutative(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.union(b)).isEqualTo(b.union(a));
        assertThat(a.intersect(b)).isEqualTo(b.intersect(a));
        assertThat(a.intersects(b)).isEqualTo(b.intersects(a));
    }

    @Property
    void testUnionAndIntersectionAreAssociative(
            @ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b, @ForAll("portSets") PortSet c) {
        assertThat(a.union(b).union(c)).isEqualTo(a.union(b.union(c)));
        assertThat(a.intersect(b).intersect(c)).isEqualTo(a.intersect(b.intersect(c)));
    }

    @Property
    void testDistributivity(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b, @ForAll("portSets") PortSet c) {
        assertThat(a.intersect(b.union(c))).isEqualTo(a.intersect(b).union(a.intersect(c)));
        assertThat(a.union(b.intersect(c))).isEqualTo(a.union(b).intersect(a.union(c)));
    }

    @Property
    void testIdentityAndAnnihilator(@ForAll("portSets") PortSet a) {
        assertThat(a.union(PortSet.NONE)).isEqualTo(a);
        assertThat(PortSet.NONE.union(a)).isEqualTo(a);
        assertThat(a.intersect(PortSet.ALL)).isEqualTo(a);
        assertThat(PortSet.ALL.intersect(a)).isEqualTo(a);
        assertThat(a.union(PortSet.ALL)).isEqualTo(PortSet.ALL);
        assertThat(a.intersect(PortSet.NONE)).isEqualTo(PortSet.NONE);
        assertThat(a.minus(PortSet.NONE)).isEqualTo(a);
        assertThat(a.minus(PortSet.ALL)).isEqualTo(PortSet.NONE);
        assertThat(PortSet.NONE.minus(a)).isEqualTo(PortSet.NONE);
        assertThat(PortSet.ALL.minus(a)).isEqualTo(a.complement());
    }

    @Property
    void testIdempotence(@ForAll("portSets") PortSet a) {
        assertThat(a.union(a)).isEqualTo(a);
        assertThat(a.intersect(a)).isEqualTo(a);
        assertThat(a.minus(a)).isEqualTo(PortSet.NONE);
    }

    @Property
    void testDeMorgan(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.union(b).complement()).isEqualTo(a.complement().intersect(b.complement()));
        assertThat(a.intersect(b).complement()).isEqualTo(a.complement().union(b.complement()));
    }

    @Property
    void testComplementLaws(@ForAll("portSets") PortSet a) {
        assertThat(a.complement().complement()).isEqualTo(a);
        assertThat(a.union(a.complement())).isEqualTo(PortSet.ALL);
        assertThat(a.union(a.complement()).isAll()).isTrue();
        assertThat(a.intersect(a.complement()).isEmpty()).isTrue();
        assertThat(a.intersects(a.complement())).isFalse();
        assertThat(a.size() + a.complement().size()).isEqualTo(MAX);
    }

    @Property
    void testMinusIsIntersectionWithComplement(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.minus(b)).isEqualTo(a.intersect(b.complement()));
        assertThat(a.minus(b).intersects(b)).isFalse();
        assertThat(a.minus(b).union(a.intersect(b))).isEqualTo(a);
    }

    @Property
    void testAbsorption(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.union(a.intersect(b))).isEqualTo(a);
        assertThat(a.intersect(a.union(b))).isEqualTo(a);
    }

    @Property
    void testSizeIsAdditive(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.union(b).size() + a.intersect(b).size()).isEqualTo(a.size() + b.size());
    }

    // ---------------------------------------------------------------- canonical form

    @Property
    void testEqualSetsAreEqualRegardlessOfOrder(@ForAll("rangeLists") List<PortRange> ranges, @ForAll Random random) {
        List<PortRange> shuffled = new ArrayList<>(ranges);
        Collections.shuffle(shuffled, random);
        assertEquivalent(PortSet.of(ranges), PortSet.of(shuffled));
    }

    @Property
    void testEqualSetsAreEqualWhenSplitIntoAdjacentPieces(@ForAll("rangeLists") List<PortRange> ranges, @ForAll Random random) {
        List<PortRange> pieces = new ArrayList<>();
        for (PortRange range : ranges) {
            if (range.first() == range.last()) {
                pieces.add(range);
            } else {
                int cut = range.first() + random.nextInt(range.last() - range.first());
                pieces.add(PortRange.of(range.first(), cut));
                pieces.add(PortRange.of(cut + 1, range.last()));
            }
        }
        Collections.shuffle(pieces, random);
        assertEquivalent(PortSet.of(ranges), PortSet.of(pieces));
    }

    @Property
    void testEqualSetsAreEqualWhenBuiltByUnionOfRanges(@ForAll("rangeLists") List<PortRange> ranges) {
        PortSet byUnion = PortSet.NONE;
        for (PortRange range : ranges) {
            byUnion = byUnion.union(PortSet.of(range));
        }
        assertEquivalent(PortSet.of(ranges), byUnion);
        assertEquivalent(PortSet.of(ranges), PortSet.of(PortSet.of(ranges).ranges()));
    }

    @Property
    void testEqualityMatchesModelEquality(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b) {
        assertThat(a.equals(b)).isEqualTo(model(a).equals(model(b)));
    }

    @Property
    void testFullSetIsAllAndEmptySetIsNone(@ForAll("rangeLists") List<PortRange> ranges) {
        PortSet set = PortSet.of(ranges);
        PortSet filled = set.union(set.complement());
        assertEquivalent(filled, PortSet.ALL);
        assertThat(filled.isAll()).isTrue();
        PortSet emptied = set.minus(set);
        assertEquivalent(emptied, PortSet.NONE);
        assertThat(emptied.isEmpty()).isTrue();
    }

    private static void assertEquivalent(PortSet a, PortSet b) {
        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a.toString()).isEqualTo(b.toString());
        assertThat(a.ranges()).isEqualTo(b.ranges());
        assertCanonical(a);
        assertCanonical(b);
    }

    // ---------------------------------------------------------------- round trips

    @Property
    void testToStringRoundTrips(@ForAll("portSets") PortSet a) {
        assertThat(PortSet.fromString(a.toString())).isEqualTo(a);
    }

    @Property
    void testFromStringAcceptsAnyOrderAndOverlap(@ForAll("rangeLists") List<PortRange> ranges) {
        List<String> parts = new ArrayList<>();
        ranges.forEach(range -> parts.add(range.toString()));
        assertThat(PortSet.fromString(String.join(",", parts))).isEqualTo(PortSet.of(ranges));
    }

    @Property
    void testPortRangeRoundTrips(@ForAll("portRanges") PortRange range) {
        assertThat(PortRange.fromString(range.toString())).isEqualTo(range);
        assertThat(range.size()).isEqualTo(range.last() - range.first() + 1);
        assertThat(PortSet.of(range).size()).isEqualTo(range.size());
        assertThat(PortSet.of(range).ranges()).containsExactly(range);
    }

    @Property
    void testSinglePortSets(@ForAll @IntRange(min = 1, max = 65535) int port) {
        PortSet single = PortSet.of(port);
        assertThat(single.size()).isEqualTo(1);
        assertThat(single.contains(port)).isTrue();
        assertThat(single.contains(port - 1)).isFalse();
        assertThat(single.contains(port + 1)).isFalse();
        assertThat(single.toString()).isEqualTo(Integer.toString(port));
        assertThat(single.complement().size()).isEqualTo(MAX - 1);
    }

    // ---------------------------------------------------------------- examples

    @Test
    void testToStringOfRangesAroundAHole() {
        assertThat(PortSet.of(1, 79).union(PortSet.of(81, 65535)).toString()).isEqualTo("1-79,81-65535");
        assertThat(PortSet.of(80).complement().toString()).isEqualTo("1-79,81-65535");
    }

    @Test
    void testToStringOfExtremes() {
        assertThat(PortSet.ALL.toString()).isEqualTo("1-65535");
        assertThat(PortSet.NONE.toString()).isEmpty();
        assertThat(PortSet.of(1).toString()).isEqualTo("1");
        assertThat(PortSet.of(65535).toString()).isEqualTo("65535");
        assertThat(PortSet.of(List.of(PortRange.of(443), PortRange.of(80), PortRange.of(8000, 8080))).toString())
                .isEqualTo("80,443,8000-8080");
    }

    @Test
    void testAdjacentRangesMerge() {
        PortSet merged = PortSet.of(List.of(PortRange.of(10, 19), PortRange.of(20, 29)));
        assertThat(merged.ranges()).containsExactly(PortRange.of(10, 29));
        assertThat(merged.toString()).isEqualTo("10-29");
        assertThat(PortSet.of(1, 32767).union(PortSet.of(32768, 65535))).isEqualTo(PortSet.ALL);
        assertThat(PortSet.of(1, 32767).union(PortSet.of(32768, 65535)).isAll()).isTrue();
    }

    @Test
    void testFromStringOfEmptyIsNone() {
        assertThat(PortSet.fromString("")).isEqualTo(PortSet.NONE);
        assertThat(PortSet.fromString("1-65535")).isEqualTo(PortSet.ALL);
    }

    @Test
    void testRejectsPortZero() {
        assertThatThrownBy(() -> PortRange.of(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> PortSet.of(0, 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> PortSet.fromString("0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void testRejectsPort65536() {
        assertThatThrownBy(() -> PortRange.of(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> PortSet.of(80, 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> PortSet.fromString("80,65536"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
    }

    @Test
    void testRejectsBackwardsAndMalformedRanges() {
        assertThatThrownBy(() -> PortRange.of(90, 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("90-80");
        assertThatThrownBy(() -> PortSet.fromString("80,http"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http");
        assertThatThrownBy(() -> PortSet.fromString("80-x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("80-x");
    }
}
