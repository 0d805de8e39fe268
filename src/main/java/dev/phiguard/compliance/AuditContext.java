package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectionFan;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.model.WorkloadSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a control reads: the cluster, its connectivity, the profile and which workloads
 * hold PHI, with the lookups checks share. What it remembers is safe to share between the
 * threads of one audit.
 */
public final class AuditContext {
    private final Cluster cluster;
    private final ConnectivityMap connectivity;
    private final Profile profile;
    private final PhiScope phi;
    // read only once made: a context over the same workloads takes these two maps
    private final Map<WorkloadId, Workload> workloads;
    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Map<String, NetworkPolicy> policies = new HashMap<>();
    private final Map<String, List<NetworkPolicy>> policiesByNamespace = new HashMap<>();
    private final Map<String, List<Workload>> workloadsByNamespace;
    private final Map<List<Object>, Object> memo = new java.util.concurrent.ConcurrentHashMap<>();
    // worked out from the workloads (and the profile) alone: a context over the same ones takes these very maps
    private final Map<String, Map<List<String>, Integer>> labelCounts;
    private final Map<List<Object>, List<Workload>> selected;
    private final Map<List<Object>, Object> byWorkloads;
    // per namespace, the policies selecting each workload there by direction: taken while the namespace's are the same
    private final Map<String, Selections> selections =
            new java.util.concurrent.ConcurrentHashMap<>();
    private List<Workload> dnsWorkloads;
    private java.util.Set<WorkloadId> dnsWorkloadIds;
    private Map<Peer, Integer> ranks;
    private final Map<WorkloadId, List<ConnectionFan>> inbound = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<WorkloadId, List<ConnectionFan>> outbound = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<WorkloadId, List<Profile.Client>> clientsFrom;
    // keyed by identity: a class's list of peers is one object, shared by every fan of that class. Not carried to
    // the context of a changed cluster: the lists of parts that are not whole classes are those of one map's fans
    private final Map<List<Peer>, PeerGroups> peerGroups = new java.util.IdentityHashMap<>();
    // by class index: asked for every part of every fan of every PHI workload
    private final java.util.concurrent.atomic.AtomicReferenceArray<PeerGroups> peerGroupsByClass;
    // by class index, whether its workloads are outside the PHI zone: 0 not yet known, then NO or YES;
    // threads that race to fill an entry write the same value
    private final byte[] outsideZoneByClass;
    private static final byte NO = 1;
    private static final byte YES = 2;

    // what an earlier audit narrowed, by policy; and what this one did, for the next
    private final Map<NetworkPolicy, FixPlanner.Narrowing> earlierNarrowings;
    private final Map<NetworkPolicy, FixPlanner.Narrowing> narrowings = new HashMap<>();
    private final Map<Finding, Finding> earlierPlans;
    private final java.util.function.BiPredicate<WorkloadId, Direction> keepsEarlier;

    /**
     * What a context worked out from the workloads, the namespaces, the profile and the endpoint
     * classes alone, for the context of a changed cluster to start from when the change left all
     * of those as they were: the PHI scope, the printed order of peers and the DNS servers (null
     * when never asked), each class's peers grouped, which classes are outside the PHI zone,
     * clients, selections, label counts, what each policy gave that depends on nothing else and
     * what each workload gave, and the policies selecting each workload by namespace. The context
     * after takes its maps as they are and goes on filling them: what they hold depends only on
     * what both contexts share (the selections of a namespace, on its policies, compared there).
     */
    record Carried(ConnectivityMap connectivity, List<Workload> workloads, PhiScope phi, Map<Peer, Integer> ranks,
            List<Workload> dnsWorkloads, java.util.concurrent.atomic.AtomicReferenceArray<PeerGroups> peerGroupsByClass,
            byte[] outsideZoneByClass, Map<WorkloadId, List<Profile.Client>> clientsFrom,
            Map<List<Object>, List<Workload>> selected,
            Map<String, Map<List<String>, Integer>> labelCounts, Map<List<Object>, Object> byPolicy,
            Map<List<Object>, Object> byWorkloads, Map<String, List<NetworkPolicy>> policiesByNamespace,
            Map<String, Selections> selections, Map<WorkloadId, Workload> workloadsById,
            Map<String, List<Workload>> workloadsByNamespace) {
    }

