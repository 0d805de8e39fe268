package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link IpRange#toCidrs()}: the fewest CIDRs covering exactly the range. */
class IpRangeCidrPropertiesTest {

    @Provide
    Arbitrary<IpRange> ranges() {
        Arbitrary<Long> v4 = Arbitraries.oneOf(Arbitraries.longs().between(0, 4096),
                Arbitraries.longs().between(0xFFFFFFFFL - 4096, 0xFFFFFFFFL), Arbitraries.longs().between(0, 0xFFFFFFFFL));
        Arbitrary<IpRange> ipv4 = v4.tuple2().map(pair -> {
            long a = Math.min(pair.get1(), pair.get2());
            long b = Math.max(pair.get1(), pair.get2());
            return new IpRange(IpFamily.IPV4, BigInteger.valueOf(a), BigInteger.valueOf(b));
        });
        Arbitrary<IpRange> ipv6 = Arbitraries.bigIntegers().between(BigInteger.ZERO, IpFamily.IPV6.maxAddress())
                .tuple2().map(pair -> new IpRange(IpFamily.IPV6, pair.get1().min(pair.get2()),
                        pair.get1().max(pair.get2())));
        return Arbitraries.oneOf(ipv4, ipv4, ipv6);
    }

    @Property(tries = 300)
    void testCidrsCoverExactlyTheRange(@ForAll("ranges") IpRange range) {
        List<IpRange> blocks = new ArrayList<>();
        for (String cidr : range.toCidrs()) {
            blocks.add(IpRange.fromCidr(cidr));
            assertThat(IpRange.isCanonicalCidr(cidr)).as(cidr).isTrue();
        }
        assertThat(IpSet.of(blocks)).isEqualTo(IpSet.of(range));
        // disjoint and in order: each block starts right after the previous one
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i).first()).isEqualTo(blocks.get(i - 1).last().add(BigInteger.ONE));
        }
    }

    @Property(tries = 300)
    void testNoTwoNeighbouringBlocksCouldMerge(@ForAll("ranges") IpRange range) {
        List<String> cidrs = range.toCidrs();
        for (int i = 1; i < cidrs.size(); i++) {
            IpRange previous = IpRange.fromCidr(cidrs.get(i - 1));
            IpRange next = IpRange.fromCidr(cidrs.get(i));
            boolean sameSize = previous.last().subtract(previous.first()).equals(next.last().subtract(next.first()));
            BigInteger doubled = previous.last().subtract(previous.first()).add(BigInteger.ONE).shiftLeft(1);
            boolean aligned = previous.first().mod(doubled).signum() == 0;
            assertThat(sameSize && aligned).as("%s and %s form one larger block", cidrs.get(i - 1), cidrs.get(i))
                    .isFalse();
        }
    }

    @Test
    void testWellKnownRanges() {
        assertThat(IpRange.fromString("0.0.0.0-255.255.255.255").toCidrs()).containsExactly("0.0.0.0/0");
        assertThat(IpRange.fromString("10.0.0.0-10.0.0.2").toCidrs()).containsExactly("10.0.0.0/31", "10.0.0.2/32");
        assertThat(IpRange.fromString("0.0.0.0-9.255.255.255").toCidrs()).containsExactly("0.0.0.0/5", "8.0.0.0/7");
        assertThat(IpRange.fromString("fd00::-fd00::ffff").toCidrs()).containsExactly("fd00::/112");
    }
}
