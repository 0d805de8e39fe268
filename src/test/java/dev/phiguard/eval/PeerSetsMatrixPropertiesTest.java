package dev.phiguard.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The class-major matrix of {@link PeerSets} holds exactly the bits of the sets it is built from. */
class PeerSetsMatrixPropertiesTest {

    @Property(tries = 200)
    void testEveryBitOfEverySetIsItsClassesBit(@ForAll @IntRange(min = 0, max = 200) int setCount,
            @ForAll @IntRange(min = 1, max = 300) int classes, @ForAll @IntRange(min = 0, max = 100) int density,
            @ForAll Random random) {
        List<BitSet> sets = new ArrayList<>();
        for (int s = 0; s < setCount; s++) {
            BitSet set = new BitSet();
            // a few bits past the classes too: the matrix must ignore them
            for (int c = 0; c < classes + 3; c++) {
                if (random.nextInt(100) < density) {
                    set.set(c);
                }
            }
            sets.add(set);
        }
        int words = (setCount + 63) / 64;
        long[] matrix = PeerSets.classMajor(sets, classes);
        assertThat(matrix).hasSize(classes * words);
        for (int c = 0; c < classes; c++) {
            for (int s = 0; s < words * 64; s++) {
                boolean bit = (matrix[c * words + (s >>> 6)] & 1L << s) != 0;
                assertThat(bit).as("set %d, class %d", s, c).isEqualTo(s < setCount && sets.get(s).get(c));
            }
        }
    }

    @Test
    void testTransposeMovesEachBitAcrossTheDiagonal() {
        Random random = new Random(7);
        long[] rows = new long[64];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextLong();
        }
        long[] transposed = rows.clone();
        PeerSets.transpose(transposed);
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 64; j++) {
                assertThat((transposed[j] >>> i) & 1).as("row %d, bit %d", i, j).isEqualTo((rows[i] >>> j) & 1);
            }
        }
    }
}