    // what was worked out from one policy (with the workloads, namespaces and profile), by what and the policy
    private final Map<List<Object>, Object> byPolicy = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Finding, Finding> plans;
    // the grants of each subject, by direction: the earlier audit's, and this one's for the next
    private final Map<Direction, Map<WorkloadId, List<Finding.Grant>>> earlierGrants;
    private volatile Map<Direction, Map<WorkloadId, List<Finding.Grant>>> grants = Map.of();

    /** A context that starts with what an earlier audit remembered of the workloads a change left alone. */
    AuditContext(Cluster cluster, ConnectivityMap connectivity, Profile profile, AuditMemory.Reuse reuse) {
        this.earlierNarrowings = reuse.narrowings();
        this.earlierPlans = reuse.planned();
        // about as many findings are given fixes as before: sized so, not grown step by step
        this.plans = new java.util.IdentityHashMap<>(earlierPlans.size() + 16);
        this.earlierGrants = reuse.grants();
        this.keepsEarlier = reuse::keeps;
        reuse.remembered().forEach((key, value) -> {
            if (key.get(1) instanceof WorkloadId workload
                    && reuse.keeps(workload, key.size() > 2 ? (Direction) key.get(2) : null)) {
                memo.put(key, value);
            }
        });
        this.cluster = cluster;
        this.connectivity = connectivity;
        this.profile = profile;
        // an earlier context is taken on only by an audit that took on its judgements: the same profile and namespaces
        Carried earlier = reuse.carried();
        // classes are taken over workloads changed only where the index does not read them: those must be the same
        boolean carriedOver = earlier != null && connectivity.sharesClassesWith(earlier.connectivity())
                && earlier.workloads().equals(cluster.workloads());
        if (carriedOver) {
            this.phi = earlier.phi();
            this.ranks = earlier.ranks();
            int classes = connectivity.classes();
            this.peerGroupsByClass = new java.util.concurrent.atomic.AtomicReferenceArray<>(classes);
            for (int c = 0; c < classes; c++) {
                peerGroupsByClass.set(c, earlier.peerGroupsByClass().get(c));
            }
            this.outsideZoneByClass = earlier.outsideZoneByClass().clone();
            this.clientsFrom = earlier.clientsFrom();
            this.selected = earlier.selected();
            this.labelCounts = earlier.labelCounts();
            this.byWorkloads = earlier.byWorkloads();
            this.workloads = earlier.workloadsById();
            this.workloadsByNamespace = earlier.workloadsByNamespace();
            this.dnsWorkloads = earlier.dnsWorkloads();
            // of the policies that stayed: one removed, or changed, is worked out no more
            Set<NetworkPolicy> present = new java.util.HashSet<>(cluster.policies());
            earlier.byPolicy().forEach((key, value) -> {
                if (present.contains((NetworkPolicy) key.get(1))) {
                    byPolicy.put(key, value);
                }
            });
        } else {
            this.peerGroupsByClass = new java.util.concurrent.atomic.AtomicReferenceArray<>(connectivity.classes());
            this.outsideZoneByClass = new byte[connectivity.classes()];
            this.phi = PhiScope.of(cluster, profile);
            this.clientsFrom = new java.util.concurrent.ConcurrentHashMap<>();
            this.selected = new java.util.concurrent.ConcurrentHashMap<>();
            this.labelCounts = new java.util.concurrent.ConcurrentHashMap<>();
            this.byWorkloads = new java.util.concurrent.ConcurrentHashMap<>();
            this.workloads = new HashMap<>();
            this.workloadsByNamespace = new java.util.LinkedHashMap<>();
            cluster.workloads().forEach(workload -> workloads.put(workload.id(), workload));
            cluster.workloads().forEach(workload ->
                    workloadsByNamespace.computeIfAbsent(workload.namespace(), key -> new ArrayList<>()).add(workload));
        }
        cluster.namespaces().forEach(namespace -> namespaces.put(namespace.name(), namespace));
        cluster.policies().forEach(policy -> policies.put(policy.namespacedName(), policy));
        cluster.policies().forEach(policy ->
                policiesByNamespace.computeIfAbsent(policy.namespace(), key -> new ArrayList<>()).add(policy));
        if (carriedOver) {
            // a namespace whose policies are the very ones of before selects its workloads as it did
            policiesByNamespace.forEach((namespace, now) -> {
                Selections known = earlier.selections().get(namespace);
                List<NetworkPolicy> before = earlier.policiesByNamespace().getOrDefault(namespace, List.of());
                if (known == null) {
                    return;
                }
                if (sameObjects(before, now)) {
                    selections.put(namespace, known);
                } else {
                    selectionsAfter(namespace, known, before, now);
                }
            });
        }
    }

