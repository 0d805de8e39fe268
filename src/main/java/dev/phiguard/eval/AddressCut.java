package dev.phiguard.eval;

import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cuts the address space outside the cluster into ranges at every boundary of every ipBlock, so
 * that each range is either wholly inside or wholly outside each block and one evaluation per
 * range is exact.
 */
final class AddressCut {
    private AddressCut() {
    }

    static List<IpRange> cut(Collection<IpSet> blocks, Set<IpFamily> families) {
        List<IpRange> atoms = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            if (!families.contains(family)) {
                continue;
            }
            TreeSet<BigInteger> starts = new TreeSet<>();
            starts.add(BigInteger.ZERO);
            for (IpSet block : blocks) {
                for (IpRange range : block.ranges()) {
                    if (range.family() != family) {
                        continue;
                    }
                    starts.add(range.first());
                    if (range.last().compareTo(family.maxAddress()) < 0) {
                        starts.add(range.last().add(BigInteger.ONE));
                    }
                }
            }
            BigInteger previous = null;
            for (BigInteger start : starts) {
                if (previous != null) {
                    atoms.add(new IpRange(family, previous, start.subtract(BigInteger.ONE)));
                }
                previous = start;
            }
            atoms.add(new IpRange(family, previous, family.maxAddress()));
        }
        return atoms;
    }
}
