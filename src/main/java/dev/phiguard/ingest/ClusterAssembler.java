package dev.phiguard.ingest;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.Service;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects converted objects into a cluster: refuses a second object with the same kind,
 * namespace and name, and gathers pods that one controller owns into that controller's workload.
 */
final class ClusterAssembler {
    private final List<Diagnostic> diagnostics;
    private final Map<String, SourceRef> seen = new HashMap<>();
    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<Service> services = new ArrayList<>();
    private final List<NetworkPolicy> policies = new ArrayList<>();
    private final Map<WorkloadId, Workload> controllers = new LinkedHashMap<>();
    private final Map<WorkloadId, OwnedPods> ownedPods = new LinkedHashMap<>();
    /** Workloads and owner groups in input order, so output and classes are stable. */
    private final List<WorkloadId> order = new ArrayList<>();

    ClusterAssembler(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Pods of one owner as read so far. */
    private static final class OwnedPods {
        final List<PodTemplate> templates = new ArrayList<>();
        final List<String> podNames = new ArrayList<>();
        SourceRef source;
        TreeMap<String, String> annotations;
    }

    /**
     * Claims the kind/namespace/name key for an object; false, with an error, when another object
     * already holds it.
     */
    boolean claim(ObjectContext context, SourceRef where) {
        String key = context.kind() + " " + context.namespace() + "/" + context.name();
        SourceRef first = seen.putIfAbsent(key, where);
        if (first != null) {
            diagnostics.add(Diagnostic.error(where, context.describe() + ": defined twice; the first definition, at "
                    + first + ", is analysed and this one is left out"));
            return false;
        }
        return true;
    }

    /** Adds a converted object: a Namespace, Service, NetworkPolicy, controller Workload or pod. */
    void add(Object object) {
        if (object instanceof Namespace namespace) {
            namespaces.add(namespace);
        } else if (object instanceof Service service) {
            services.add(service);
        } else if (object instanceof NetworkPolicy policy) {
            policies.add(policy);
        } else if (object instanceof Workload workload) {
            addController(workload);
        } else if (object instanceof WorkloadConverter.PodEntry pod) {
            addPod(pod.owner(), pod.podName(), pod.template(), pod.annotations(), pod.source());
        } else {
            throw new IllegalArgumentException("Not a cluster object: " + object);
        }
    }

    private void addController(Workload workload) {
        controllers.put(workload.id(), workload);
        if (!ownedPods.containsKey(workload.id())) {
            order.add(workload.id());
        }
    }

    /** A pod that belongs to a controller, or a bare pod that is its own workload. */
    private void addPod(WorkloadId owner, String podName, PodTemplate template, TreeMap<String, String> annotations,
            SourceRef source) {
        OwnedPods pods = ownedPods.get(owner);
        if (pods == null) {
            pods = new OwnedPods();
            pods.source = source;
            pods.annotations = annotations;
            ownedPods.put(owner, pods);
            if (!controllers.containsKey(owner)) {
                order.add(owner);
            }
        }
        pods.podNames.add(podName);
        for (PodTemplate known : pods.templates) {
            if (sameForPolicy(known, template)) {
                return;
            }
        }
        if (!pods.templates.isEmpty()) {
            diagnostics.add(Diagnostic.warning(source, "Pod " + owner.namespace() + "/" + podName + ": its labels or"
                    + " named ports differ from other pods of " + owner + "; each variant is analysed and "
                    + owner + " shows the connections of any of its pods"));
        }
        pods.templates.add(template);
    }

    private static boolean sameForPolicy(PodTemplate a, PodTemplate b) {
        return a.labels().equals(b.labels()) && a.ports().equals(b.ports()) && a.hostNetwork() == b.hostNetwork();
    }

    Cluster build() {
        List<Workload> workloads = new ArrayList<>();
        for (WorkloadId id : order) {
            Workload controller = controllers.get(id);
            if (controller != null) {
                // pods read next to their controller are its instances; its template speaks for them
                workloads.add(controller);
                continue;
            }
            OwnedPods pods = ownedPods.get(id);
            workloads.add(new Workload(id, pods.annotations, pods.templates, pods.podNames.size(), pods.source));
        }
        return new Cluster(namespaces, workloads, services, policies);
    }
}