    /**
     * Takes a namespace's selections of before for the workloads that no policy that came or went
     * selects, when the policies that stayed are in the same order: what the others select is
     * worked out again when asked.
     */
    private void selectionsAfter(String namespace, Selections known,
            List<NetworkPolicy> before, List<NetworkPolicy> now) {
        Set<NetworkPolicy> earlierOnes = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        earlierOnes.addAll(before);
        Set<NetworkPolicy> nowOnes = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        nowOnes.addAll(now);
        List<NetworkPolicy> came = now.stream().filter(policy -> !earlierOnes.contains(policy)).toList();
        List<NetworkPolicy> gone = before.stream().filter(policy -> !nowOnes.contains(policy)).toList();
        if (!sameObjects(before.stream().filter(nowOnes::contains).toList(),
                now.stream().filter(earlierOnes::contains).toList())) {
            return;
        }
        Selections taken = new Selections();
        for (Direction direction : Direction.values()) {
            known.of(direction).forEach((id, selecting) -> {
                Workload workload = workloads.get(id);
                boolean touched = gone.stream().anyMatch(selecting::contains) || came.stream()
                        .anyMatch(policy -> policy.isolates(direction) && policy.selectsPodsOf(workload));
                if (!touched) {
                    taken.of(direction).put(id, selecting);
                }
            });
        }
        selections.put(namespace, taken);
    }

    /** The policies selecting each workload of one namespace, by direction, worked out when first asked. */
    static final class Selections {
        private final Map<WorkloadId, List<NetworkPolicy>> ingress = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<WorkloadId, List<NetworkPolicy>> egress = new java.util.concurrent.ConcurrentHashMap<>();

        Map<WorkloadId, List<NetworkPolicy>> of(Direction direction) {
            return direction == Direction.INGRESS ? ingress : egress;
        }
    }

    private static boolean sameObjects(List<?> before, List<?> after) {
        if (before == null || before.size() != after.size()) {
            return false;
        }
        for (int i = 0; i < after.size(); i++) {
            if (before.get(i) != after.get(i)) {
                return false;
            }
        }
        return true;
    }

    public Cluster cluster() {
        return cluster;
    }

    public ConnectivityMap connectivity() {
        return connectivity;
    }

    public Profile profile() {
        return profile;
    }

    public PhiScope phi() {
        return phi;
    }

    /** Every workload of the cluster by id; not to be changed. */
    Map<WorkloadId, Workload> workloadsById() {
        return Collections.unmodifiableMap(workloads);
    }

    public Workload workload(WorkloadId id) {
        Workload workload = workloads.get(id);
        if (workload == null) {
            throw new IllegalArgumentException("No workload " + id);
        }
        return workload;
    }

    public Map<String, String> namespaceLabels(String namespace) {
        Namespace known = namespaces.get(namespace);
        return known == null ? Namespace.implicit(namespace).labels() : known.labels();
    }

