package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Test;

/**
 * Set laws, a point-query model, canonical form, CIDR arithmetic and round trips for {@link IpSet}
 * and {@link IpRange}, over both families.
 *
 * <p>Generated addresses cluster near the bottom and top of each address space and in a small window
 * in the middle, so that overlapping, adjacent and boundary-touching ranges are common.
 */
class IpSetPropertiesTest {

    private static final BigInteger IPV4_MIDDLE = BigInteger.valueOf(10L << 24); // 10.0.0.0
    private static final BigInteger IPV6_MIDDLE = new BigInteger("fd000000000000000000000000000000", 16); // fd00::

    /** A CIDR as text with the block it must denote, computed here by arithmetic. */
    record Cidr(IpFamily family, BigInteger address, int prefixLength) {
        BigInteger blockSize() {
            return BigInteger.ONE.shiftLeft(family.bits() - prefixLength);
        }

        BigInteger first() {
            return address.subtract(address.mod(blockSize()));
        }

        BigInteger last() {
            return first().add(blockSize()).subtract(BigInteger.ONE);
        }

        IpRange block() {
            return new IpRange(family, first(), last());
        }

        String text() {
            return format(family, address) + "/" + prefixLength;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** A CIDR with some {@code except} blocks, mostly inside it. */
    record CidrWithExcept(Cidr cidr, List<Cidr> except) {}

    // ---------------------------------------------------------------- arbitraries

    static Arbitrary<IpFamily> families() {
        return Arbitraries.of(IpFamily.class);
    }

    static Arbitrary<BigInteger> addresses(IpFamily family) {
        BigInteger max = family.maxAddress();
        BigInteger middle = family == IpFamily.IPV4 ? IPV4_MIDDLE : IPV6_MIDDLE;
        BigInteger window = BigInteger.valueOf(64);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bigIntegers().between(BigInteger.ZERO, window)),
                Tuple.of(3, Arbitraries.bigIntegers().between(max.subtract(window), max)),
                Tuple.of(3, Arbitraries.bigIntegers().between(middle, middle.add(window))),
                Tuple.of(2, Arbitraries.bigIntegers().between(BigInteger.ZERO, max)));
    }

