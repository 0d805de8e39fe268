package dev.phiguard.eval;

import dev.phiguard.model.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one direction arranged to decide, for one class at a time, what each array of
 * rules allows it. The distinct peer sets of the rules are numbered; a bit matrix holds which of
 * them admit each class, a class's bits side by side; and every array's rules are grouped by
 * peer set. Deciding an array for a class is then a few bit tests in one short run of memory,
 * where testing every rule's own bitset read a different part of memory per rule: at 50,000
 * workloads a row meets a couple of thousand arrays of forty rules each.
 */
final class PeerSets {
    /** What a group of rules allows when it depends on the destination's named ports. */
    private static final int RESOLVED_PER_DESTINATION = -1;

    private final List<BitSet> sets = new ArrayList<>();
    private final int words;
    /** Per class, {@link #words} longs: bit {@code s} says whether peer set {@code s} admits the class. */
    private final long[] admitting;
    /*
     * Per array number of the tier (null for arrays of the other direction), its rules grouped by
     * equal peer sets: each group's peer set, what its rules allow together (or
     * RESOLVED_PER_DESTINATION), and its rules. Arrays of ints, read in the inner loop.
     */
    private final int[][] groupPeerSets;
    private final int[][] groupPorts;
    private final CompiledRule[][][] groupRules;
    private final boolean[] namesPorts;
    /**
     * Per array number whose rules name ports, per group and named-ports identity of the
     * destination, what the group allows plus one (0 until first asked): resolving rule by rule
     * read three objects per rule. Threads that race to fill an entry write the same value.
     */
    private final int[][] resolvedPorts;
    private final int identities;

    PeerSets(ClusterIndex index, Direction direction, int[] rulesNumber, int arrays) {
        Map<BitSet, Integer> numbers = new HashMap<>();
        this.groupPeerSets = new int[arrays][];
        this.groupPorts = new int[arrays][];
        this.groupRules = new CompiledRule[arrays][][];
        this.namesPorts = new boolean[arrays];
        this.resolvedPorts = new int[arrays][];
        this.identities = Math.max(1, index.namedPortsIdentities);
        for (int endpointClass = 0; endpointClass < rulesNumber.length; endpointClass++) {
            int number = rulesNumber[endpointClass];
            if (number >= 0 && groupPeerSets[number] == null) {
                group(number, index.rules(direction, endpointClass), numbers, index.table);
            }
        }
        this.words = (sets.size() + Long.SIZE - 1) / Long.SIZE;
        this.admitting = classMajor(sets, index.classes.size());
    }

    /**
     * The matrix of which sets hold which classes, class by class: {@code words} longs per class
     * (one bit per set, {@code (sets + 63) / 64} words), bit {@code s} of class {@code c} set when
     * set {@code s} holds {@code c}. Built by transposing 64 sets by 64 classes at a time: setting
     * it bit by bit wrote to a different part of the matrix for every member of every set, and
     * sets that admit most of 20,000 classes made that seconds.
     */
    static long[] classMajor(List<BitSet> sets, int classes) {
        int words = (sets.size() + Long.SIZE - 1) / Long.SIZE;
        int classWords = (classes + Long.SIZE - 1) / Long.SIZE;
        long[] matrix = new long[classes * words];
        long[] block = new long[Long.SIZE];
        for (int word = 0; word < words; word++) {
            int first = word * Long.SIZE;
            long[][] rows = new long[Math.min(Long.SIZE, sets.size() - first)][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = sets.get(first + r).toLongArray();
            }
            for (int classWord = 0; classWord < classWords; classWord++) {
                boolean any = false;
                for (int r = 0; r < Long.SIZE; r++) {
                    block[r] = r < rows.length && classWord < rows[r].length ? rows[r][classWord] : 0;
                    any |= block[r] != 0;
                }
                if (!any) {
                    continue;
                }
                transpose(block);
                for (int bit = 0; bit < Long.SIZE; bit++) {
                    int c = classWord * Long.SIZE + bit;
                    if (c >= classes) {
                        break;
                    }
                    matrix[c * words + word] = block[bit];
                }
            }
        }
        return matrix;
    }

    private static final long[] SWAP_MASKS = {0x00000000FFFFFFFFL, 0x0000FFFF0000FFFFL, 0x00FF00FF00FF00FFL,
            0x0F0F0F0F0F0F0F0FL, 0x3333333333333333L, 0x5555555555555555L};

