package dev.phiguard.analysis;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Expectations;
import dev.phiguard.model.IpFamily;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evaluates connectivity assertions against a cluster: the connectivity map answers which pairs
 * break an assertion, and the explainer says why for the first few. Pure: no I/O, no clock.
 *
 * <p>Addresses outside the cluster are the map's ranges, cut also at every address an
 * assertion names, so each range is wholly inside or outside every CIDR asked about. IPv6, which
 * the map lists only when a policy or an assertion names an IPv6 range, is still checked where
 * an "only" assertion speaks of everything: no policy tells its addresses apart then, so the
 * space is judged by the explainer alone, exactly.
 */
public final class ExpectationEvaluator {
    /** How many violations of one assertion are explained rule by rule. */
    public static final int EXPLAINED = 3;

    private static final Comparator<Peer> ORDER = Comparator.comparing(Peer::toString);

    /** Which end of a connection a peer is; external ranges are cut differently for each. */
    private enum Role {
        SOURCE,
        DESTINATION
    }

    private final Cluster cluster;
    private final Map<Peer, Map<Peer, ConnectionSet>> allowed = new HashMap<>();
    private final Map<Role, List<Peer>> externals = new HashMap<>();
    /** External ranges that are not in the map (an IPv6 space no policy names), judged by the explainer. */
    private final Set<Peer> unmapped = new HashSet<>();
    private final List<Peer> workloads;

