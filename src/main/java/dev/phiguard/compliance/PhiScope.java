package dev.phiguard.compliance;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which workloads hold PHI under a profile, and why: an annotation on the workload, its pod
 * template or its namespace, or a profile selector matching its namespace or pods.
 */
public final class PhiScope {
    private final Map<WorkloadId, String> reasons;
    private final Set<String> phiNamespaces;
    /** The same names, hashed: asked for every peer class of every PHI workload's rows. */
    private final Set<String> phiNamespaceLookup;

    private PhiScope(Map<WorkloadId, String> reasons, Set<String> phiNamespaces) {
        this.reasons = Collections.unmodifiableMap(reasons);
        this.phiNamespaces = Collections.unmodifiableSet(phiNamespaces);
        this.phiNamespaceLookup = Set.copyOf(phiNamespaces);
    }

    public static PhiScope of(Cluster cluster, Profile profile) {
        Map<String, Namespace> namespaces = new LinkedHashMap<>();
        cluster.namespaces().forEach(namespace -> namespaces.put(namespace.name(), namespace));
        Set<String> phiNamespaces = new TreeSet<>();
        Map<String, String> namespaceReasons = new LinkedHashMap<>();
        for (Namespace namespace : cluster.namespaces()) {
            namespaceReason(namespace, profile).ifPresent(reason -> {
                phiNamespaces.add(namespace.name());
                namespaceReasons.put(namespace.name(), reason);
            });
        }
        Map<WorkloadId, String> reasons = new LinkedHashMap<>();
        for (Workload workload : cluster.workloads()) {
            Optional<String> reason = workloadReason(workload, profile);
            if (reason.isEmpty() && namespaceReasons.containsKey(workload.namespace())) {
                reason = Optional.of(namespaceReasons.get(workload.namespace()));
            }
            reason.ifPresent(why -> {
                reasons.put(workload.id(), why);
                phiNamespaces.add(workload.namespace());
            });
        }
        return new PhiScope(reasons, phiNamespaces);
    }

    private static Optional<String> namespaceReason(Namespace namespace, Profile profile) {
        if ("true".equals(namespace.annotations().get(Profile.PHI_ANNOTATION))) {
            return Optional.of("namespace " + namespace.name() + " is annotated " + Profile.PHI_ANNOTATION + "=true");
        }
        for (LabelSelector selector : profile.phiNamespaces()) {
            if (selector.matches(namespace.labels())) {
                return Optional.of("namespace " + namespace.name() + " matches the profile's PHI namespace selector "
                        + selector);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> workloadReason(Workload workload, Profile profile) {
        if ("true".equals(workload.annotations().get(Profile.PHI_ANNOTATION))) {
            return Optional.of("annotated " + Profile.PHI_ANNOTATION + "=true");
        }
        for (PodTemplate template : workload.templates()) {
            if ("true".equals(template.annotations().get(Profile.PHI_ANNOTATION))) {
                return Optional.of("pod template annotated " + Profile.PHI_ANNOTATION + "=true");
            }
            for (LabelSelector selector : profile.phiWorkloads()) {
                if (selector.matches(template.labels())) {
                    return Optional.of("pods match the profile's PHI pod selector " + selector);
                }
            }
        }
        return Optional.empty();
    }

    public boolean isPhi(WorkloadId workload) {
        return reasons.containsKey(workload);
    }

    /** Why the workload holds PHI; empty when it does not. */
    public Optional<String> reason(WorkloadId workload) {
        return Optional.ofNullable(reasons.get(workload));
    }

    /** PHI workloads in input order. */
    public Set<WorkloadId> workloads() {
        return reasons.keySet();
    }

    /** Namespaces that hold PHI: annotated or selected, or home to a PHI workload; sorted. */
    public Set<String> namespaces() {
        return phiNamespaces;
    }

    public boolean isPhiNamespace(String namespace) {
        return phiNamespaceLookup.contains(namespace);
    }

    /**
     * Whether one of these connections into a workload comes from outside the PHI zone: from a
     * workload of a namespace that holds no PHI, or from an address outside the cluster.
     */
    public boolean comesFromOutsideZone(List<dev.phiguard.eval.ConnectionFan> inbound) {
        return comesFromOutsideZone(inbound, this::isOutsideZone);
    }

    /** {@link #comesFromOutsideZone(List)}, asking {@code outside} of each part (which may remember its answers). */
    public boolean comesFromOutsideZone(List<dev.phiguard.eval.ConnectionFan> inbound,
            java.util.function.Predicate<dev.phiguard.eval.ConnectionFan.Part> outside) {
        for (dev.phiguard.eval.ConnectionFan fan : inbound) {
            if (fan.connections().isEmpty()) {
                continue;
            }
            for (dev.phiguard.eval.ConnectionFan.Part part : fan.parts()) {
                if (outside.test(part)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a part of a fan is outside the PHI zone: an address range, or workloads of a namespace without PHI. */
    public boolean isOutsideZone(dev.phiguard.eval.ConnectionFan.Part part) {
        // a part is one class or one range, so one namespace: its first peer speaks for all
        dev.phiguard.model.Peer peer = part.peers().isEmpty() ? null : part.peers().get(0);
        return peer instanceof dev.phiguard.model.Peer.ExternalPeer
                || peer instanceof dev.phiguard.model.Peer.WorkloadPeer source
                        && !isPhiNamespace(source.id().namespace());
    }
}
