package dev.phiguard.analysis;

import dev.phiguard.analysis.PolicyIndex.IndexedRule;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds rules and policies whose removal changes no allowed connection, and policies that
 * contain or equal one another. Pure.
 *
 * <p>Removing a rule is judged as Kubernetes would apply the change: a policy without
 * {@code policyTypes} that loses its last egress rule stops isolating egress, and a removed
 * policy may leave a workload isolated by nothing. What changes on one side is a change only
 * where the other side of the connection allows it too. The work is per group of workloads
 * selected by the same policies and per peer a removed rule admits, never per workload pair.
 */
public final class RedundancyAnalyzer {
    private final PolicyIndex index;
    /** What one side allows, per direction, subject class and peer: read again and again by the far side. */
    private final Map<Long, ConnectionSet> allowedCache = new HashMap<>();

    private RedundancyAnalyzer(PolicyIndex index) {
        this.index = index;
    }

    public static Redundancy analyze(Cluster cluster) {
        Objects.requireNonNull(cluster, "cluster");
        return new RedundancyAnalyzer(PolicyIndex.of(cluster)).run();
    }

    static Redundancy analyze(PolicyIndex index) {
        return new RedundancyAnalyzer(index).run();
    }

    private Redundancy run() {
        List<Redundancy.RedundantRule> redundantRules = new ArrayList<>();
        List<Redundancy.RedundantPolicy> redundantPolicies = new ArrayList<>();
        List<NetworkPolicy> policies = index.cluster.policies();
        for (int p = 0; p < policies.size(); p++) {
            NetworkPolicy policy = policies.get(p);
            BitSet subjects = index.selected.get(p);
            for (Direction direction : Direction.values()) {
                for (IndexedRule rule : index.rules.get(p).get(direction)) {
                    RuleRef ref = RuleRef.of(policy, rule.rule());
                    if (!policy.isolates(direction)) {
                        redundantRules.add(new Redundancy.RedundantRule(ref, Redundancy.Reason.IGNORED, List.of()));
                        continue;
                    }
                    BitSet losing = new BitSet();
                    if (direction == Direction.EGRESS && policy.declaredPolicyTypes().isEmpty()
                            && policy.egress().size() == 1) {
                        losing.set(p);
                    }
                    Removal removal = new Removal(direction, Collections.newSetFromMap(new IdentityHashMap<>()), losing);
                    removal.removed.add(rule);
                    if (!changes(removal, subjects)) {
                        redundantRules.add(new Redundancy.RedundantRule(ref, removal.reason(subjects), removal.cover()));
                    }
                }
            }
            Redundancy.Reason policyReason = null;
            TreeSet<String> cover = new TreeSet<>();
            TreeSet<String> isolatedBy = new TreeSet<>();
            boolean changes = false;
            boolean unisolated = false;
            boolean allowedSomething = false;
            for (Direction direction : Direction.values()) {
                if (!policy.isolates(direction)) {
                    continue;
                }
                BitSet losing = new BitSet();
                losing.set(p);
                Removal removal = new Removal(direction, Collections.newSetFromMap(new IdentityHashMap<>()), losing);
                removal.removed.addAll(index.rules.get(p).get(direction));
                if (changes(removal, subjects)) {
                    changes = true;
                    break;
                }
                cover.addAll(removal.cover);
                isolatedBy.addAll(removal.isolatedBy);
                unisolated |= removal.unisolated;
                allowedSomething |= removal.allowedSomething;
            }
            if (!changes) {
                policyReason = subjects.isEmpty() ? Redundancy.Reason.SELECTS_NOTHING
                        : !cover.isEmpty() ? Redundancy.Reason.COVERED
                        : !allowedSomething && !unisolated && !isolatedBy.isEmpty()
                                ? Redundancy.Reason.ISOLATED_BY_OTHERS
                        : unisolated ? Redundancy.Reason.ALLOWS_ALL : Redundancy.Reason.REFUSED_BY_PEERS;
                redundantPolicies.add(new Redundancy.RedundantPolicy(policy.namespacedName(), policy.source(),
                        policyReason, List.copyOf(policyReason == Redundancy.Reason.ISOLATED_BY_OTHERS
                                ? isolatedBy : cover)));
            }
        }
        redundantRules.sort(Comparator.comparing(Redundancy.RedundantRule::rule));
        redundantPolicies.sort(Comparator.comparing(Redundancy.RedundantPolicy::policy));
        List<Redundancy.PolicyRelation> relations = new ArrayList<>();
        long overlapping = relations(relations);
        return new Redundancy(redundantRules, redundantPolicies, relations, overlapping);
    }