    public Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    public Optional<NetworkPolicy> policy(String namespacedName) {
        return Optional.ofNullable(policies.get(namespacedName));
    }

    public PolicyRule rule(RuleRef ref) {
        NetworkPolicy policy = policies.get(ref.policyName());
        if (policy == null) {
            throw new IllegalArgumentException("No policy " + ref.policyName());
        }
        return policy.rules(ref.direction()).get(ref.index());
    }

    /**
     * Connections into a workload, one per source, sorted by source. On a large cluster this is
     * long; checks read {@link #inboundFans} instead.
     */
    public List<Connection> inbound(WorkloadId workload) {
        return connectivity.inbound(workload);
    }

    /** Connections out of a workload, one per destination, sorted by destination. */
    public List<Connection> outbound(WorkloadId workload) {
        return connectivity.outbound(workload);
    }

    /**
     * The peers of a fan by what the profile says of them, each list sorted by name: workloads
     * that are neither PHI nor the source of any profile client ({@code plain}), PHI workloads,
     * workloads some profile client starts from, and address ranges.
     */
    public record PeerGroups(List<Peer> plain, List<Peer> phi, List<Peer> clients, List<Peer> external,
            List<int[]> ranks) {
        /**
         * Where each peer of one of these lists comes in printed order ({@link #rank}), looked up
         * once per class rather than once per fan; null for a list that is not one of these.
         */
        /** How many groups there are. */
        public static final int GROUPS = 4;
        /** The index of {@link #clients} among the groups. */
        public static final int CLIENTS = 2;

        /** The groups by index, in the order above: read part by part, so without a list to iterate. */
        public List<Peer> group(int index) {
            return switch (index) {
                case 0 -> plain;
                case 1 -> phi;
                case CLIENTS -> clients;
                case 3 -> external;
                default -> throw new IndexOutOfBoundsException(index);
            };
        }

        int[] ranks(List<Peer> group) {
            if (group == plain) {
                return ranks.get(0);
            }
            if (group == phi) {
                return ranks.get(1);
            }
            if (group == clients) {
                return ranks.get(2);
            }
            return group == external ? ranks.get(3) : null;
        }
    }

    /**
     * {@link PhiScope#comesFromOutsideZone} of a workload's inbound fans, with each class's answer
     * remembered: it is asked for every part of every PHI workload.
     */
    public boolean comesFromOutsideZone(WorkloadId id) {
        return phi.comesFromOutsideZone(inboundFans(id), this::isOutsideZone);
    }

    private boolean isOutsideZone(ConnectionFan.Part part) {
        int endpointClass = part.sharedClass();
        if (endpointClass < 0) {
            return phi.isOutsideZone(part);
        }
        byte known = outsideZoneByClass[endpointClass];
        if (known == 0) {
            known = phi.isOutsideZone(part) ? YES : NO;
            outsideZoneByClass[endpointClass] = known;
        }
        return known == YES;
    }

    /** The peers of a fan's part, grouped; remembered per class, without a lock, when the part is a whole class. */
    public PeerGroups peerGroups(ConnectionFan.Part part) {
        if (part.sharedClass() < 0) {
            return peerGroups(part.peers());
        }
        PeerGroups known = peerGroupsByClass.get(part.sharedClass());
        if (known == null) {
            known = peerGroups(part.peers());
            peerGroupsByClass.set(part.sharedClass(), known);
        }
        return known;
    }