    static Arbitrary<BigInteger> lengths(IpFamily family) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(4))),
                Tuple.of(2, Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(80))),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.ZERO, family.maxAddress())));
    }

    static Arbitrary<IpRange> ranges(IpFamily family) {
        return Combinators.combine(addresses(family), lengths(family))
                .as((first, length) -> new IpRange(family, first, first.add(length).min(family.maxAddress())));
    }

    static Arbitrary<Cidr> cidrs(IpFamily family) {
        return Combinators.combine(addresses(family), Arbitraries.integers().between(0, family.bits()))
                .as((address, prefix) -> new Cidr(family, address, prefix));
    }

    @Provide
    Arbitrary<Cidr> cidrs() {
        return families().flatMap(IpSetPropertiesTest::cidrs);
    }

    @Provide
    Arbitrary<IpRange> ipRanges() {
        return Arbitraries.oneOf(ranges(IpFamily.IPV4), ranges(IpFamily.IPV6), cidrs().map(Cidr::block));
    }

    @Provide
    Arbitrary<List<IpRange>> rangeLists() {
        return rangeListArbitrary();
    }

    static Arbitrary<List<IpRange>> rangeListArbitrary() {
        Arbitrary<IpRange> range = Arbitraries.frequencyOf(
                Tuple.of(4, ranges(IpFamily.IPV4)),
                Tuple.of(4, ranges(IpFamily.IPV6)),
                Tuple.of(1, families().flatMap(IpSetPropertiesTest::cidrs).map(Cidr::block)));
        return range.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<IpSet> ipSets() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(IpSet.NONE)),
                Tuple.of(1, Arbitraries.just(IpSet.ALL)),
                Tuple.of(1, Arbitraries.of(IpSet.all(IpFamily.IPV4), IpSet.all(IpFamily.IPV6))),
                Tuple.of(12, rangeListArbitrary().map(IpSet::of)));
    }

    @Provide
    Arbitrary<IpRange> points() {
        return families().flatMap(family -> addresses(family).map(address -> new IpRange(family, address, address)));
    }

    @Provide
    Arbitrary<CidrWithExcept> cidrsWithExcept() {
        return cidrs().flatMap(cidr -> {
            Arbitrary<Cidr> inside = Combinators.combine(
                            Arbitraries.bigIntegers().between(BigInteger.ZERO, cidr.blockSize().subtract(BigInteger.ONE)),
                            Arbitraries.integers().between(cidr.prefixLength(), cidr.family().bits()))
                    .as((offset, prefix) -> new Cidr(cidr.family(), cidr.first().add(offset), prefix));
            Arbitrary<Cidr> anywhere = cidrs(cidr.family());
            return Arbitraries.frequencyOf(Tuple.of(4, inside), Tuple.of(1, anywhere))
                    .list()
                    .ofMaxSize(4)
                    .map(except -> new CidrWithExcept(cidr, except));
        });
    }

    // ---------------------------------------------------------------- model helpers

    /** Dotted quads for IPv4; eight uncompressed hex groups for IPv6 — deliberately not the library's form. */
    static String format(IpFamily family, BigInteger address) {
        if (family == IpFamily.IPV4) {
            long value = address.longValueExact();
            return (value >>> 24 & 255) + "." + (value >>> 16 & 255) + "." + (value >>> 8 & 255) + "." + (value & 255);
        }
        StringBuilder text = new StringBuilder();
        for (int group = 7; group >= 0; group--) {
            text.append(address.shiftRight(group * 16).and(BigInteger.valueOf(0xffff)).toString(16));
            if (group > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }

    static boolean inRanges(List<IpRange> ranges, IpRange point) {
        for (IpRange range : ranges) {
            if (range.family() == point.family()
                    && range.first().compareTo(point.first()) <= 0
                    && range.last().compareTo(point.first()) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Model membership of a single address, by a linear scan of the ranges. */
    static boolean in(IpSet set, IpRange point) {
        return inRanges(set.ranges(), point);
    }

    static IpRange point(IpFamily family, BigInteger address) {
        return new IpRange(family, address, address);
    }

    /** Addresses where membership can change: every bound and its neighbours, plus both ends of both families. */
    static List<IpRange> probes(List<List<IpRange>> rangeLists, IpRange extra) {
        TreeSet<IpRange> probes = new TreeSet<>();
        probes.add(extra);
        for (IpFamily family : IpFamily.values()) {
            probes.add(point(family, BigInteger.ZERO));
            probes.add(point(family, family.maxAddress()));
        }
        for (List<IpRange> ranges : rangeLists) {
            for (IpRange range : ranges) {
                for (BigInteger address : List.of(
                        range.first().subtract(BigInteger.ONE), range.first(), range.last(), range.last().add(BigInteger.ONE))) {
                    if (address.signum() >= 0 && address.compareTo(range.family().maxAddress()) <= 0) {
                        probes.add(point(range.family(), address));
                    }
                }
            }
        }
        return new ArrayList<>(probes);
    }

    static List<IpRange> probes(IpRange extra, IpSet... sets) {
        List<List<IpRange>> lists = new ArrayList<>();
        for (IpSet set : sets) {
            lists.add(set.ranges());
        }
        return probes(lists, extra);
    }

    static void assertCanonical(IpSet set) {
        List<IpRange> ranges = set.ranges();
        for (int i = 1; i < ranges.size(); i++) {
            IpRange previous = ranges.get(i - 1);
            IpRange next = ranges.get(i);
            assertThat(previous.family().compareTo(next.family())).as("IPv4 before IPv6 in %s", set).isLessThanOrEqualTo(0);
            if (previous.family() == next.family()) {
                assertThat(next.first())
                        .as("ranges sorted, disjoint and non-adjacent in %s", set)
                        .isGreaterThan(previous.last().add(BigInteger.ONE));
            }
        }
        assertThat(set.isEmpty()).isEqualTo(ranges.isEmpty());
    }

    private static void assertEquivalent(IpSet a, IpSet b) {
        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a.toString()).isEqualTo(b.toString());
        assertThat(a.ranges()).isEqualTo(b.ranges());
        assertCanonical(a);
        assertCanonical(b);
    }

    static IpSet parseSet(String text) {
        if (text.isEmpty()) {
            return IpSet.NONE;
        }
        List<IpRange> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            ranges.add(IpRange.fromString(part));
        }
        return IpSet.of(ranges);
    }

    // ---------------------------------------------------------------- model agreement

    @Property
    void testOfAgreesWithModel(@ForAll("rangeLists") List<IpRange> ranges, @ForAll("points") IpRange extra) {
        IpSet set = IpSet.of(ranges);
        for (IpRange probe : probes(List.of(ranges), extra)) {
            boolean expected = inRanges(ranges, probe);
            assertThat(in(set, probe)).as("%s in %s", probe, set).isEqualTo(expected);
            assertThat(set.contains(probe)).as("contains(%s) in %s", probe, set).isEqualTo(expected);
        }
        assertCanonical(set);
    }

    @Property
    void testUnionAgreesWithModel(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b, @ForAll("points") IpRange extra) {
        IpSet union = a.union(b);
        for (IpRange probe : probes(extra, a, b)) {
            boolean expected = in(a, probe) || in(b, probe);
            assertThat(in(union, probe)).as("%s", probe).isEqualTo(expected);
            assertThat(union.contains(probe)).as("%s", probe).isEqualTo(expected);
        }
        assertCanonical(union);
    }

    @Property
    void testIntersectAgreesWithModel(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b, @ForAll("points") IpRange extra) {
        IpSet intersection = a.intersect(b);
        for (IpRange probe : probes(extra, a, b)) {
            boolean expected = in(a, probe) && in(b, probe);
            assertThat(in(intersection, probe)).as("%s", probe).isEqualTo(expected);
            assertThat(intersection.contains(probe)).as("%s", probe).isEqualTo(expected);
        }
        assertCanonical(intersection);
    }

    @Property
    void testMinusAgreesWithModel(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b, @ForAll("points") IpRange extra) {
        IpSet difference = a.minus(b);
        for (IpRange probe : probes(extra, a, b)) {
            boolean expected = in(a, probe) && !in(b, probe);
            assertThat(in(difference, probe)).as("%s", probe).isEqualTo(expected);
            assertThat(difference.contains(probe)).as("%s", probe).isEqualTo(expected);
        }
        assertCanonical(difference);
    }

    @Property
    void testComplementAgreesWithModel(@ForAll("ipSets") IpSet a, @ForAll("points") IpRange extra) {
        IpSet complement = a.complement();
        for (IpRange probe : probes(extra, a)) {
            assertThat(in(complement, probe)).as("%s", probe).isNotEqualTo(in(a, probe));
            assertThat(complement.contains(probe)).as("%s", probe).isNotEqualTo(in(a, probe));
        }
        assertCanonical(complement);
    }

    @Property
    void testContainsRangeMeansEveryAddressIsIn(@ForAll("ipSets") IpSet a, @ForAll("ipRanges") IpRange range) {
        assertThat(a.contains(range)).isEqualTo(a.containsAll(IpSet.of(range)));
        assertThat(a.contains(range)).isEqualTo(a.intersect(IpSet.of(range)).equals(IpSet.of(range)));
        assertThat(a.union(IpSet.of(range)).contains(range)).isTrue();
        assertThat(a.minus(IpSet.of(range)).contains(range)).isFalse();
        assertThat(a.minus(IpSet.of(range)).intersects(IpSet.of(range))).isFalse();
    }

    @Property
    void testContainsAllAndIntersects(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        assertThat(a.containsAll(b)).isEqualTo(a.union(b).equals(a));
        assertThat(a.containsAll(b)).isEqualTo(a.intersect(b).equals(b));
        assertThat(a.intersects(b)).isEqualTo(b.intersects(a));
        assertThat(IpSet.ALL.containsAll(a)).isTrue();
        assertThat(a.containsAll(IpSet.NONE)).isTrue();
        assertThat(a.intersects(a)).isEqualTo(!a.isEmpty());
        boolean anyShared = false;
        for (IpRange probe : probes(point(IpFamily.IPV4, BigInteger.ZERO), a, b)) {
            anyShared |= in(a, probe) && in(b, probe);
        }
        // a shared address, if any, sits at some bound of a or b, so the probes find it
        assertThat(a.intersects(b)).isEqualTo(anyShared);
    }

    @Property
    void testHasFamilyAgreesWithModel(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        for (IpFamily family : IpFamily.values()) {
            boolean expected = a.ranges().stream().anyMatch(range -> range.family() == family);
            assertThat(a.hasFamily(family)).isEqualTo(expected);
            assertThat(a.union(b).hasFamily(family)).isEqualTo(a.hasFamily(family) || b.hasFamily(family));
            assertThat(a.complement().hasFamily(family)).isEqualTo(!a.containsAll(IpSet.all(family)));
            assertThat(a.intersect(IpSet.all(family)).hasFamily(family)).isEqualTo(a.hasFamily(family));
            for (IpFamily other : IpFamily.values()) {
                if (other != family) {
                    assertThat(a.intersect(IpSet.all(family)).hasFamily(other)).isFalse();
                    assertThat(a.minus(IpSet.all(other)).hasFamily(other)).isFalse();
                }
            }
        }
    }

    // ---------------------------------------------------------------- set laws

    @Property
    void testUnionAndIntersectionAreCommutative(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        assertThat(a.union(b)).isEqualTo(b.union(a));
        assertThat(a.intersect(b)).isEqualTo(b.intersect(a));
    }

    @Property
    void testUnionAndIntersectionAreAssociative(
            @ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b, @ForAll("ipSets") IpSet c) {
        assertThat(a.union(b).union(c)).isEqualTo(a.union(b.union(c)));
        assertThat(a.intersect(b).intersect(c)).isEqualTo(a.intersect(b.intersect(c)));
    }

    @Property
    void testDistributivity(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b, @ForAll("ipSets") IpSet c) {
        assertThat(a.intersect(b.union(c))).isEqualTo(a.intersect(b).union(a.intersect(c)));
        assertThat(a.union(b.intersect(c))).isEqualTo(a.union(b).intersect(a.union(c)));
    }

    @Property
    void testIdentityAndAnnihilator(@ForAll("ipSets") IpSet a) {
        assertThat(a.union(IpSet.NONE)).isEqualTo(a);
        assertThat(IpSet.NONE.union(a)).isEqualTo(a);
        assertThat(a.intersect(IpSet.ALL)).isEqualTo(a);
        assertThat(IpSet.ALL.intersect(a)).isEqualTo(a);
        assertThat(a.union(IpSet.ALL)).isEqualTo(IpSet.ALL);
        assertThat(a.intersect(IpSet.NONE)).isEqualTo(IpSet.NONE);
        assertThat(a.minus(IpSet.NONE)).isEqualTo(a);
        assertThat(a.minus(IpSet.ALL)).isEqualTo(IpSet.NONE);
        assertThat(IpSet.NONE.minus(a)).isEqualTo(IpSet.NONE);
        assertThat(IpSet.ALL.minus(a)).isEqualTo(a.complement());
    }

    @Property
    void testIdempotence(@ForAll("ipSets") IpSet a) {
        assertThat(a.union(a)).isEqualTo(a);
        assertThat(a.intersect(a)).isEqualTo(a);
        assertThat(a.minus(a)).isEqualTo(IpSet.NONE);
    }

    @Property
    void testDeMorgan(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        assertThat(a.union(b).complement()).isEqualTo(a.complement().intersect(b.complement()));
        assertThat(a.intersect(b).complement()).isEqualTo(a.complement().union(b.complement()));
    }

    @Property
    void testComplementLaws(@ForAll("ipSets") IpSet a) {
        assertThat(a.complement().complement()).isEqualTo(a);
        assertEquivalent(a.union(a.complement()), IpSet.ALL);
        assertThat(a.intersect(a.complement()).isEmpty()).isTrue();
        assertThat(a.intersects(a.complement())).isFalse();
    }

    @Property
    void testMinusIsIntersectionWithComplement(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        assertThat(a.minus(b)).isEqualTo(a.intersect(b.complement()));
        assertThat(a.minus(b).intersects(b)).isFalse();
        assertThat(a.minus(b).union(a.intersect(b))).isEqualTo(a);
    }

    @Property
    void testAbsorption(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        assertThat(a.union(a.intersect(b))).isEqualTo(a);
        assertThat(a.intersect(a.union(b))).isEqualTo(a);
    }

    @Test
    void testFamiliesAreSeparateSpaces() {
        assertEquivalent(IpSet.all(IpFamily.IPV4).complement(), IpSet.all(IpFamily.IPV6));
        assertEquivalent(IpSet.all(IpFamily.IPV4).union(IpSet.all(IpFamily.IPV6)), IpSet.ALL);
        assertThat(IpSet.all(IpFamily.IPV4).intersects(IpSet.all(IpFamily.IPV6))).isFalse();
        assertThat(IpSet.ALL.complement()).isEqualTo(IpSet.NONE);
        assertThat(IpSet.NONE.complement()).isEqualTo(IpSet.ALL);
    }

    @Property
    void testSameNumberInTwoFamiliesIsTwoAddresses(@ForAll("points") IpRange any) {
        // the same number as an IPv4 and as an IPv6 address (e.g. 0.0.0.1 and ::1)
        IpRange point = point(IpFamily.IPV4, any.first().and(IpFamily.IPV4.maxAddress()));
        IpRange twin = point(IpFamily.IPV6, point.first());
        IpSet set = IpSet.of(point);
        assertThat(set.contains(twin)).isFalse();
        assertThat(set.intersects(IpSet.of(twin))).isFalse();
        assertThat(set.union(IpSet.of(twin)).ranges()).hasSize(2);
        assertThat(set.union(IpSet.of(twin)).minus(set)).isEqualTo(IpSet.of(twin));
    }

    // ---------------------------------------------------------------- canonical form

    @Property
    void testEqualSetsAreEqualRegardlessOfOrder(@ForAll("rangeLists") List<IpRange> ranges, @ForAll Random random) {
        List<IpRange> shuffled = new ArrayList<>(ranges);
        Collections.shuffle(shuffled, random);
        assertEquivalent(IpSet.of(ranges), IpSet.of(shuffled));
    }

    @Property
    void testEqualSetsAreEqualWhenSplitIntoAdjacentPieces(@ForAll("rangeLists") List<IpRange> ranges, @ForAll Random random) {
        List<IpRange> pieces = new ArrayList<>();
        for (IpRange range : ranges) {
            BigInteger width = range.last().subtract(range.first());
            if (width.signum() == 0) {
                pieces.add(range);
            } else {
                BigInteger cut = range.first().add(new BigInteger(width.bitLength() + 8, random).mod(width));
                pieces.add(new IpRange(range.family(), range.first(), cut));
                pieces.add(new IpRange(range.family(), cut.add(BigInteger.ONE), range.last()));
            }
        }
        Collections.shuffle(pieces, random);
        assertEquivalent(IpSet.of(ranges), IpSet.of(pieces));
    }

    @Property
    void testEqualSetsAreEqualWhenBuiltByUnionOfRanges(@ForAll("rangeLists") List<IpRange> ranges) {
        IpSet byUnion = IpSet.NONE;
        for (IpRange range : ranges) {
            byUnion = byUnion.union(IpSet.of(range));
        }
        assertEquivalent(IpSet.of(ranges), byUnion);
        assertEquivalent(IpSet.of(ranges), IpSet.of(IpSet.of(ranges).ranges()));
    }

    @Property
    void testEqualSetsAreEqualWhenBuiltByDifferentOperations(@ForAll("ipSets") IpSet a, @ForAll("ipSets") IpSet b) {
        assertEquivalent(a.minus(b), a.intersect(b.complement()));
        assertEquivalent(a.union(b), a.complement().intersect(b.complement()).complement());
        assertEquivalent(a.intersect(b), a.minus(a.minus(b)));
    }

    // ---------------------------------------------------------------- CIDRs and round trips

    @Property(tries = 200) // parses text with the address library
    void testFromCidrIsTheAlignedBlock(@ForAll("cidrs") Cidr cidr) {
        IpRange range = IpRange.fromCidr(cidr.text());
        assertThat(range.family()).isEqualTo(cidr.family());
        assertThat(range.first()).isEqualTo(cidr.first());
        assertThat(range.last()).isEqualTo(cidr.last());
        assertThat(IpRange.prefixLength(cidr.text())).isEqualTo(cidr.prefixLength());
        assertThat(IpRange.isCanonicalCidr(cidr.text())).isEqualTo(cidr.address().equals(cidr.first()));
        assertThat(IpRange.fromString(cidr.text())).isEqualTo(range);
        assertThat(IpRange.fromCidr(format(cidr.family(), cidr.first()) + "/" + cidr.prefixLength())).isEqualTo(range);
    }

    @Property(tries = 200) // parses text with the address library
    void testIpRangeToStringRoundTrips(@ForAll("ipRanges") IpRange range) {
        assertThat(IpRange.fromString(range.toString())).isEqualTo(range);
        String first = IpRange.formatAddress(range.family(), range.first());
        String last = IpRange.formatAddress(range.family(), range.last());
        assertThat(range.toString()).isEqualTo(first + "-" + last);
        assertThat(IpRange.fromAddress(first)).isEqualTo(point(range.family(), range.first()));
        assertThat(IpRange.fromAddress(last)).isEqualTo(point(range.family(), range.last()));
    }

    @Property
    void testIpv4PrintsAsDottedQuads(@ForAll("rangeLists") List<IpRange> ranges) {
        for (IpRange range : ranges) {
            if (range.family() == IpFamily.IPV4) {
                assertThat(range.toString())
                        .isEqualTo(format(IpFamily.IPV4, range.first()) + "-" + format(IpFamily.IPV4, range.last()));
            }
        }
    }

    @Property(tries = 200) // parses text with the address library
    void testAddressesParseFromTheLongForm(@ForAll("points") IpRange point) {
        assertThat(IpRange.fromAddress(format(point.family(), point.first()))).isEqualTo(point);
        assertThat(IpRange.fromString(format(point.family(), point.first()))).isEqualTo(point);
    }

    @Property(tries = 200) // parses text with the address library
    void testIpSetToStringRoundTrips(@ForAll("ipSets") IpSet a) {
        assertEquivalent(parseSet(a.toString()), a);
    }

    @Property(tries = 200) // parses text with the address library
    void testFromCidrWithExceptAgreesWithModel(@ForAll("cidrsWithExcept") CidrWithExcept input, @ForAll("points") IpRange extra) {
        List<String> except = input.except().stream().map(Cidr::text).toList();
        IpSet set = IpSet.fromCidr(input.cidr().text(), except);
        List<IpRange> holes = input.except().stream().map(Cidr::block).toList();
        List<IpRange> block = List.of(input.cidr().block());
        List<List<IpRange>> bounds = new ArrayList<>();
        bounds.add(block);
        bounds.add(holes);
        for (IpRange probe : probes(bounds, extra)) {
            boolean expected = inRanges(block, probe) && !inRanges(holes, probe);
            assertThat(set.contains(probe)).as("%s in %s except %s", probe, input.cidr(), except).isEqualTo(expected);
            assertThat(in(set, probe)).as("%s", probe).isEqualTo(expected);
        }
        assertCanonical(set);
        assertThat(set).isEqualTo(IpSet.of(input.cidr().block()).minus(IpSet.of(holes)));
        assertThat(IpSet.fromCidr(input.cidr().text(), List.of())).isEqualTo(IpSet.of(input.cidr().block()));
        assertThat(set.hasFamily(input.cidr().family())).isEqualTo(!set.isEmpty());
    }

    // ---------------------------------------------------------------- examples

    @Test
    void testSingleAddressPrintsAsARange() {
        assertThat(IpRange.fromCidr("10.0.0.1/32").toString()).isEqualTo("10.0.0.1-10.0.0.1");
        assertThat(IpSet.of(IpRange.fromCidr("10.0.0.1/32")).toString()).isEqualTo("10.0.0.1-10.0.0.1");
        assertThat(IpRange.fromAddress("10.0.0.1").toString()).isEqualTo("10.0.0.1-10.0.0.1");
        assertThat(IpRange.fromCidr("fd00::1/128").toString()).isEqualTo("fd00::1-fd00::1");
    }

    @Test
    void testCidrWithExceptPrintsTheRemainingRanges() {
        assertThat(IpSet.fromCidr("0.0.0.0/0", List.of("10.0.0.0/8")).toString())
                .isEqualTo("0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255");
        assertThat(IpSet.fromCidr("10.0.0.0/24", List.of("10.0.0.0/25", "10.0.0.128/25")).toString()).isEmpty();
        assertThat(IpSet.fromCidr("10.0.0.0/24", List.of("10.0.0.0/25", "10.0.0.128/25"))).isEqualTo(IpSet.NONE);
    }

    @Test
    void testWholeSpacesPrint() {
        assertThat(IpSet.all(IpFamily.IPV4).toString()).isEqualTo("0.0.0.0-255.255.255.255");
        assertThat(IpSet.ALL.toString())
                .isEqualTo("0.0.0.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(IpSet.NONE.toString()).isEmpty();
        assertThat(IpRange.fromCidr("2001:db8::/32").toString())
                .isEqualTo("2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(IpRange.fromCidr("255.255.255.255/32").toString()).isEqualTo("255.255.255.255-255.255.255.255");
        assertThat(IpRange.fromCidr("128.0.0.0/1").toString()).isEqualTo("128.0.0.0-255.255.255.255");
    }

    @Test
    void testHostBitsBeyondThePrefixAreIgnored() {
        assertThat(IpRange.fromCidr("10.1.2.3/8")).isEqualTo(IpRange.fromCidr("10.0.0.0/8"));
        assertThat(IpRange.isCanonicalCidr("10.1.2.3/8")).isFalse();
        assertThat(IpRange.isCanonicalCidr("10.0.0.0/8")).isTrue();
    }

    @Test
    void testRejectsPrefixLengthTooLong() {
        assertThatThrownBy(() -> IpRange.fromCidr("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> IpRange.fromCidr("fd00::/129"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fd00::/129");
    }

    @Test
    void testRejectsNonAddress() {
        assertThatThrownBy(() -> IpRange.fromCidr("not-an-ip/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-an-ip/8");
        assertThatThrownBy(() -> IpRange.fromAddress("10.0.0.300"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.300");
    }

    @Test
    void testRejectsCidrWithoutPrefixLength() {
        assertThatThrownBy(() -> IpRange.fromCidr("10.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.0");
        assertThatThrownBy(() -> IpSet.fromCidr("10.0.0.0/8", List.of("10.1.0.0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.1.0.0");
    }

    @Test
    void testRejectsMalformedRanges() {
        assertThatThrownBy(() -> IpRange.fromString("10.0.0.1-::1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.1-::1");
        assertThatThrownBy(() -> IpRange.fromString("10.0.0.9-10.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpRange(IpFamily.IPV4, BigInteger.ZERO, BigInteger.ONE.shiftLeft(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BigInteger.ONE.shiftLeft(32).toString());
    }
}