    /**
     * Transposes a 64 by 64 bit matrix in place (bit {@code j} of row {@code i} becomes bit
     * {@code i} of row {@code j}): swapping off-diagonal blocks of 32, then 16, down to 1.
     */
    static void transpose(long[] rows) {
        int width = Long.SIZE / 2;
        for (long mask : SWAP_MASKS) {
            for (int row = 0; row < Long.SIZE; row = (row + width + 1) & ~width) {
                long swapped = ((rows[row] >>> width) ^ rows[row + width]) & mask;
                rows[row + width] ^= swapped;
                rows[row] ^= swapped << width;
            }
            width >>= 1;
        }
    }

    private void group(int number, CompiledRule[] rules, Map<BitSet, Integer> numbers, ConnectionTable table) {
        Map<Integer, List<CompiledRule>> byPeerSet = new LinkedHashMap<>();
        for (CompiledRule rule : rules) {
            int peerSet = numbers.computeIfAbsent(rule.peerClasses, peers -> {
                sets.add(peers);
                return sets.size() - 1;
            });
            byPeerSet.computeIfAbsent(peerSet, key -> new ArrayList<>()).add(rule);
        }
        int[] peerSets = new int[byPeerSet.size()];
        int[] ports = new int[byPeerSet.size()];
        CompiledRule[][] members = new CompiledRule[byPeerSet.size()][];
        int group = 0;
        for (Map.Entry<Integer, List<CompiledRule>> entry : byPeerSet.entrySet()) {
            int allowed = ConnectionTable.NONE;
            for (CompiledRule rule : entry.getValue()) {
                allowed = rule.namedPorts.isEmpty() && allowed != RESOLVED_PER_DESTINATION
                        ? table.union(allowed, rule.fixedPortsId) : RESOLVED_PER_DESTINATION;
            }
            peerSets[group] = entry.getKey();
            ports[group] = allowed;
            namesPorts[number] |= allowed == RESOLVED_PER_DESTINATION;
            members[group] = entry.getValue().toArray(new CompiledRule[0]);
            group++;
        }
        groupPeerSets[number] = peerSets;
        groupPorts[number] = ports;
        groupRules[number] = members;
        if (namesPorts[number]) {
            resolvedPorts[number] = new int[peerSets.length * identities];
        }
    }

    /**
     * What the array numbered {@code number} allows {@code peer}: the union of what its rules that
     * admit the peer allow towards {@code destination}, where named ports resolve. As a table id.
     */
    int allowed(int number, int peer, EndpointClass destination, ConnectionTable table) {
        int base = peer * words;
        int[] peerSets = groupPeerSets[number];
        int[] ports = groupPorts[number];
        int allowed = ConnectionTable.NONE;
        for (int group = 0; group < peerSets.length; group++) {
            int set = peerSets[group];
            if ((admitting[base + (set >>> 6)] & 1L << set) == 0) {
                continue;
            }
            if (ports[group] != RESOLVED_PER_DESTINATION) {
                allowed = table.union(allowed, ports[group]);
            } else {
                int[] resolved = resolvedPorts[number];
                int at = group * identities + destination.namedPorts;
                if (resolved[at] == 0) {
                    int ofGroup = ConnectionTable.NONE;
                    for (CompiledRule rule : groupRules[number][group]) {
                        ofGroup = table.union(ofGroup, rule.connectionsTo(destination, table));
                    }
                    resolved[at] = ofGroup + 1;
                }
                allowed = table.union(allowed, resolved[at] - 1);
            }
        }
        return allowed;
    }

    /**
     * Which peer sets admit a class, as an object equal for classes admitted alike: everything the
     * far side of a row reads of its subject but the subject's named ports.
     */
    BitSet admittingOf(int endpointClass) {
        return BitSet.valueOf(Arrays.copyOfRange(admitting, endpointClass * words, (endpointClass + 1) * words));
    }

    /** Whether a rule of the array numbered {@code number} names a port, so that its answer depends on the destination. */
    boolean namesPorts(int number) {
        return namesPorts[number];
    }

    /** The distinct peer sets of the array numbered {@code number}: its rules admit a class as these do. */
    List<BitSet> peerSets(int number) {
        List<BitSet> result = new ArrayList<>();
        for (int set : groupPeerSets[number]) {
            result.add(sets.get(set));
        }
        return result;
    }
}