    /** The peers of a fan, grouped; remembered per list, since fans of one class share theirs. */
    private PeerGroups peerGroups(List<Peer> peers) {
        PeerGroups known;
        synchronized (peerGroups) {
            known = peerGroups.get(peers);
        }
        if (known == null) {
            List<Peer> plain = new ArrayList<>();
            List<Peer> phiPeers = new ArrayList<>();
            List<Peer> clientPeers = new ArrayList<>();
            List<Peer> external = new ArrayList<>();
            for (Peer peer : peers) {
                if (!(peer instanceof Peer.WorkloadPeer workload)) {
                    external.add(peer);
                } else if (phi.isPhi(workload.id())) {
                    phiPeers.add(peer);
                } else if (!clientsFrom(workload(workload.id())).isEmpty()) {
                    clientPeers.add(peer);
                } else {
                    plain.add(peer);
                }
            }
            List<List<Peer>> groups = new ArrayList<>();
            List<int[]> ranked = new ArrayList<>();
            for (List<Peer> group : List.of(plain, phiPeers, clientPeers, external)) {
                Collections.sort(group);
                groups.add(List.copyOf(group));
                ranked.add(group.stream().mapToInt(this::rank).toArray());
            }
            known = new PeerGroups(groups.get(0), groups.get(1), groups.get(2), groups.get(3), List.copyOf(ranked));
            synchronized (peerGroups) {
                peerGroups.put(peers, known);
            }
        }
        return known;
    }

    /**
     * Where a peer comes in printed order among every workload and address range of the
     * analysis: comparing ranks is what sorting findings' long peer lists costs.
     */
    public int rank(Peer peer) {
        if (ranks == null) {
            ranks = ranks();
        }
        Integer rank = ranks.get(peer);
        if (rank == null) {
            throw new IllegalArgumentException("Not a peer of this analysis: " + peer);
        }
        return rank;
    }

    private Map<Peer, Integer> ranks() {
        List<Peer> all = new ArrayList<>();
        cluster.workloads().forEach(workload -> all.add(new Peer.WorkloadPeer(workload.id())));
        connectivity.externalSources().forEach(range -> all.add(new Peer.ExternalPeer(range)));
        connectivity.externalDestinations().forEach(range -> all.add(new Peer.ExternalPeer(range)));
        // sorted by the printed names, each formatted once
        List<Map.Entry<String, Peer>> named = new ArrayList<>(all.size());
        all.forEach(known -> named.add(Map.entry(known.toString(), known)));
        named.sort(Map.Entry.comparingByKey());
        Map<Peer, Integer> ranks = new HashMap<>();
        for (Map.Entry<String, Peer> known : named) {
            ranks.putIfAbsent(known.getValue(), ranks.size());
        }
        return ranks;
    }

    /**
     * Works out now what is otherwise worked out when first asked, so that checks can then
     * share this context between threads; the rest of its memory is thread-safe.
     */
    void prepareForThreads() {
        if (ranks == null) {
            ranks = ranks();
        }
        dnsWorkloadIds();
    }

    /** Lets go of a workload's rows once every check has read them; they are worked out again if asked. */
    void forgetRows(WorkloadId workload) {
        inbound.remove(workload);
        outbound.remove(workload);
    }

    /** Connections into a workload, a fan per class of sources; computed once, when first asked. */
    public List<ConnectionFan> inboundFans(WorkloadId workload) {
        return inbound.computeIfAbsent(workload, connectivity::inboundFans);
    }

    /** Connections out of a workload, a fan per class of destinations; computed once, when first asked. */
    public List<ConnectionFan> outboundFans(WorkloadId workload) {
        return outbound.computeIfAbsent(workload, connectivity::outboundFans);
    }

    /**
     * How many workloads of a namespace have a pod template with the label: asked for a label of
     * every PHI workload that fixes name, where walking the namespace's workloads each time cost
     * a namespace's size per workload.
     */
    public int workloadsLabelled(String namespace, String key, String value) {
        Map<List<String>, Integer> counts = labelCounts.computeIfAbsent(namespace, name -> {
            Map<List<String>, Integer> byLabel = new HashMap<>();
            for (Workload workload : workloadsIn(name)) {
                java.util.Set<List<String>> labels = new java.util.HashSet<>();
                for (PodTemplate template : workload.templates()) {
                    template.labels().forEach((labelKey, labelValue) -> labels.add(List.of(labelKey, labelValue)));
                }
                labels.forEach(label -> byLabel.merge(label, 1, Integer::sum));
            }
            return byLabel;
        });
        return counts.getOrDefault(List.of(key, value), 0);
    }