    private ExpectationEvaluator(Cluster cluster, List<Expectations> suites) {
        this.cluster = cluster;
        List<IpSet> boundaries = new ArrayList<>();
        for (Expectations suite : suites) {
            for (Expectations.Assertion assertion : suite.assertions()) {
                for (Expectations.Endpoint endpoint : endpoints(assertion)) {
                    if (endpoint instanceof Expectations.Endpoint.Addresses addresses) {
                        boundaries.add(addresses.addresses());
                    }
                }
            }
        }
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster, ConnectivityAnalyzer.Options.DEFAULT.withBoundaries(boundaries));
        for (Connection connection : map.connections()) {
            allowed.computeIfAbsent(connection.source(), peer -> new HashMap<>())
                    .put(connection.destination(), connection.connections());
        }
        this.workloads = map.workloads().stream().<Peer>map(Peer.WorkloadPeer::new).toList();
        externals.put(Role.SOURCE, externalPeers(Role.SOURCE, map.externalSources(), boundaries));
        externals.put(Role.DESTINATION, externalPeers(Role.DESTINATION, map.externalDestinations(), boundaries));
    }

    /**
     * Evaluates every assertion of every suite.
     *
     * @param cluster the cluster the assertions speak of
     * @param suites the Expectations documents, in the order their results are wanted
     */
    public static ExpectationsResult evaluate(Cluster cluster, List<Expectations> suites) {
        Objects.requireNonNull(cluster, "cluster");
        ExpectationEvaluator evaluator = new ExpectationEvaluator(cluster, suites);
        List<ExpectationsResult.SuiteResult> results = new ArrayList<>();
        for (Expectations suite : suites) {
            List<AssertionResult> assertions = new ArrayList<>();
            for (Expectations.Assertion assertion : suite.assertions()) {
                assertions.add(evaluator.evaluate(assertion));
            }
            results.add(new ExpectationsResult.SuiteResult(suite, assertions));
        }
        return new ExpectationsResult(results);
    }

    private static List<Expectations.Endpoint> endpoints(Expectations.Assertion assertion) {
        List<Expectations.Endpoint> endpoints = new ArrayList<>();
        if (assertion instanceof Expectations.Pair pair) {
            endpoints.add(pair.from());
            endpoints.add(pair.to());
        } else if (assertion instanceof Expectations.OnlyReachedBy only) {
            endpoints.add(only.to());
            endpoints.addAll(only.from());
        } else if (assertion instanceof Expectations.ReachesOnly only) {
            endpoints.add(only.from());
            endpoints.addAll(only.to());
        }
        return endpoints;
    }

    /**
     * The map's ranges for one role, plus, for a family the map leaves out, that family's space
     * cut at the assertions' boundaries.
     */
    private List<Peer> externalPeers(Role role, List<IpRange> ranges, List<IpSet> boundaries) {
        List<Peer> peers = new ArrayList<>();
        Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
        for (IpRange range : ranges) {
            families.add(range.family());
            peers.add(new Peer.ExternalPeer(range));
        }
        for (IpFamily family : IpFamily.values()) {
            if (families.contains(family)) {
                continue;
            }
            for (IpRange range : cut(family, boundaries)) {
                Peer peer = new Peer.ExternalPeer(range);
                peers.add(peer);
                unmapped.add(peer);
            }
        }
        return peers;
    }

    /** The family's address space cut at every boundary of the sets. */
    private static List<IpRange> cut(IpFamily family, List<IpSet> boundaries) {
        TreeSet<BigInteger> starts = new TreeSet<>();
        starts.add(BigInteger.ZERO);
        for (IpSet set : boundaries) {
            for (IpRange range : set.ranges()) {
                if (range.family() == family) {
                    starts.add(range.first());
                    if (range.last().compareTo(family.maxAddress()) < 0) {
                        starts.add(range.last().add(BigInteger.ONE));
                    }
                }
            }
        }
        List<IpRange> ranges = new ArrayList<>();
        BigInteger previous = null;
        for (BigInteger start : starts) {
            if (previous != null) {
                ranges.add(new IpRange(family, previous, start.subtract(BigInteger.ONE)));
            }
            previous = start;
        }
        ranges.add(new IpRange(family, previous, family.maxAddress()));
        return ranges;
    }

    // ------------------------------------------------------------------ assertions

    private AssertionResult evaluate(Expectations.Assertion assertion) {
        List<String> errors = new ArrayList<>();
        if (assertion instanceof Expectations.Pair pair) {
            return pair(pair, errors);
        }
        if (assertion instanceof Expectations.OnlyReachedBy only) {
            return blanket(assertion, resolve(only.to(), Role.DESTINATION, "only.to", errors), only.from(),
                    Role.SOURCE, "only.from", errors);
        }
        Expectations.ReachesOnly only = (Expectations.ReachesOnly) assertion;
        return blanket(assertion, resolve(only.from(), Role.SOURCE, "only.from", errors), only.to(),
                Role.DESTINATION, "only.to", errors);
    }

    private AssertionResult pair(Expectations.Pair pair, List<String> errors) {
        List<Peer> sources = resolve(pair.from(), Role.SOURCE, "from", errors);
        List<Peer> destinations = resolve(pair.to(), Role.DESTINATION, "to", errors);
        Map<Peer, ConnectionSet> asked = new HashMap<>();
        for (Peer destination : destinations) {
            ConnectionSet connections = asked(pair.port(), destination);
            if (connections.isEmpty() && destination instanceof Peer.WorkloadPeer) {
                errors.add(pair.to().source() + ": to: " + destination + " has no container port named "
                        + pair.port().orElseThrow());
            }
            asked.put(destination, connections);
        }
        if (!errors.isEmpty()) {
            return error(pair, errors);
        }
        int checked = 0;
        List<AssertionResult.Violation> violations = new ArrayList<>();
        for (Peer source : sources) {
            for (Peer destination : destinations) {
                if (source.equals(destination)) {
                    continue;
                }
                checked++;
                ConnectionSet open = allowed(source, destination).intersect(asked.get(destination));
                ConnectionSet wrong = pair.expect() == Expectations.Verdict.ALLOW
                        ? asked.get(destination).minus(open) : open;
                if (!wrong.isEmpty()) {
                    violations.add(new AssertionResult.Violation(source, destination, wrong, asked.get(destination)));
                }
            }
        }
        if (checked == 0) {
            errors.add(pair.source() + ": from and to are the same workload, and connections of a workload to"
                    + " itself are not analysed");
            return error(pair, errors);
        }
        return result(pair, checked, violations);
    }

    /**
     * "Only these reach X" (the subjects are destinations and the listed peers sources) or "X
     * reaches only these" (the other way round): every pair of a subject and a peer of the other
     * role that is not listed must allow nothing asked.
     */
    private AssertionResult blanket(Expectations.Assertion assertion, List<Peer> subjects,
            List<Expectations.Endpoint> listed, Role listedRole, String listName, List<String> errors) {
        Set<Peer> permitted = new LinkedHashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            permitted.addAll(resolve(listed.get(i), listedRole, listName + "[" + i + "]", errors));
        }
        boolean subjectsAreDestinations = listedRole == Role.SOURCE;
        if (assertion.port().orElse(null) instanceof PortMatcher.Named named && subjectsAreDestinations) {
            for (Peer subject : subjects) {
                if (subject instanceof Peer.WorkloadPeer && asked(assertion.port(), subject).isEmpty()) {
                    errors.add(assertion.source() + ": port: " + subject + " has no container port named "
                            + named.name());
                }
            }
        }
        if (!errors.isEmpty()) {
            return error(assertion, errors);
        }
        List<Peer> others = new ArrayList<>(workloads);
        others.addAll(externals.get(listedRole));
        int checked = 0;
        List<AssertionResult.Violation> violations = new ArrayList<>();
        for (Peer subject : subjects) {
            for (Peer other : others) {
                if (other.equals(subject) || permitted.contains(other)
                        || (other instanceof Peer.ExternalPeer && subject instanceof Peer.ExternalPeer)) {
                    continue;
                }
                Peer source = subjectsAreDestinations ? other : subject;
                Peer destination = subjectsAreDestinations ? subject : other;
                ConnectionSet asked = asked(assertion.port(), destination);
                if (asked.isEmpty()) {
                    continue;
                }
                checked++;
                ConnectionSet open = allowed(source, destination).intersect(asked);
                if (!open.isEmpty()) {
                    violations.add(new AssertionResult.Violation(source, destination, open, asked));
                }
            }
        }
        return result(assertion, checked, violations);
    }

    private AssertionResult result(Expectations.Assertion assertion, int checked,
            List<AssertionResult.Violation> found) {
        List<Merged> merged = merge(found);
        List<AssertionResult.Violation> violations = new ArrayList<>();
        List<Explanation> explanations = new ArrayList<>();
        for (Merged violation : merged) {
            violations.add(violation.violation);
            if (explanations.size() < EXPLAINED) {
                explanations.add(explain(violation, assertion instanceof Expectations.Pair pair
                        && pair.expect() == Expectations.Verdict.ALLOW));
            }
        }
        return new AssertionResult(assertion, violations.isEmpty() ? AssertionResult.Status.PASSED
                : AssertionResult.Status.FAILED, checked, violations, explanations, List.of());
    }

    /**
     * Why a violation happens. A merged range is explained as a whole when the explainer, which
     * judges a rule by whether it admits the whole range, finds what the map found; otherwise
     * parts of it were admitted alike by different rules, and its first part is explained.
     */
    private Explanation explain(Merged merged, boolean refused) {
        AssertionResult.Violation violation = merged.violation;
        Explanation whole = Explainer.explain(cluster, violation.source(), violation.destination(), violation.asked());
        ConnectionSet wrong = refused ? violation.asked().minus(whole.allowed()) : whole.allowed();
        if (merged.first == violation || wrong.equals(violation.connections())) {
            return whole;
        }
        AssertionResult.Violation first = merged.first;
        return Explainer.explain(cluster, first.source(), first.destination(), first.asked());
    }

    /** A violation as printed, and the first of the violations it was merged from. */
    private record Merged(AssertionResult.Violation violation, AssertionResult.Violation first) {
    }

    /**
     * The violations sorted as printed, with adjacent address ranges that break the assertion
     * alike (same workload, same connections) merged into one: ranges cut at every boundary any
     * policy or assertion draws would otherwise list the internet in many pieces.
     */
    private static List<Merged> merge(List<AssertionResult.Violation> found) {
        List<AssertionResult.Violation> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing((AssertionResult.Violation v) -> mergeKey(v))
                .thenComparing(v -> external(v).map(IpRange::family).orElse(null),
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(v -> external(v).map(IpRange::first).orElse(null),
                        Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Merged> merged = new ArrayList<>();
        for (AssertionResult.Violation violation : sorted) {
            Optional<IpRange> range = external(violation);
            if (range.isPresent() && !merged.isEmpty()) {
                Merged last = merged.get(merged.size() - 1);
                Optional<IpRange> lastRange = external(last.violation);
                if (lastRange.isPresent() && mergeKey(last.violation).equals(mergeKey(violation))
                        && lastRange.get().family() == range.get().family()
                        && lastRange.get().last().add(BigInteger.ONE).equals(range.get().first())) {
                    Peer joined = new Peer.ExternalPeer(new IpRange(range.get().family(), lastRange.get().first(),
                            range.get().last()));
                    boolean externalSource = violation.source() instanceof Peer.ExternalPeer;
                    merged.set(merged.size() - 1, new Merged(new AssertionResult.Violation(
                            externalSource ? joined : violation.source(),
                            externalSource ? violation.destination() : joined,
                            violation.connections(), violation.asked()), last.first));
                    continue;
                }
            }
            merged.add(new Merged(violation, violation));
        }
        merged.sort(Comparator.comparing((Merged m) -> m.violation.source(), ORDER)
                .thenComparing(m -> m.violation.destination(), ORDER));
        return merged;
    }

    /** What must be equal for two violations to merge: the workload end, its side, and the connections. */
    private static String mergeKey(AssertionResult.Violation violation) {
        boolean externalSource = violation.source() instanceof Peer.ExternalPeer;
        boolean externalDestination = violation.destination() instanceof Peer.ExternalPeer;
        String ends = externalSource ? "* => " + violation.destination()
                : externalDestination ? violation.source() + " => *"
                : violation.source() + " => " + violation.destination();
        return ends + " : " + violation.connections() + " / " + violation.asked();
    }

    private static Optional<IpRange> external(AssertionResult.Violation violation) {
        if (violation.source() instanceof Peer.ExternalPeer external) {
            return Optional.of(external.range());
        }
        if (violation.destination() instanceof Peer.ExternalPeer external) {
            return Optional.of(external.range());
        }
        return Optional.empty();
    }

    private static AssertionResult error(Expectations.Assertion assertion, List<String> errors) {
        return new AssertionResult(assertion, AssertionResult.Status.ERROR, 0, List.of(), List.of(), errors);
    }

    // ------------------------------------------------------------------ peers and connections

    /** What the assertion asks about towards this destination; empty when a port name means nothing there. */
    private ConnectionSet asked(Optional<PortMatcher> port, Peer destination) {
        if (port.isEmpty()) {
            return ConnectionSet.ALL;
        }
        if (destination instanceof Peer.WorkloadPeer workloadPeer) {
            ConnectionSet union = ConnectionSet.NONE;
            for (PodTemplate template : workload(workloadPeer.id()).templates()) {
                union = union.union(port.get().resolve(template));
            }
            return union;
        }
        return port.get().resolveExternal();
    }

    /** What the source may open to the destination. */
    private ConnectionSet allowed(Peer source, Peer destination) {
        if (unmapped.contains(source) || unmapped.contains(destination)) {
            return Explainer.explain(cluster, source, destination, ConnectionSet.ALL).allowed();
        }
        return allowed.getOrDefault(source, Map.of()).getOrDefault(destination, ConnectionSet.NONE);
    }

    private Workload workload(WorkloadId id) {
        return cluster.workload(id).orElseThrow(() -> new IllegalStateException("no workload " + id));
    }

    /** The peers an endpoint stands for; empty, with an error, when it names nothing. */
    private List<Peer> resolve(Expectations.Endpoint endpoint, Role role, String field, List<String> errors) {
        String where = endpoint.source() + ": " + field + ": ";
        if (endpoint instanceof Expectations.Endpoint.Workload reference) {
            List<WorkloadId> found = cluster.workloads().stream().map(Workload::id).filter(reference::matches)
                    .sorted().toList();
            if (found.isEmpty()) {
                WorkloadLookup.Reference lookup = new WorkloadLookup.Reference(reference.namespace(), reference.name(),
                        reference.kind());
                List<WorkloadId> suggestions = WorkloadLookup.suggest(cluster, lookup);
                errors.add(where + "no workload " + reference + (suggestions.isEmpty() ? "" : "; did you mean "
                        + String.join(" or ", suggestions.stream().map(WorkloadId::toString).toList()) + "?"));
                return List.of();
            }
            if (found.size() > 1) {
                errors.add(where + reference + " names " + found.size() + " workloads ("
                        + String.join(", ", found.stream().map(WorkloadId::toString).toList()) + "); add the kind");
                return List.of();
            }
            return List.of(new Peer.WorkloadPeer(found.get(0)));
        }
        if (endpoint instanceof Expectations.Endpoint.Selector selector) {
            List<Peer> found = new ArrayList<>();
            for (Workload workload : cluster.workloads()) {
                Map<String, String> namespaceLabels = cluster.namespace(workload.namespace())
                        .orElseGet(() -> Namespace.implicit(workload.namespace())).labels();
                if (workload.templates().stream()
                        .anyMatch(t -> selector.selector().matches(namespaceLabels, t.labels()))) {
                    found.add(new Peer.WorkloadPeer(workload.id()));
                }
            }
            if (found.isEmpty()) {
                errors.add(where + "selects no workload: " + selector);
            }
            found.sort(ORDER);
            return found;
        }
        IpSet addresses = ((Expectations.Endpoint.Addresses) endpoint).addresses();
        List<Peer> found = new ArrayList<>();
        for (Peer peer : externals.get(role)) {
            if (addresses.contains(((Peer.ExternalPeer) peer).range())) {
                found.add(peer);
            }
        }
        return found;
    }
}
