package dev.phiguard.eval;

/**
 * Two ints as one {@code long} map key. Packing them side by side would make {@link Long#hashCode}
 * their XOR, on which small ids collide by the thousand; the packed value is put through the
 * MurmurHash3 finaliser, a bijection, so keys stay unique and their hashes spread.
 */
final class PairKey {
    private PairKey() {
    }

    static long of(int first, int second) {
        long key = ((long) first << 32) | (second & 0xFFFFFFFFL);
        key ^= key >>> 33;
        key *= 0xFF51AFD7ED558CCDL;
        key ^= key >>> 33;
        key *= 0xC4CEB9FE1A85EC53L;
        key ^= key >>> 33;
        return key;
    }
}