    /**
     * The workloads of a namespace with a pod template the selector matches, in input order:
     * remembered per selector, since many policies of a namespace select the same pods.
     */
    public List<Workload> selectedBy(String namespace, LabelSelector podSelector) {
        return selected.computeIfAbsent(List.of(namespace, podSelector), key -> {
            List<Workload> matching = new ArrayList<>();
            for (Workload workload : workloadsIn(namespace)) {
                for (PodTemplate template : workload.templates()) {
                    if (podSelector.matches(template.labels())) {
                        matching.add(workload);
                        break;
                    }
                }
            }
            return List.copyOf(matching);
        });
    }

    /** The policies of a namespace, in input order. */
    public List<NetworkPolicy> policiesIn(String namespace) {
        return policiesByNamespace.getOrDefault(namespace, List.of());
    }

    /** Policies of the workload's namespace that select one of its pod templates for the direction. */
    public List<NetworkPolicy> selecting(Workload workload, Direction direction) {
        return selections.computeIfAbsent(workload.namespace(), key -> new Selections()).of(direction)
                .computeIfAbsent(workload.id(), key -> select(workload, direction));
    }

    private List<NetworkPolicy> select(Workload workload, Direction direction) {
        List<NetworkPolicy> selecting = new ArrayList<>();
        for (NetworkPolicy policy : policiesIn(workload.namespace())) {
            if (policy.isolates(direction) && policy.selectsPodsOf(workload)) {
                selecting.add(policy);
            }
        }
        return List.copyOf(selecting);
    }

    /** The namespaces that hold workloads, in input order. */
    public java.util.Set<String> workloadNamespaces() {
        return Collections.unmodifiableSet(workloadsByNamespace.keySet());
    }

    /** The workloads of a namespace, in input order. */
    public List<Workload> workloadsIn(String namespace) {
        return workloadsByNamespace.getOrDefault(namespace, List.of());
    }

    public boolean isIsolated(Workload workload, Direction direction) {
        return !selecting(workload, direction).isEmpty();
    }

    public boolean matches(WorkloadSelector selector, Workload workload) {
        Map<String, String> namespaceLabels = namespaceLabels(workload.namespace());
        return workload.templates().stream().anyMatch(t -> selector.matches(namespaceLabels, t.labels()));
    }

    /** Resolves profile ports on a destination; no ports means every port. */
    public static ConnectionSet resolve(List<PortMatcher> ports, PodTemplate destination) {
        if (ports.isEmpty()) {
            return ConnectionSet.ALL;
        }
        ConnectionSet result = ConnectionSet.NONE;
        for (PortMatcher port : ports) {
            result = result.union(port.resolve(destination));
        }
        return result;
    }

    /** Resolves profile ports towards an address outside the cluster; no ports means every port. */
    public static ConnectionSet resolveExternal(List<PortMatcher> ports) {
        if (ports.isEmpty()) {
            return ConnectionSet.ALL;
        }
        ConnectionSet result = ConnectionSet.NONE;
        for (PortMatcher port : ports) {
            result = result.union(port.resolveExternal());
        }
        return result;
    }

    /** The profile clients that let {@code source} reach the PHI workload {@code destination}. */
    public List<Profile.Client> clients(Workload source, Workload destination) {
        // asked for every source of every PHI workload: match the sources once
        List<Profile.Client> from = clientsFrom(source);
        if (from.isEmpty()) {
            return from;
        }
        List<Profile.Client> found = new ArrayList<>();
        for (Profile.Client client : from) {
            if (client.to().map(to -> matches(to, destination)).orElse(true)) {
                found.add(client);
            }
        }
        return found;
    }

    private List<Profile.Client> clientsFrom(Workload source) {
        return clientsFrom.computeIfAbsent(source.id(), key -> profile.clients().stream()
                .filter(client -> matches(client.from(), source)).toList());
    }