    /** A removal to judge: rules of one direction, and the policies that stop isolating in it. */
    private final class Removal {
        final Direction direction;
        final Set<IndexedRule> removed;
        final BitSet losing;
        final TreeSet<String> cover = new TreeSet<>();
        final TreeSet<String> isolatedBy = new TreeSet<>();
        boolean unisolated;
        boolean allowedSomething;

        Removal(Direction direction, Set<IndexedRule> removed, BitSet losing) {
            this.direction = direction;
            this.removed = removed;
            this.losing = losing;
        }

        List<String> cover() {
            return List.copyOf(cover);
        }

        Redundancy.Reason reason(BitSet subjects) {
            if (subjects.isEmpty()) {
                return Redundancy.Reason.SELECTS_NOTHING;
            }
            if (!cover.isEmpty()) {
                return Redundancy.Reason.COVERED;
            }
            if (!allowedSomething && !unisolated) {
                return Redundancy.Reason.ALLOWS_NOTHING;
            }
            return unisolated ? Redundancy.Reason.ALLOWS_ALL : Redundancy.Reason.REFUSED_BY_PEERS;
        }
    }

    /** One peer and what it would gain or lose on the subject's side. */
    private record Delta(int peer, ConnectionSet connections) {
    }

    /** True when the removal changes an allowed connection of any subject. */
    private boolean changes(Removal removal, BitSet subjects) {
        Direction direction = removal.direction;
        Map<Long, List<Delta>> deltasByGroup = new HashMap<>();
        int losing = removal.losing.nextSetBit(0);
        for (int subject = subjects.nextSetBit(0); subject >= 0; subject = subjects.nextSetBit(subject + 1)) {
            List<IndexedRule> governing = index.isolatingRules(direction, subject);
            if (governing == null) {
                continue;
            }
            BitSet isolating = index.isolatingPolicies(direction, subject);
            boolean stillIsolated = losing < 0 || !isolating.get(losing) || isolating.cardinality() > 1;
            // subjects isolated by the same policies differ only in the ports their own names resolve to
            int ports = direction == Direction.INGRESS ? index.classes.get(subject).portsId() : 0;
            long group = ((long) index.group(direction, subject) << 33) | (stillIsolated ? 1L << 32 : 0) | ports;
            int current = subject;
            List<Delta> deltas = deltasByGroup.get(group);
            if (deltas == null) {
                deltas = deltas(removal, governing, current, stillIsolated);
                deltasByGroup.put(group, deltas);
                isolating.stream().filter(p -> p != losing)
                        .forEach(p -> removal.isolatedBy.add(index.cluster.policies().get(p).namespacedName()));
            }
            for (Delta delta : deltas) {
                if (visible(direction, current, delta)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<Delta> deltas(Removal removal, List<IndexedRule> governing, int subject, boolean stillIsolated) {
        Direction direction = removal.direction;
        List<Delta> deltas = new ArrayList<>();
        BitSet peers = new BitSet();
        if (!stillIsolated) {
            // nothing isolates the subjects any more: every peer gains what the rules did not allow
            removal.unisolated = true;
            peers.set(0, index.peerCount(direction));
        }
        for (IndexedRule rule : governing) {
            if (removal.removed.contains(rule)) {
                peers.or(rule.peers());
            }
        }
        // peers that the same rules admit, with the same ports where names resolve, fare alike: judge each case once
        Admission admission = admission(direction, governing, subject);
        Map<Long, ConnectionSet> byCase = new HashMap<>();
        for (int peer = peers.nextSetBit(0); peer >= 0; peer = peers.nextSetBit(peer + 1)) {
            int mask = admission.maskOf[peer];
            int ports = direction == Direction.EGRESS && index.isClass(peer) ? index.classes.get(peer).portsId() : -1;
            int current = peer;
            ConnectionSet difference = byCase.computeIfAbsent(((long) mask << 32) | (ports & 0xffffffffL),
                    key -> stillIsolated
                            ? difference(removal, governing, admission.masks.get(mask), subject, current)
                            : ConnectionSet.ALL.minus(allowedBy(governing, direction, subject, current, null)));
            if (!difference.isEmpty()) {
                deltas.add(new Delta(peer, difference));
            }
        }
        return deltas;
    }

    /** For the rules isolating a group of subjects: which of them admit each peer, as ids of distinct sets. */
    private record Admission(int[] maskOf, List<BitSet> masks) {
    }

    private final Map<List<Object>, Admission> admissions = new HashMap<>();

    /** Computed once per group, in time proportional to the peers the rules admit, not peers times rules. */
    private Admission admission(Direction direction, List<IndexedRule> governing, int subject) {
        return admissions.computeIfAbsent(List.of(direction, index.isolatingPolicies(direction, subject)), key -> {
            int peerCount = index.peerCount(direction);
            BitSet[] masks = new BitSet[peerCount];
            for (int r = 0; r < governing.size(); r++) {
                BitSet peers = governing.get(r).peers();
                for (int peer = peers.nextSetBit(0); peer >= 0 && peer < peerCount; peer = peers.nextSetBit(peer + 1)) {
                    if (masks[peer] == null) {
                        masks[peer] = new BitSet(governing.size());
                    }
                    masks[peer].set(r);
                }
            }
            Map<BitSet, Integer> ids = new HashMap<>();
            List<BitSet> distinct = new ArrayList<>();
            int[] maskOf = new int[peerCount];
            BitSet none = new BitSet();
            for (int peer = 0; peer < peerCount; peer++) {
                BitSet mask = masks[peer] == null ? none : masks[peer];
                maskOf[peer] = ids.computeIfAbsent(mask, added -> {
                    distinct.add(added);
                    return distinct.size() - 1;
                });
            }
            return new Admission(maskOf, distinct);
        });
    }

    /** What the removed rules among the admitting ones allow that the others do not; notes what covers it. */
    private ConnectionSet difference(Removal removal, List<IndexedRule> governing, BitSet admitting, int subject,
            int peer) {
        Direction direction = removal.direction;
        ConnectionSet lost = ConnectionSet.NONE;
        for (int r = admitting.nextSetBit(0); r >= 0; r = admitting.nextSetBit(r + 1)) {
            if (removal.removed.contains(governing.get(r))) {
                lost = lost.union(index.ports(governing.get(r), direction, subject, peer));
            }
        }
        if (lost.isEmpty()) {
            return lost;
        }
        removal.allowedSomething = true;
        ConnectionSet kept = ConnectionSet.NONE;
        for (int r = admitting.nextSetBit(0); r >= 0; r = admitting.nextSetBit(r + 1)) {
            IndexedRule rule = governing.get(r);
            if (!removal.removed.contains(rule)) {
                ConnectionSet ports = index.ports(rule, direction, subject, peer);
                if (ports.intersects(lost)) {
                    removal.cover.add(rule.owner().namespacedName());
                }
                kept = kept.union(ports);
            }
        }
        return lost.minus(kept);
    }

    /** The union of what the given rules allow towards a peer, leaving out {@code without}. */
    private ConnectionSet allowedBy(List<IndexedRule> rules, Direction direction, int subject, int peer,
            Set<IndexedRule> without) {
        ConnectionSet result = ConnectionSet.NONE;
        for (IndexedRule rule : rules) {
            if (rule.peers().get(peer) && (without == null || !without.contains(rule))) {
                result = result.union(index.ports(rule, direction, subject, peer));
            }
        }
        return result;
    }

    /**
     * Whether a change on the subject's side shows in the map: an address outside the cluster
     * decides nothing, a workload's own side must allow part of it, and a workload's connections
     * to itself are never listed.
     */
    private boolean visible(Direction direction, int subject, Delta delta) {
        if (!index.isClass(delta.peer())) {
            return true;
        }
        if (!index.distinctPods(subject, delta.peer())) {
            return false;
        }
        Direction far = direction == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS;
        return farSide(far, delta.peer(), subject).intersects(delta.connections());
    }

    private ConnectionSet farSide(Direction direction, int subject, int peer) {
        long key = ((long) direction.ordinal() << 62) | ((long) subject << 31) | peer;
        ConnectionSet known = allowedCache.get(key);
        if (known == null) {
            known = index.allowed(direction, subject, peer);
            allowedCache.put(key, known);
        }
        return known;
    }

    /**
     * Fills {@code relations} with the containment and equivalence pairs and returns how many
     * pairs of policies overlap: same namespace, a workload in common, peers in common in a
     * direction both have rules for.
     */
    private long relations(List<Redundancy.PolicyRelation> relations) {
        List<NetworkPolicy> policies = index.cluster.policies();
        Map<String, List<Integer>> byNamespace = new java.util.TreeMap<>();
        for (int p = 0; p < policies.size(); p++) {
            if (!index.selected.get(p).isEmpty()) {
                byNamespace.computeIfAbsent(policies.get(p).namespace(), key -> new ArrayList<>()).add(p);
            }
        }
        List<Map<Direction, BitSet>> peerUnions = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            Map<Direction, BitSet> unions = new java.util.EnumMap<>(Direction.class);
            for (Direction direction : Direction.values()) {
                BitSet union = new BitSet();
                index.rules.get(p).get(direction).forEach(rule -> union.or(rule.peers()));
                unions.put(direction, union);
            }
            peerUnions.add(unions);
        }
        long overlapping = 0;
        for (List<Integer> members : byNamespace.values()) {
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    int a = members.get(i);
                    int b = members.get(j);
                    if (!index.selected.get(a).intersects(index.selected.get(b))) {
                        continue;
                    }
                    for (Direction direction : Direction.values()) {
                        if (policies.get(a).isolates(direction) && policies.get(b).isolates(direction)
                                && peerUnions.get(a).get(direction).intersects(peerUnions.get(b).get(direction))) {
                            overlapping++;
                            break;
                        }
                    }
                    boolean aContainsB = contains(a, b, peerUnions);
                    boolean bContainsA = contains(b, a, peerUnions);
                    String nameA = policies.get(a).namespacedName();
                    String nameB = policies.get(b).namespacedName();
                    if (aContainsB && bContainsA) {
                        boolean ordered = nameA.compareTo(nameB) < 0;
                        relations.add(new Redundancy.PolicyRelation(ordered ? nameA : nameB, ordered ? nameB : nameA,
                                true, policies.get(ordered ? b : a).source()));
                    } else if (aContainsB) {
                        relations.add(new Redundancy.PolicyRelation(nameA, nameB, false, policies.get(b).source()));
                    } else if (bContainsA) {
                        relations.add(new Redundancy.PolicyRelation(nameB, nameA, false, policies.get(a).source()));
                    }
                }
            }
        }
        relations.sort(Comparator.comparing(Redundancy.PolicyRelation::first)
                .thenComparing(Redundancy.PolicyRelation::second));
        return overlapping;
    }

    /**
     * Whether policy {@code outer} selects every workload {@code inner} selects, isolates every
     * direction it isolates, and allows each of them at least what {@code inner} allows.
     */
    private boolean contains(int outer, int inner, List<Map<Direction, BitSet>> peerUnions) {
        NetworkPolicy big = index.cluster.policies().get(outer);
        NetworkPolicy small = index.cluster.policies().get(inner);
        BitSet innerSubjects = index.selected.get(inner);
        BitSet outside = (BitSet) innerSubjects.clone();
        outside.andNot(index.selected.get(outer));
        if (!outside.isEmpty()) {
            return false;
        }
        for (Direction direction : Direction.values()) {
            if (!small.isolates(direction)) {
                continue;
            }
            if (!big.isolates(direction)) {
                return false;
            }
            BitSet peers = peerUnions.get(inner).get(direction);
            BitSet uncovered = (BitSet) peers.clone();
            uncovered.andNot(peerUnions.get(outer).get(direction));
            if (!uncovered.isEmpty()) {
                return false;
            }
            List<IndexedRule> innerRules = index.rules.get(inner).get(direction);
            List<IndexedRule> outerRules = index.rules.get(outer).get(direction);
            Set<List<Object>> seen = new java.util.HashSet<>();
            for (int subject = innerSubjects.nextSetBit(0); subject >= 0;
                    subject = innerSubjects.nextSetBit(subject + 1)) {
                int ports = direction == Direction.INGRESS ? index.classes.get(subject).portsId() : -1;
                if (!seen.add(List.of(ports))) {
                    continue;
                }
                for (int peer = peers.nextSetBit(0); peer >= 0; peer = peers.nextSetBit(peer + 1)) {
                    ConnectionSet wanted = allowedBy(innerRules, direction, subject, peer, null);
                    if (!wanted.isEmpty() && !allowedBy(outerRules, direction, subject, peer, null).containsAll(wanted)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
