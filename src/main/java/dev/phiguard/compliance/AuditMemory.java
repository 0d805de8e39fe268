package dev.phiguard.compliance;

import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.RuleEvaluator;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Direction;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one audit worked out that the audit of a slightly changed cluster can take again: the
 * judgement of each PHI workload by the controls judged per workload, with the cluster, profile
 * and connectivity they were judged on. Immutable; hand it to
 * {@link Auditor#audit(Cluster, Profile, int, Optional)}.
 *
 * <p>A judgement is taken again only when the change cannot have altered it. Findings about a
 * PHI workload are made of its own policies, its rows of connections (with the rules of both
 * sides that allow each), the names of its namespace's policies (which fixes must not take) and
 * the name labels of the workloads of its and its peers' namespaces (by which fixes select a
 * workload: a name label no other workload of the namespace has). Call a workload changed if it
 * was added, removed or changed, or if it shares a name label with such a workload. A PHI
 * workload is judged again whole if it changed, or if a changed policy in its namespace has a
 * name one of its fixes could take. A side of it that a changed policy selecting it isolates is
 * judged again, by the checks that read that side or its own policies there
 * ({@link PhiWorkloadCheck#ownPoliciesRead}). Besides, its egress side is judged again if
 * it can connect to a changed workload, or to one whose ingress a changed policy isolates on a
 * port the change alters, and its ingress side if a changed workload, or one whose egress a
 * changed policy isolates, can connect to it so, before or after the change. A changed policy
 * alters the ports of its rules (both versions'; a named port counts as any), or every port of
 * pods the policies before and after it do not isolate alike: a connection on no such port, and
 * the rules it names, stay as they were. A side is judged by the checks that read it
 * ({@link PhiWorkloadCheck#sidesRead}), and what the other checks found is taken again. A change
 * to a DNS server has every PHI workload judged again. Services play no part in judging
 * (NetworkPolicies select pods, not Services), nor do how many replicas a workload runs and
 * annotations other than the PHI mark, so a change to those alone judges nothing again. A change
 * to namespaces, the profile or the address ranges policies cut the outside into has everything
 * judged again.
 */
public final class AuditMemory {
    private final Cluster cluster;
    private final Profile profile;
    private final ConnectivityMap connectivity;
    private final Map<WorkloadId, PhiWorkloadCheck.Judged> judged;
    private final Map<List<Object>, Object> remembered;
    private final Map<NetworkPolicy, FixPlanner.Narrowing> narrowings;
    /** Each finding given fixes, by the finding as judged (identity), as it came out with them. */
    private final Map<Finding, Finding> planned;
    private final Map<Direction, Map<WorkloadId, List<Finding.Grant>>> grants;
    private final AuditContext.Carried carried;
    private final Map<WorkloadId, Workload> workloadsById;
    private final Set<WorkloadId> dnsWorkloads;

    AuditMemory(Cluster cluster, Profile profile, AuditContext context, Map<WorkloadId, PhiWorkloadCheck.Judged> judged) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.connectivity = context.connectivity();
        this.judged = Map.copyOf(judged);
        this.remembered = context.remembered();
        this.narrowings = context.narrowings();
        this.planned = context.planned();
        this.grants = context.grants();
        this.carried = context.carried();
        this.workloadsById = context.workloadsById();
        this.dnsWorkloads = context.dnsWorkloadIds();
    }

    /** The connectivity the audit judged, for the analysis of a changed cluster to take what it can from. */
    ConnectivityMap connectivity() {
        return connectivity;
    }

    /** Whether a fix for the workload may be named like a changed policy of its namespace, so otherwise now. */
    private static boolean mayTakeName(WorkloadId workload, Map<String, List<String>> changedNames) {
        return changedNames.getOrDefault(workload.namespace(), List.of()).stream()
                .anyMatch(name -> PolicyFixes.couldName(workload, name));
    }

    /**
     * What an audit of a changed cluster may take from the earlier one: the judgements of PHI
     * workloads whose own policies the change left alone, with the sides of each (what reaches
     * it, what it reaches) whose connections the change can have altered, which are judged again;
     * the answers remembered per workload the change left alone altogether; policies narrowed
     * for the same grants (which depend on the workloads only, not on other policies), with the
     * grants of each subject they were narrowed for; and the findings as they came out with fixes,
     * by the finding as judged (identity).
     */
    record Reuse(Map<WorkloadId, PhiWorkloadCheck.Judged> judged,
            java.util.function.Function<WorkloadId, Set<Direction>> changedSides,
            java.util.function.Function<WorkloadId, Set<Direction>> ownPoliciesChanged,
            Map<List<Object>, Object> remembered, java.util.function.Predicate<WorkloadId> ownPoliciesAlike,
            Map<NetworkPolicy, FixPlanner.Narrowing> narrowings, Map<Finding, Finding> planned,
            Map<Direction, Map<WorkloadId, List<Finding.Grant>>> grants, AuditContext.Carried carried) {
        static final Reuse NOTHING = new Reuse(Map.of(), workload -> EnumSet.allOf(Direction.class),
                workload -> EnumSet.allOf(Direction.class), Map.of(), workload -> false, Map.of(), Map.of(),
                Map.of(), null);

        /**
         * Whether an answer remembered for the workload still holds: one worked out from a side of
         * its connections ({@code side}), when the change left that side alone (and so the
         * workload's own policies of that side); any other, when it left the workload alone
         * altogether.
         */
        boolean keeps(WorkloadId workload, Direction side) {
            if (!ownPoliciesAlike.test(workload)) {
                return false;
            }
            Set<Direction> changed = changedSides.apply(workload);
            return side == null ? changed.isEmpty() : !changed.contains(side);
        }
    }

    /** What an audit of {@code after} by {@code profile} on {@code connectivity} may take from this one. */
    Reuse reuse(Cluster after, Profile profile, ConnectivityMap connectivity) {
        if (!this.profile.equals(profile) || !cluster.namespaces().equals(after.namespaces())
                || !this.connectivity.externalSources().equals(connectivity.externalSources())
                || !this.connectivity.externalDestinations().equals(connectivity.externalDestinations())) {
            return Reuse.NOTHING;
        }
        Map<WorkloadId, Workload> was = workloadsById;
        // the same workloads, as a policy change leaves them: their list compares object by object
        boolean sameWorkloads = cluster.workloads().equals(after.workloads());
        Map<WorkloadId, Workload> is = sameWorkloads ? was : byId(after.workloads());
        Set<WorkloadId> changedWorkloads = sameWorkloads ? Set.of() : changedWorkloads(was, is);
        // a DNS server every isolated PHI workload's DNS finding is about
        if (changedWorkloads.stream().anyMatch(id -> dnsWorkloads.contains(id)
                || is.containsKey(id) && servesDns(is.get(id), after, profile))) {
            return Reuse.NOTHING;
        }
        Set<WorkloadId> changedForJudging = changedForJudging(changedWorkloads, was, is);
        Map<String, List<NetworkPolicy>> policiesBefore = byNamespace(cluster.policies());
        Map<String, List<NetworkPolicy>> policiesAfter = byNamespace(after.policies());
        List<NetworkPolicy> changed = changedPolicies(policiesBefore, policiesAfter);
        // the names of changed policies by namespace: fixes must not take an existing policy's name
        Map<String, List<String>> changedNames = new HashMap<>();
        // the workloads of the namespaces a changed policy is in, the only ones it can select
        Map<String, List<Workload>> workloadsByNamespace = new HashMap<>();
        changed.forEach(policy -> workloadsByNamespace.put(policy.namespace(), new ArrayList<>()));
        after.workloads().forEach(workload -> {
            List<Workload> ofNamespace = workloadsByNamespace.get(workload.namespace());
            if (ofNamespace != null) {
                ofNamespace.add(workload);
            }
        });
        // a version that isolates ingress can change what reaches its pods; one that isolates egress, what they reach;
        // on the ports of its rules, or on any port where the pods are isolated otherwise now
        Map<WorkloadId, Set<Direction>> ownSides = new HashMap<>();
        Map<Direction, Map<WorkloadId, ConnectionSet>> changedPorts = new java.util.EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            changedPorts.put(direction, new HashMap<>());
        }
        for (NetworkPolicy policy : changed) {
            changedNames.computeIfAbsent(policy.namespace(), key -> new ArrayList<>()).add(policy.name());
            for (Workload workload : workloadsByNamespace.getOrDefault(policy.namespace(), List.of())) {
                if (policy.selectsPodsOf(workload)) {
                    for (Direction direction : Direction.values()) {
                        if (policy.isolates(direction)) {
                            ownSides.computeIfAbsent(workload.id(), key -> EnumSet.noneOf(Direction.class))
                                    .add(direction);
                            ConnectionSet ports = isolatedAlike(workload, direction,
                                    policiesBefore.getOrDefault(policy.namespace(), List.of()),
                                    policiesAfter.getOrDefault(policy.namespace(), List.of()))
                                    ? portsOf(policy.rules(direction)) : ConnectionSet.ALL;
                            changedPorts.get(direction).merge(workload.id(), ports, ConnectionSet::union);
                        }
                    }
                }
            }
        }
        // a workload that changed, or whose fix selector may have, changes both sides of what it talks with
        for (WorkloadId workload : changedForJudging) {
            changedPorts.values().forEach(ports -> ports.put(workload, ConnectionSet.ALL));
        }
        // a workload's outbound connections change where it reaches a changed ingress on a changed port; its inbound,
        // where a changed egress reaches it so: before or after the change
        List<java.util.function.Predicate<WorkloadId>> egressWays = new ArrayList<>();
        List<java.util.function.Predicate<WorkloadId>> ingressWays = new ArrayList<>();
        byPorts(changedPorts.get(Direction.INGRESS)).forEach((ports, changedIngress) -> {
            egressWays.add(this.connectivity.reachesOrReachedBy(knownIn(changedIngress, was), List.of(), ports));
            egressWays.add(connectivity.reachesOrReachedBy(knownIn(changedIngress, is), List.of(), ports));
        });
        byPorts(changedPorts.get(Direction.EGRESS)).forEach((ports, changedEgress) -> {
            ingressWays.add(this.connectivity.reachesOrReachedBy(List.of(), knownIn(changedEgress, was), ports));
            ingressWays.add(connectivity.reachesOrReachedBy(List.of(), knownIn(changedEgress, is), ports));
        });
        Map<WorkloadId, Set<Direction>> sides = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Function<WorkloadId, Set<Direction>> changedSides = workload ->
                sides.computeIfAbsent(workload, key -> {
                    // its own policies of a side changed, and so may every connection on it
                    Set<Direction> changedSide = EnumSet.noneOf(Direction.class);
                    changedSide.addAll(ownSides.getOrDefault(key, Set.of()));
                    if (egressWays.stream().anyMatch(way -> way.test(key))) {
                        changedSide.add(Direction.EGRESS);
                    }
                    if (ingressWays.stream().anyMatch(way -> way.test(key))) {
                        changedSide.add(Direction.INGRESS);
                    }
                    return java.util.Collections.unmodifiableSet(changedSide);
                });
        // a changed policy whose name its fixes could take, or a change to itself or to what its fixes' selector tells
        // it apart from, and a workload is judged again whole
        // asked for every finding of every workload: worked out once per workload
        Map<WorkloadId, Boolean> alike = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Predicate<WorkloadId> ownPoliciesAlike = workload -> alike.computeIfAbsent(workload,
                key -> !mayTakeName(key, changedNames) && !changedForJudging.contains(key));
        Map<WorkloadId, PhiWorkloadCheck.Judged> kept = new HashMap<>();
        judged.forEach((id, judgement) -> {
            if (ownPoliciesAlike.test(id)) {
                kept.put(id, judgement);
            }
        });
        return new Reuse(kept, changedSides, workload -> ownSides.getOrDefault(workload, Set.of()), remembered,
                ownPoliciesAlike,
                narrowingsUntouched(changedForJudging, was, is, after), planned, grants, carried);
    }

    /**
     * Whether the policies before and after a change isolate each pod template of the workload
     * alike in the direction: then what the change alters there is on its own rules' ports.
     */
    private static boolean isolatedAlike(Workload workload, Direction direction, List<NetworkPolicy> before,
            List<NetworkPolicy> after) {
        for (PodTemplate template : workload.templates()) {
            if (isolates(before, direction, template) != isolates(after, direction, template)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isolates(List<NetworkPolicy> policies, Direction direction, PodTemplate template) {
        for (NetworkPolicy policy : policies) {
            if (policy.isolates(direction) && policy.podSelector().matches(template.labels())) {
                return true;
            }
        }
        return false;
    }

    /** The ports rules can mean: a named port, any its pods give that name. */
    private static ConnectionSet portsOf(List<PolicyRule> rules) {
        ConnectionSet ports = ConnectionSet.NONE;
        for (PolicyRule rule : rules) {
            if (rule.matchesAllPorts()) {
                return ConnectionSet.ALL;
            }
            for (PolicyPort port : rule.ports()) {
                if (port instanceof PolicyPort.NamedPort) {
                    return ConnectionSet.ALL;
                }
                ports = ports.union(RuleEvaluator.port(port, Optional.empty()));
            }
        }
        return ports;
    }

    /** Workloads grouped by the ports a change alters for them. */
    private static Map<ConnectionSet, Set<WorkloadId>> byPorts(Map<WorkloadId, ConnectionSet> changedPorts) {
        Map<ConnectionSet, Set<WorkloadId>> grouped = new HashMap<>();
        changedPorts.forEach((workload, ports) -> grouped.computeIfAbsent(ports, key -> new HashSet<>()).add(workload));
        return grouped;
    }

    private static Map<WorkloadId, Workload> byId(List<Workload> workloads) {
        Map<WorkloadId, Workload> byId = new HashMap<>();
        workloads.forEach(workload -> byId.put(workload.id(), workload));
        return byId;
    }

    /**
     * Workloads only one side has, or that differ in what judging PHI workloads reads: not how
     * many replicas they run (an autoscaler changes that all day), nor annotations other than the
     * one that marks PHI (a rollout restart stamps the pod template, a Helm upgrade its config
     * checksum). The mesh control reads others, but it is worked out again in every audit.
     */
    private static Set<WorkloadId> changedWorkloads(Map<WorkloadId, Workload> was, Map<WorkloadId, Workload> is) {
        Set<WorkloadId> changed = new HashSet<>();
        was.forEach((id, before) -> {
            Workload now = is.get(id);
            if (now == null || !before.equals(now) && !asJudged(before).equals(asJudged(now))) {
                changed.add(id);
            }
        });
        is.keySet().forEach(id -> {
            if (!was.containsKey(id)) {
                changed.add(id);
            }
        });
        return changed;
    }

    /**
     * The earlier narrowings the changed workloads leave alone: a narrowing reads the policy's
     * subjects and the peers its rules admit, with their fix selectors, and nothing else of the
     * workloads.
     */
    private static List<String> namespacesInOrder(List<Workload> workloads) {
        java.util.LinkedHashSet<String> namespaces = new java.util.LinkedHashSet<>();
        workloads.forEach(workload -> namespaces.add(workload.namespace()));
        return List.copyOf(namespaces);
    }

    private Map<NetworkPolicy, FixPlanner.Narrowing> narrowingsUntouched(Set<WorkloadId> changed,
            Map<WorkloadId, Workload> was, Map<WorkloadId, Workload> is, Cluster after) {
        if (changed.isEmpty()) {
            return narrowings;
        }
        // a narrowed rule lists its peers namespace by namespace, in the order the workloads first show each: when
        // that order changed, every rule naming several namespaces may list them otherwise
        if (!namespacesInOrder(cluster.workloads()).equals(namespacesInOrder(after.workloads()))) {
            return Map.of();
        }
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        after.namespaces().forEach(namespace -> namespaceLabels.put(namespace.name(), namespace.labels()));
        List<Workload> versions = versions(changed, was, is);
        Map<NetworkPolicy, FixPlanner.Narrowing> untouched = new HashMap<>();
        narrowings.forEach((policy, narrowing) -> {
            if (versions.stream().noneMatch(workload -> reads(policy, workload, namespaceLabels.getOrDefault(
                    workload.namespace(), dev.phiguard.model.Namespace.implicit(workload.namespace()).labels())))) {
                untouched.put(policy, narrowing);
            }
        });
        return untouched;
    }

    /** Whether the policy selects the workload, or a rule of it admits the workload. */
    private static boolean reads(NetworkPolicy policy, Workload workload, Map<String, String> namespaceLabels) {
        for (PodTemplate template : workload.templates()) {
            if (workload.namespace().equals(policy.namespace()) && policy.podSelector().matches(template.labels())) {
                return true;
            }
            for (Direction direction : Direction.values()) {
                for (dev.phiguard.model.PolicyRule rule : policy.rules(direction)) {
                    if (dev.phiguard.eval.RuleEvaluator.admits(policy, rule, workload.namespace(), namespaceLabels,
                            template.labels())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Each workload's version before the change and after it, where it has one. */
    private static List<Workload> versions(Set<WorkloadId> ids, Map<WorkloadId, Workload> was,
            Map<WorkloadId, Workload> is) {
        List<Workload> versions = new ArrayList<>();
        for (WorkloadId id : ids) {
            for (Map<WorkloadId, Workload> side : List.of(was, is)) {
                if (side.containsKey(id)) {
                    versions.add(side.get(id));
                }
            }
        }
        return versions;
    }

    private static Set<WorkloadId> knownIn(Set<WorkloadId> ids, Map<WorkloadId, Workload> workloads) {
        Set<WorkloadId> known = new HashSet<>(ids);
        known.retainAll(workloads.keySet());
        return known;
    }

    /**
     * The changed workloads, and the workloads whose fix selector may have changed with them: a
     * fix selects a workload by a name label its namespace gives no other workload
     * ({@link PolicyFixes#NAME_LABELS}), so only a workload sharing such a label with a changed
     * one (either version) can be selected otherwise now.
     */
    private static Set<WorkloadId> changedForJudging(Set<WorkloadId> changed, Map<WorkloadId, Workload> was,
            Map<WorkloadId, Workload> is) {
        Set<WorkloadId> affected = new HashSet<>(changed);
        if (changed.isEmpty()) {
            return affected;
        }
        Set<List<String>> changedNameLabels = new HashSet<>();
        for (Workload version : versions(changed, was, is)) {
            for (PodTemplate template : version.templates()) {
                for (String key : PolicyFixes.NAME_LABELS) {
                    String value = template.labels().get(key);
                    if (value != null) {
                        changedNameLabels.add(List.of(version.namespace(), key, value));
                    }
                }
            }
        }
        for (Map<WorkloadId, Workload> side : List.of(was, is)) {
            side.forEach((id, workload) -> {
                for (String key : PolicyFixes.NAME_LABELS) {
                    String value = workload.labels().get(key);
                    if (value != null && changedNameLabels.contains(List.of(id.namespace(), key, value))) {
                        affected.add(id);
                    }
                }
            });
        }
        return affected;
    }

    private static boolean servesDns(Workload workload, Cluster cluster, Profile profile) {
        Map<String, String> namespaceLabels = cluster.namespaces().stream()
                .filter(namespace -> namespace.name().equals(workload.namespace())).findFirst()
                .orElse(dev.phiguard.model.Namespace.implicit(workload.namespace())).labels();
        return workload.templates().stream()
                .anyMatch(template -> profile.dns().workloads().matches(namespaceLabels, template.labels()));
    }

    /** The workload as judging reads it: no replicas, and of its annotations only the PHI mark. */
    private static Workload asJudged(Workload workload) {
        List<PodTemplate> templates = new ArrayList<>();
        for (PodTemplate template : workload.templates()) {
            templates.add(new PodTemplate(template.labels(), phiMark(template.annotations()), template.ports(),
                    template.hostNetwork()));
        }
        return new Workload(workload.id(), phiMark(workload.annotations()), templates, 0, workload.source());
    }

    private static SortedMap<String, String> phiMark(SortedMap<String, String> annotations) {
        SortedMap<String, String> mark = new TreeMap<>();
        String phi = annotations.get(Profile.PHI_ANNOTATION);
        if (phi != null) {
            mark.put(Profile.PHI_ANNOTATION, phi);
        }
        return mark;
    }

    /**
     * Policies only one side has, or that differ between them (their place in a file included),
     * both versions; and every policy of a namespace whose policies come in another order, since
     * the order of a workload's policies is the order findings name them in. The policies of each
     * side come by namespace.
     */
    private static List<NetworkPolicy> changedPolicies(Map<String, List<NetworkPolicy>> earlier,
            Map<String, List<NetworkPolicy>> later) {
        List<NetworkPolicy> changed = new ArrayList<>();
        Set<String> namespaces = new TreeSet<>(earlier.keySet());
        namespaces.addAll(later.keySet());
        for (String namespace : namespaces) {
            List<NetworkPolicy> was = earlier.getOrDefault(namespace, List.of());
            List<NetworkPolicy> is = later.getOrDefault(namespace, List.of());
            if (was.equals(is)) {
                continue;
            }
            Set<String> wasNamed = names(was);
            Set<String> isNamed = names(is);
            List<String> wasOrder = was.stream().map(NetworkPolicy::name).filter(isNamed::contains).toList();
            List<String> isOrder = is.stream().map(NetworkPolicy::name).filter(wasNamed::contains).toList();
            if (!wasOrder.equals(isOrder)) {
                changed.addAll(was);
                changed.addAll(is);
                continue;
            }
            Set<NetworkPolicy> wasSet = new HashSet<>(was);
            Set<NetworkPolicy> isSet = new HashSet<>(is);
            was.stream().filter(policy -> !isSet.contains(policy)).forEach(changed::add);
            is.stream().filter(policy -> !wasSet.contains(policy)).forEach(changed::add);
        }
        return changed;
    }

    private static Set<String> names(List<NetworkPolicy> policies) {
        Set<String> names = new HashSet<>();
        policies.forEach(policy -> names.add(policy.name()));
        return names;
    }

    private static Map<String, List<NetworkPolicy>> byNamespace(List<NetworkPolicy> policies) {
        Map<String, List<NetworkPolicy>> grouped = new HashMap<>();
        policies.forEach(policy -> grouped.computeIfAbsent(policy.namespace(), key -> new ArrayList<>()).add(policy));
        return grouped;
    }
}