    /** What profile clients allow {@code source} to open to {@code destination}. */
    public ConnectionSet clientAllowance(Workload source, Workload destination, boolean plaintextOnly) {
        ConnectionSet allowed = ConnectionSet.NONE;
        for (Profile.Client client : clients(source, destination)) {
            if (!plaintextOnly || client.plaintext()) {
                allowed = allowed.union(resolve(client.ports(), destination.templates().get(0)));
            }
        }
        return allowed;
    }

    /** What the profile lets an external range open to a PHI workload: through a gateway entry. */
    public ConnectionSet gatewayAllowance(IpRange range, Workload destination) {
        ConnectionSet allowed = ConnectionSet.NONE;
        for (Profile.Gateway gateway : profile.gateways()) {
            if (matches(gateway.workloads(), destination) && gateway.from().contains(range)) {
                allowed = allowed.union(resolve(gateway.ports(), destination.templates().get(0)));
            }
        }
        return allowed;
    }

    /** What the profile lets PHI workloads open to an external range. */
    public ConnectionSet externalAllowance(IpRange range) {
        ConnectionSet allowed = ConnectionSet.NONE;
        for (Profile.ExternalDestination destination : profile.externalDestinations()) {
            if (destination.addresses().contains(range)) {
                allowed = allowed.union(resolveExternal(destination.ports()));
            }
        }
        return allowed;
    }

    /** The ports of a workload that count as encrypted. */
    public ConnectionSet encryptedPorts(Workload destination) {
        ConnectionSet encrypted = ConnectionSet.NONE;
        for (PodTemplate template : destination.templates()) {
            for (PortMatcher port : profile.encryptedPorts()) {
                encrypted = encrypted.union(port.resolve(template));
            }
        }
        return encrypted;
    }

    /** The ids of {@link #dnsWorkloads()}. */
    public java.util.Set<WorkloadId> dnsWorkloadIds() {
        if (dnsWorkloadIds == null) {
            dnsWorkloadIds = java.util.Set.copyOf(dnsWorkloads().stream().map(Workload::id).toList());
        }
        return dnsWorkloadIds;
    }

    /** Workloads of the cluster that serve DNS as the profile describes it. */
    public List<Workload> dnsWorkloads() {
        if (dnsWorkloads == null) {
            List<Workload> dns = new ArrayList<>();
            for (Workload workload : cluster.workloads()) {
                if (matches(profile.dns().workloads(), workload)) {
                    dns.add(workload);
                }
            }
            dnsWorkloads = Collections.unmodifiableList(dns);
        }
        return dnsWorkloads;
    }

    /**
     * What this context worked out from what policies do not change, for the context of a changed
     * cluster: taken when the audit is over, when nothing writes to it any more, and not copied.
     */
    Carried carried() {
        return new Carried(connectivity, cluster.workloads(), phi, ranks, dnsWorkloads, peerGroupsByClass,
                outsideZoneByClass, clientsFrom, selected, labelCounts, byPolicy, byWorkloads, policiesByNamespace,
                selections, workloads, workloadsByNamespace);
    }

    /**
     * A value worked out from one policy and what a change of policies leaves alone (workloads,
     * namespaces, profile), remembered: the audit after such a change takes it again for every
     * policy that stayed as it was.
     */
    <T> T rememberedFor(String what, NetworkPolicy policy, java.util.function.Supplier<T> compute) {
        return rememberedIn(byPolicy, List.of(what, policy), compute);
    }

    /** What was remembered per workload, for a later audit of a changed cluster. */
    Map<List<Object>, Object> remembered() {
        return Map.copyOf(memo);
    }

    /** How an earlier audit narrowed this policy, if it was the same policy then. */
    FixPlanner.Narrowing earlierNarrowing(NetworkPolicy policy) {
        return earlierNarrowings.get(policy);
    }

