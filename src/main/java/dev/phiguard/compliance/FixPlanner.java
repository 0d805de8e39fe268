package dev.phiguard.compliance;

import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the traffic findings say must stop into NetworkPolicies: each rule that admits forbidden
 * traffic is narrowed to what it admits minus that traffic, and a side no policy isolates gets a
 * default deny with an allowance for what the profile accepts. A policy several findings touch is
 * rewritten once, with all of them applied, so the proposed files never undo one another.
 */
final class FixPlanner {
    /** More peers than this in one narrowed rule is not a fix a person would review. */
    static final int MAX_LISTED_PEERS = 200;

    private FixPlanner() {
    }

    /**
     * The results with fixes proposed; policies are narrowed, and findings given their fixes, on
     * up to {@code threads} threads (the common pool's), each in its own order whatever the number.
     */
    static List<ControlResult> plan(AuditContext context, List<ControlResult> results, int threads) {
        // the grants of each subject, by direction; only policies that select such a subject can need narrowing
        Map<Direction, Map<WorkloadId, List<Finding.Grant>>> bySubject = new EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            bySubject.put(direction, new HashMap<>());
        }
        for (ControlResult result : results) {
            for (Finding finding : result.findings()) {
                for (List<Finding.Grant> side : bySide(finding.forbidden())) {
                    Finding.Grant first = side.get(0);
                    ((GrantRuns) bySubject.get(first.direction()).computeIfAbsent(first.subject(),
                            key -> new GrantRuns())).add(side);
                }
            }
        }
        if (bySubject.values().stream().allMatch(Map::isEmpty)) {
            return results;
        }
        // the cluster's very policies, told apart by identity: hashing a policy reads all of it
        Set<NetworkPolicy> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
        bySubject.forEach((direction, grants) -> grants.keySet().forEach(subject ->
                candidates.addAll(context.selecting(context.workload(subject), direction))));
        List<NetworkPolicy> toNarrow = context.cluster().policies().stream().filter(candidates::contains).toList();
        Set<WorkloadId> grantsChanged = context.grantsChangedSince(bySubject);
        Map<NetworkPolicy, Narrowing> narrowed = new HashMap<>();
        Set<NetworkPolicy> narrowedAgain = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Narrowing narrowing : inOrder(toNarrow, policy -> narrow(context, policy, bySubject, grantsChanged),
                threads)) {
            narrowed.put(narrowing.policy(), narrowing);
            if (narrowing != context.earlierNarrowing(narrowing.policy())) {
                narrowedAgain.add(narrowing.policy());
            }
        }
        // findings whose earlier fixes still hold keep them; only the others' sides are looked up in what
        // narrowings stop
        List<List<Finding>> keptFixes = new ArrayList<>();
        Map<Direction, Set<WorkloadId>> anew = new EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            anew.put(direction, new HashSet<>());
        }
        for (ControlResult result : results) {
            List<Finding> kept = inOrder(result.findings(), finding -> finding.forbidden().isEmpty() ? finding
                    : fixesKept(context, finding, narrowedAgain), threads);
            keptFixes.add(kept);
            for (int f = 0; f < kept.size(); f++) {
                if (kept.get(f) == null) {
                    for (List<Finding.Grant> side : bySide(result.findings().get(f).forbidden())) {
                        anew.get(side.get(0).direction()).add(side.get(0).subject());
                    }
                }
            }
        }
        Map<Finding.Grant, List<NetworkPolicy>> fixedBy = fixedBy(context, toNarrow, narrowed, anew);
        List<ControlResult> planned = new ArrayList<>();
        for (int r = 0; r < results.size(); r++) {
            ControlResult result = results.get(r);
            List<Finding> kept = keptFixes.get(r);
            List<Integer> places = java.util.stream.IntStream.range(0, kept.size()).boxed().toList();
            List<Finding> findings = inOrder(places, f -> {
                Finding judged = result.findings().get(f);
                Finding given = kept.get(f) != null ? kept.get(f) : withFixes(context, judged, fixedBy);
                if (!judged.forbidden().isEmpty()) {
                    context.rememberPlan(judged, given);
                }
                return given;
            }, threads);
            planned.add(new ControlResult(result.control(), result.status(), findings, result.evidence(),
                    result.reason()));
        }
        return planned;
    }

    /**
     * A finding's grants cut where the subject or the side changes: they are one subject's, on one
     * side, as a rule, and then the list is the finding's own, not a copy.
     */
    private static List<List<Finding.Grant>> bySide(List<Finding.Grant> grants) {
        List<List<Finding.Grant>> sides = new ArrayList<>(1);
        int from = 0;
        for (int g = 1; g <= grants.size(); g++) {
            if (g == grants.size() || !sameSide(grants.get(g - 1), grants.get(g))) {
                sides.add(from == 0 && g == grants.size() ? grants : grants.subList(from, g));
                from = g;
            }
        }
        return sides;
    }

    private static boolean sameSide(Finding.Grant one, Finding.Grant other) {
        return one.direction() == other.direction() && one.subject().equals(other.subject());
    }

    /**
     * One subject's grants on one side: the findings' lists of grants one after the other, read as
     * one list without copying them. Two compare equal at once when they hold the very same lists:
     * findings an audit took from the one before hold the very lists they held.
     */
    static final class GrantRuns extends java.util.AbstractList<Finding.Grant> {
        private final List<List<Finding.Grant>> runs = new ArrayList<>();
        private int size;

        void add(List<Finding.Grant> run) {
            runs.add(run);
            size += run.size();
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Finding.Grant get(int index) {
            java.util.Objects.checkIndex(index, size);
            int at = index;
            for (List<Finding.Grant> run : runs) {
                if (at < run.size()) {
                    return run.get(at);
                }
                at -= run.size();
            }
            throw new IllegalStateException("runs shorter than their size");
        }

        @Override
        public java.util.Iterator<Finding.Grant> iterator() {
            return new java.util.Iterator<>() {
                private int run;
                private java.util.Iterator<Finding.Grant> within = runs.isEmpty()
                        ? Collections.emptyIterator() : runs.get(0).iterator();

                @Override
                public boolean hasNext() {
                    while (!within.hasNext() && run + 1 < runs.size()) {
                        within = runs.get(++run).iterator();
                    }
                    return within.hasNext();
                }

                @Override
                public Finding.Grant next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return within.next();
                }
            };
        }

        @Override
        public boolean equals(Object other) {
            if (other instanceof GrantRuns those && those.runs.size() == runs.size()) {
                boolean same = true;
                for (int r = 0; r < runs.size() && same; r++) {
                    same = runs.get(r) == those.runs.get(r);
                }
                if (same) {
                    return true;
                }
            }
            return super.equals(other);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }

    /** Each item mapped, in the items' order, side by side when there are threads for it. */
    private static <T, R> List<R> inOrder(List<T> items, java.util.function.Function<T, R> map, int threads) {
        return threads > 1 && items.size() > 1 ? items.parallelStream().map(map).toList()
                : items.stream().map(map).toList();
    }

    /**
     * The finding as an earlier audit gave it fixes, when it judged this very finding, the side of
     * its subject the grants are on is as it was (so is the isolation it proposes), and no policy
     * selecting the subject was narrowed differently since; null when it must be given fixes anew.
     */
    private static Finding fixesKept(AuditContext context, Finding finding, Set<NetworkPolicy> narrowedAgain) {
        Finding earlier = context.earlierPlan(finding);
        if (earlier == null) {
            return null;
        }
        for (List<Finding.Grant> side : bySide(finding.forbidden())) {
            Finding.Grant grant = side.get(0);
            if (!context.keepsEarlier(grant.subject(), grant.direction()) || context.selecting(
                    context.workload(grant.subject()), grant.direction()).stream().anyMatch(narrowedAgain::contains)) {
                return null;
            }
        }
        return earlier;
    }

    /**
     * For each grant of the subjects' sides {@code anew}, the rewritten policies that stop it, in
     * the order of the policies: read from the narrowings of the policies selecting those subjects
     * there (a broad policy stops thousands of grants, most of findings that keep their fixes).
     */
    private static Map<Finding.Grant, List<NetworkPolicy>> fixedBy(AuditContext context, List<NetworkPolicy> toNarrow,
            Map<NetworkPolicy, Narrowing> narrowed, Map<Direction, Set<WorkloadId>> anew) {
        Set<NetworkPolicy> selecting = Collections.newSetFromMap(new IdentityHashMap<>());
        anew.forEach((direction, subjects) -> subjects.forEach(subject ->
                selecting.addAll(context.selecting(context.workload(subject), direction))));
        Map<Finding.Grant, List<NetworkPolicy>> fixedBy = new HashMap<>();
        for (NetworkPolicy policy : toNarrow) {
            if (!selecting.contains(policy)) {
                continue;
            }
            Narrowing narrowing = narrowed.get(policy);
            for (Finding.Grant grant : narrowing.touched()) {
                if (anew.get(grant.direction()).contains(grant.subject())) {
                    fixedBy.computeIfAbsent(grant, key -> new ArrayList<>()).add(narrowing.rewritten());
                }
            }
        }
        return fixedBy;
    }

    private static Finding withFixes(AuditContext context, Finding finding,
            Map<Finding.Grant, List<NetworkPolicy>> fixedBy) {
        Map<String, NetworkPolicy> fixes = new LinkedHashMap<>();
        for (Finding.Grant grant : finding.forbidden()) {
            for (NetworkPolicy policy : fixedBy.getOrDefault(grant, List.of())) {
                fixes.putIfAbsent(policy.namespacedName(), policy);
            }
        }
        for (Finding.Grant grant : finding.forbidden()) {
            Workload subject = context.workload(grant.subject());
            if (!context.isIsolated(subject, grant.direction())) {
                List<NetworkPolicy> isolation = context.remembered("isolate", grant.direction(), subject.id(),
                        () -> isolate(context, subject, grant.direction()));
                for (NetworkPolicy policy : isolation) {
                    fixes.putIfAbsent(policy.namespacedName(), policy);
                }
            }
        }
        if (fixes.isEmpty()) {
            return finding;
        }
        List<String> names = fixes.values().stream().map(NetworkPolicy::namespacedName).toList();
        String text = finding.remediation().text() + " The proposed policies (" + String.join(", ", names)
                + ") do this; a policy with the name of an existing one replaces it.";
        return finding.withRemediation(new Remediation(text, List.copyOf(fixes.values())));
    }

    private static List<NetworkPolicy> isolate(AuditContext context, Workload subject, Direction direction) {
        List<NetworkPolicy> policies = new ArrayList<>();
        policies.add(PolicyFixes.defaultDeny(context, subject.namespace(), EnumSet.of(direction)));
        PolicyFixes.allowCurrentInShort(context, subject, direction).policy().ifPresent(policies::add);
        return policies;
    }

    /**
     * A policy narrowed for the grants of its subjects (ingress, then egress): the rewritten policy
     * (the policy itself when nothing changed), the grants it stops, and how each rule was
     * narrowed. Depends on nothing else the cluster can change without changing the workloads, so
     * a later audit takes it again, whole or rule by rule, for the same policy and grants.
     */
    record Narrowing(NetworkPolicy policy, List<Workload> subjects, NetworkPolicy rewritten,
            Set<Finding.Grant> touched, Map<Direction, List<RuleNarrowing>> byRule) {
    }

    /**
     * One rule narrowed: the grants it admits, of each subject (in the order of the subjects),
     * the rules it became (numbered from {@code firstIndex}), and whether that stops them.
     */
    record RuleNarrowing(List<List<Finding.Grant>> relevant, int firstIndex, List<PolicyRule> rules,
            boolean stops) {
    }

    /** The policy with every rule that admits forbidden traffic narrowed. */
    private static Narrowing narrow(AuditContext context, NetworkPolicy policy,
            Map<Direction, Map<WorkloadId, List<Finding.Grant>>> bySubject, Set<WorkloadId> grantsChanged) {
        Narrowing earlier = context.earlierNarrowing(policy);
        // the grants of every subject as they were: so is every rule's narrowing
        if (earlier != null && earlier.subjects().stream().noneMatch(subject -> grantsChanged.contains(subject.id()))) {
            context.remember(earlier);
            return earlier;
        }
        // the same policy over the same workloads selects the same subjects
        List<Workload> subjects = earlier != null ? earlier.subjects() : subjects(context, policy);
        Set<Finding.Grant> touched = new HashSet<>();
        Map<Direction, List<RuleNarrowing>> byRule = new EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            byRule.put(direction, narrowRules(context, policy, direction, subjects, bySubject.get(direction),
                    earlier == null ? null : earlier.byRule().get(direction), grantsChanged, touched));
        }
        if (earlier != null && byRule.equals(earlier.byRule())) {
            context.remember(earlier);
            return earlier;
        }
        NetworkPolicy rewritten = touched.isEmpty() ? policy : new NetworkPolicy(policy.namespace(), policy.name(),
                policy.podSelector(), Optional.of(policy.policyTypes()), rulesOf(byRule.get(Direction.INGRESS),
                        policy.ingress()), rulesOf(byRule.get(Direction.EGRESS), policy.egress()),
                PolicyFixes.GENERATED);
        Narrowing narrowing = new Narrowing(policy, List.copyOf(subjects), rewritten, Set.copyOf(touched),
                Map.copyOf(byRule));
        context.remember(narrowing);
        return narrowing;
    }

    /** The rules narrowed rules became; a direction the policy does not isolate keeps its own. */
    private static List<PolicyRule> rulesOf(List<RuleNarrowing> narrowed, List<PolicyRule> own) {
        if (narrowed.isEmpty()) {
            return List.copyOf(own);
        }
        List<PolicyRule> rules = new ArrayList<>();
        narrowed.forEach(rule -> rules.addAll(rule.rules()));
        return rules;
    }

    /**
     * Each rule of the direction narrowed for the subjects' grants there. A rule an {@code earlier}
     * narrowing (of the same policy, so the same rules and subjects) narrowed keeps what it found
     * for the subjects whose grants did not change, and is rewritten again only when what it
     * admits of them all changed (or where its rules are numbered from).
     */
    private static List<RuleNarrowing> narrowRules(AuditContext context, NetworkPolicy policy, Direction direction,
            List<Workload> subjects, Map<WorkloadId, List<Finding.Grant>> grantsOf, List<RuleNarrowing> earlier,
            Set<WorkloadId> grantsChanged, Set<Finding.Grant> touched) {
        if (!policy.isolates(direction)) {
            return List.of();
        }
        List<RuleNarrowing> narrowed = new ArrayList<>();
        int next = 0;
        List<PolicyRule> rules = policy.rules(direction);
        for (int r = 0; r < rules.size(); r++) {
            PolicyRule rule = rules.get(r);
            RuleNarrowing was = earlier == null ? null : earlier.get(r);
            List<List<Finding.Grant>> relevantBySubject = new ArrayList<>(subjects.size());
            List<Finding.Grant> relevant = new ArrayList<>();
            boolean asBefore = was != null;
            // a peer is forbidden to many subjects of a broad policy: whether the rule admits it is asked once
            Map<Peer, Boolean> admitted = new HashMap<>();
            for (int s = 0; s < subjects.size(); s++) {
                WorkloadId subject = subjects.get(s).id();
                List<Finding.Grant> ofSubject;
                if (was != null && !grantsChanged.contains(subject)) {
                    ofSubject = was.relevant().get(s);
                } else {
                    ofSubject = new ArrayList<>();
                    for (Finding.Grant grant : grantsOf.getOrDefault(subject, List.of())) {
                        if (admitted.computeIfAbsent(grant.peer(), peer -> admits(context, policy, rule, peer))
                                && ports(context, rule, direction, context.workload(grant.subject()), grant.peer())
                                        .intersects(grant.connections())) {
                            ofSubject.add(grant);
                        }
                    }
                    ofSubject = ofSubject.isEmpty() ? List.of() : List.copyOf(ofSubject);
                    asBefore = asBefore && ofSubject.equals(was.relevant().get(s));
                }
                relevantBySubject.add(ofSubject);
                relevant.addAll(ofSubject);
            }
            RuleNarrowing one = asBefore && was.firstIndex() == next ? was
                    : narrowRule(context, policy, rule, direction, subjects, relevant, relevantBySubject, next);
            if (one.stops()) {
                touched.addAll(relevant);
            }
            narrowed.add(one);
            next += one.rules().size();
        }
        return List.copyOf(narrowed);
    }

    private static RuleNarrowing narrowRule(AuditContext context, NetworkPolicy policy, PolicyRule rule,
            Direction direction, List<Workload> subjects, List<Finding.Grant> relevant,
            List<List<Finding.Grant>> relevantBySubject, int firstIndex) {
        if (relevant.isEmpty()) {
            return new RuleNarrowing(relevantBySubject, firstIndex, List.of(renumber(rule, firstIndex)), false);
        }
        Optional<List<PolicyRule>> rewritten = rewrite(context, policy, rule, direction, subjects, relevant,
                firstIndex);
        // too broad to list its peers: the finding keeps its advice in words
        return rewritten.map(rules -> new RuleNarrowing(relevantBySubject, firstIndex, List.copyOf(rules), true))
                .orElseGet(() -> new RuleNarrowing(relevantBySubject, firstIndex, List.of(renumber(rule, firstIndex)),
                        false));
    }

    /**
     * A rule split into what it may keep as written and explicit rules for what it must narrow;
     * empty when narrowing it would mean listing more peers than a person could review.
     */
    private static Optional<List<PolicyRule>> rewrite(AuditContext context, NetworkPolicy policy, PolicyRule rule,
            Direction direction, List<Workload> subjects, List<Finding.Grant> forbidden, int firstIndex) {
        Map<Peer, Map<WorkloadId, ConnectionSet>> forbiddenByPeer = new HashMap<>();
        for (Finding.Grant grant : forbidden) {
            forbiddenByPeer.computeIfAbsent(grant.peer(), key -> new HashMap<>())
                    .merge(grant.subject(), grant.connections(), ConnectionSet::union);
        }
        List<PolicyPeer> unaffected = new ArrayList<>();
        Set<Peer> expanded = new LinkedHashSet<>();
        if (rule.matchesAllPeers()) {
            // counted before it is listed: on a large cluster it is far too many, for every rule that matches all
            if (everythingCount(context, direction) > MAX_LISTED_PEERS) {
                return Optional.empty();
            }
            expanded.addAll(everything(context, direction));
        }
        List<PolicyPeer> items = rule.matchesAllPeers() ? List.of() : rule.peers();
        for (int i = 0; i < items.size(); i++) {
            PolicyPeer item = items.get(i);
            PolicyRule single = new PolicyRule(direction, 0, List.of(item), rule.ports(), rule.source());
            boolean affected = forbiddenByPeer.keySet().stream().anyMatch(peer -> admits(context, policy, single, peer));
            if (!affected) {
                unaffected.add(item);
                continue;
            }
            for (Peer peer : admittedBy(context, policy, rule, i)) {
                expanded.add(peer);
                if (expanded.size() > MAX_LISTED_PEERS) {
                    return Optional.empty();
                }
            }
        }
        if (expanded.size() > MAX_LISTED_PEERS) {
            return Optional.empty();
        }
        if (subjects.isEmpty()) {
            return Optional.of(unaffected.isEmpty() ? List.of()
                    : List.of(new PolicyRule(direction, firstIndex, unaffected, rule.ports(), rule.source())));
        }
        // named ports resolve on the destination: for ingress that is the subject, whatever the peer, so what
        // every subject may keep from a peer is what they all share, less what any of them must refuse it
        ConnectionSet shared = null;
        boolean uniform = true;
        if (direction == Direction.INGRESS) {
            for (Workload subject : subjects) {
                ConnectionSet own = ports(context, rule, direction, subject, null);
                uniform &= shared == null || own.equals(shared);
                shared = shared == null ? own : shared.intersect(own);
            }
        }
        Set<WorkloadId> subjectIds = new HashSet<>();
        subjects.forEach(subject -> subjectIds.add(subject.id()));
        Map<ConnectionSet, List<Peer>> byPorts = new LinkedHashMap<>();
        Map<Peer, ConnectionSet> asWritten = new HashMap<>();
        for (Peer peer : expanded) {
            ConnectionSet refused = ConnectionSet.NONE;
            for (Map.Entry<WorkloadId, ConnectionSet> entry
                    : forbiddenByPeer.getOrDefault(peer, Map.of()).entrySet()) {
                if (subjectIds.contains(entry.getKey())) {
                    refused = refused.union(entry.getValue());
                }
            }
            ConnectionSet base = direction == Direction.INGRESS ? shared : ports(context, rule, direction, null, peer);
            asWritten.put(peer, base);
            ConnectionSet desired = base.minus(refused);
            if (!desired.isEmpty()) {
                byPorts.computeIfAbsent(desired, key -> new ArrayList<>()).add(peer);
            }
        }
        boolean everySubjectAlike = uniform;
        List<PolicyRule> rewritten = new ArrayList<>();
        if (!unaffected.isEmpty()) {
            rewritten.add(new PolicyRule(direction, firstIndex, unaffected, rule.ports(), rule.source()));
        }
        byPorts.forEach((ports, peers) -> {
            List<PolicyPeer> written = new ArrayList<>();
            List<IpRange> ranges = new ArrayList<>();
            for (Peer peer : peers) {
                if (peer instanceof Peer.WorkloadPeer workload) {
                    written.add(PolicyFixes.peer(context, context.workload(workload.id()), policy.namespace()));
                } else {
                    ranges.add(((Peer.ExternalPeer) peer).range());
                }
            }
            written.addAll(PolicyFixes.ipBlocks(ranges));
            int index = firstIndex + rewritten.size();
            boolean unchangedPorts = everySubjectAlike
                    && peers.stream().allMatch(peer -> asWritten.get(peer).equals(ports));
            rewritten.add(unchangedPorts
                    ? new PolicyRule(direction, index, written, rule.ports(), PolicyFixes.GENERATED)
                    : PolicyFixes.rule(direction, index, written, ports));
        });
        return Optional.of(rewritten);
    }

    /** Every workload and every external range the connectivity answer distinguishes for the direction. */
    private static List<Peer> everything(AuditContext context, Direction direction) {
        List<Peer> peers = new ArrayList<>();
        context.cluster().workloads().forEach(workload -> peers.add(new Peer.WorkloadPeer(workload.id())));
        List<IpRange> ranges = direction == Direction.INGRESS
                ? context.connectivity().externalSources() : context.connectivity().externalDestinations();
        ranges.forEach(range -> peers.add(new Peer.ExternalPeer(range)));
        return peers;
    }

    private static int everythingCount(AuditContext context, Direction direction) {
        return context.cluster().workloads().size() + (direction == Direction.INGRESS
                ? context.connectivity().externalSources() : context.connectivity().externalDestinations()).size();
    }

    /**
     * The peers that the rule's peer numbered {@code item} admits, in the order of {@link #candidates},
     * up to one more than can be listed. It depends on the policy, the workloads and the namespaces
     * alone: remembered per policy, and kept by the audit of a change that left those alike.
     */
    private static List<Peer> admittedBy(AuditContext context, NetworkPolicy policy, PolicyRule rule, int item) {
        Direction direction = rule.direction();
        return context.rememberedFor("admitted by " + direction + " rule " + rule.index() + " peer " + item, policy,
                () -> {
                    PolicyPeer peer = rule.peers().get(item);
                    PolicyRule single = new PolicyRule(direction, 0, List.of(peer), rule.ports(), rule.source());
                    List<Peer> admitted = new ArrayList<>();
                    for (Peer candidate : candidates(context, policy, peer, direction)) {
                        if (admits(context, policy, single, candidate)) {
                            admitted.add(candidate);
                            if (admitted.size() > MAX_LISTED_PEERS) {
                                break;
                            }
                        }
                    }
                    return List.copyOf(admitted);
                });
    }

    /** The peers one rule peer can possibly admit: the workloads of the namespaces it names, or address ranges. */
    private static List<Peer> candidates(AuditContext context, NetworkPolicy policy, PolicyPeer item,
            Direction direction) {
        List<Peer> peers = new ArrayList<>();
        if (item instanceof PolicyPeer.SelectorPeer selector) {
            for (String namespace : context.workloadNamespaces()) {
                boolean named = selector.namespaceSelector()
                        .map(namespaces -> namespaces.matches(context.namespaceLabels(namespace)))
                        .orElse(namespace.equals(policy.namespace()));
                if (named) {
                    context.workloadsIn(namespace).forEach(workload -> peers.add(new Peer.WorkloadPeer(workload.id())));
                }
            }
            return peers;
        }
        List<IpRange> ranges = direction == Direction.INGRESS
                ? context.connectivity().externalSources() : context.connectivity().externalDestinations();
        ranges.forEach(range -> peers.add(new Peer.ExternalPeer(range)));
        return peers;
    }

    private static List<Workload> subjects(AuditContext context, NetworkPolicy policy) {
        return context.selectedBy(policy.namespace(), policy.podSelector());
    }

    private static boolean admits(AuditContext context, NetworkPolicy policy, PolicyRule rule, Peer peer) {
        if (peer instanceof Peer.ExternalPeer external) {
            return RuleEvaluator.admits(rule, external.range());
        }
        Workload workload = context.workload(((Peer.WorkloadPeer) peer).id());
        var namespaceLabels = context.namespaceLabels(workload.namespace());
        return workload.templates().stream().anyMatch(t -> RuleEvaluator.admits(policy, rule, workload.namespace(),
                namespaceLabels, t.labels()));
    }

    /** What the rule's ports mean for traffic between the subject and the peer: resolved on the destination. */
    private static ConnectionSet ports(AuditContext context, PolicyRule rule, Direction direction, Workload subject,
            Peer peer) {
        Optional<PodTemplate> destination;
        if (direction == Direction.INGRESS) {
            destination = Optional.of(subject.templates().get(0));
        } else if (peer instanceof Peer.WorkloadPeer workload) {
            destination = Optional.of(context.workload(workload.id()).templates().get(0));
        } else {
            destination = Optional.empty();
        }
        return RuleEvaluator.ports(rule, destination);
    }

    private static PolicyRule renumber(PolicyRule rule, int index) {
        return rule.index() == index ? rule
                : new PolicyRule(rule.direction(), index, rule.peers(), rule.ports(), rule.source());
    }
}