    void remember(FixPlanner.Narrowing narrowing) {
        synchronized (narrowings) {
            narrowings.put(narrowing.policy(), narrowing);
        }
    }

    Map<NetworkPolicy, FixPlanner.Narrowing> narrowings() {
        synchronized (narrowings) {
            return Map.copyOf(narrowings);
        }
    }

    /**
     * The subjects whose grants (by direction) differ from the earlier audit's, or that have
     * grants in one audit only; {@code bySubject} is kept for a later audit to compare with.
     */
    Set<WorkloadId> grantsChangedSince(Map<Direction, Map<WorkloadId, List<Finding.Grant>>> bySubject) {
        grants = bySubject;
        Set<WorkloadId> changed = new java.util.HashSet<>();
        for (Direction direction : Direction.values()) {
            Map<WorkloadId, List<Finding.Grant>> now = bySubject.getOrDefault(direction, Map.of());
            Map<WorkloadId, List<Finding.Grant>> was = earlierGrants.getOrDefault(direction, Map.of());
            // kept findings hold the very grants they held: the lists compare element by element, by identity first
            now.forEach((subject, granted) -> {
                if (!granted.equals(was.get(subject))) {
                    changed.add(subject);
                }
            });
            was.keySet().forEach(subject -> {
                if (!now.containsKey(subject)) {
                    changed.add(subject);
                }
            });
        }
        return changed;
    }

    Map<Direction, Map<WorkloadId, List<Finding.Grant>>> grants() {
        return grants;
    }

    /** Whether what an earlier audit worked out from this side of the workload's connections still holds. */
    boolean keepsEarlier(WorkloadId workload, Direction side) {
        return keepsEarlier.test(workload, side);
    }

    /** The finding as an earlier audit gave it fixes, if the same finding (not an equal one) was judged then. */
    Finding earlierPlan(Finding judged) {
        return earlierPlans.get(judged);
    }

    void rememberPlan(Finding judged, Finding planned) {
        synchronized (plans) {
            plans.put(judged, planned);
        }
    }

    Map<Finding, Finding> planned() {
        // asked once the audit is over, when nothing adds to it any more: handed over as it is
        synchronized (plans) {
            return java.util.Collections.unmodifiableMap(plans);
        }
    }

    /** A remembered value per workload, for derived answers asked again and again (fix selectors). */
    <T> T remembered(String what, WorkloadId workload, java.util.function.Supplier<T> compute) {
        return remembered(List.of(what, workload), compute);
    }

    /**
     * A remembered value per workload worked out from the workloads, the namespaces and the
     * profile alone: the audit of a change that left those alike takes it again.
     */
    <T> T rememberedOfWorkloads(String what, WorkloadId workload, java.util.function.Supplier<T> compute) {
        return rememberedIn(byWorkloads, List.of(what, workload), compute);
    }

    /** As {@link #rememberedOfWorkloads(String, WorkloadId, java.util.function.Supplier)}, of no one workload. */
    <T> T rememberedOfWorkloads(String what, java.util.function.Supplier<T> compute) {
        return rememberedIn(byWorkloads, List.of(what), compute);
    }

    /** Not computeIfAbsent: computing one answer may remember others in the same map. */
    @SuppressWarnings("unchecked")
    private static <T> T rememberedIn(Map<List<Object>, Object> answers, List<Object> key,
            java.util.function.Supplier<T> compute) {
        Object known = answers.get(key);
        if (known == null) {
            known = compute.get();
            answers.put(key, known);
        }
        return (T) known;
    }

    /**
     * A remembered value per workload worked out from one side of its connections (or of its
     * policies): a later audit keeps it while the change leaves that side alone.
     */
    <T> T remembered(String what, Direction side, WorkloadId workload, java.util.function.Supplier<T> compute) {
        return remembered(List.of(what, workload, side), compute);
    }

    private <T> T remembered(List<Object> key, java.util.function.Supplier<T> compute) {
        return rememberedIn(memo, key, compute);
    }
}
