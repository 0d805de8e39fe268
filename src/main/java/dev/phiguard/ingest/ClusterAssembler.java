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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects converted objects into a cluster. A second object with the kind, namespace and name
 * of one read from the same command-line path is an error; from a later path it replaces the
 * first, as applying the paths in order would (so a folder of fixes can be audited on top of
 * the manifests it fixes). Pods one controller owns are gathered into that controller's workload.
 */
final class ClusterAssembler {
    private final List<Diagnostic> diagnostics;
    /** Every object by kind/namespace/name, in the order first read. */
    private final Map<String, Entry> objects = new LinkedHashMap<>();

    private record Entry(Object object, SourceRef source, int pathIndex) {
    }

    ClusterAssembler(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** What tells an object apart from the others of the cluster: two objects under one key are one defined twice. */
    static String key(String kind, String namespace, String name) {
        return kind + " " + namespace + "/" + name;
    }

    /**
     * Adds a converted object (a Namespace, Service, NetworkPolicy, controller Workload or pod)
     * read from the command-line path at {@code pathIndex}, under its {@link #key}; false, with an
     * error, when it duplicates an object of the same path.
     */
    boolean add(String key, ObjectContext context, Object object, SourceRef where, int pathIndex) {
        Entry added = new Entry(object, where, pathIndex);
        // one lookup for the object first defined here, which nearly every object is
        Entry first = objects.putIfAbsent(key, added);
        if (first == null) {
            return true;
        }
        if (first.pathIndex() >= pathIndex) {
            diagnostics.add(Diagnostic.error(where, context.describe() + ": defined twice; the first definition, at "
                    + first.source() + ", is analysed and this one is left out"));
            return false;
        }
        diagnostics.add(Diagnostic.warning(where, context.describe() + ": replaces the definition at "
                + first.source() + " (a later path wins, as when applying them in order)"));
        objects.put(key, added);
        return true;
    }

    /** Pods of one owner as read so far. */
    private static final class OwnedPods {
        final List<PodTemplate> templates = new ArrayList<>();
        int pods;
        SourceRef source;
        TreeMap<String, String> annotations;
    }

    Cluster build() {
        List<Namespace> namespaces = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<NetworkPolicy> policies = new ArrayList<>();
        Map<WorkloadId, Workload> controllers = new LinkedHashMap<>();
        Map<WorkloadId, OwnedPods> owned = new LinkedHashMap<>();
        // workloads and owner groups in input order, so output and classes are stable
        List<WorkloadId> order = new ArrayList<>();
        for (Entry entry : objects.values()) {
            Object object = entry.object();
            if (object instanceof Namespace namespace) {
                namespaces.add(namespace);
            } else if (object instanceof Service service) {
                services.add(service);
            } else if (object instanceof NetworkPolicy policy) {
                policies.add(policy);
            } else if (object instanceof Workload workload) {
                controllers.put(workload.id(), workload);
                if (!owned.containsKey(workload.id())) {
                    order.add(workload.id());
                }
            } else if (object instanceof WorkloadConverter.PodEntry pod) {
                OwnedPods pods = owned.get(pod.owner());
                if (pods == null) {
                    pods = new OwnedPods();
                    pods.source = pod.source();
                    pods.annotations = pod.annotations();
                    owned.put(pod.owner(), pods);
                    if (!controllers.containsKey(pod.owner())) {
                        order.add(pod.owner());
                    }
                }
                addVariant(pods, pod);
            } else {
                throw new IllegalArgumentException("Not a cluster object: " + object);
            }
        }
        List<Workload> workloads = new ArrayList<>();
        for (WorkloadId id : order) {
            Workload controller = controllers.get(id);
            if (controller != null) {
                // pods read next to their controller are its instances; its template speaks for them
                workloads.add(controller);
                continue;
            }
            OwnedPods pods = owned.get(id);
            workloads.add(new Workload(id, pods.annotations, pods.templates, pods.pods, pods.source));
        }
        return new Cluster(namespaces, workloads, services, policies);
    }

    private void addVariant(OwnedPods pods, WorkloadConverter.PodEntry pod) {
        pods.pods++;
        for (PodTemplate known : pods.templates) {
            if (sameForPolicy(known, pod.template())) {
                return;
            }
        }
        if (!pods.templates.isEmpty()) {
            WorkloadId owner = pod.owner();
            diagnostics.add(Diagnostic.warning(pod.source(), "Pod " + owner.namespace() + "/" + pod.podName()
                    + ": its labels or named ports differ from other pods of " + owner + "; each variant is analysed"
                    + " and " + owner + " shows the connections of any of its pods"));
        }
        pods.templates.add(pod.template());
    }

    private static boolean sameForPolicy(PodTemplate a, PodTemplate b) {
        return a.labels().equals(b.labels()) && a.ports().equals(b.ports()) && a.hostNetwork() == b.hostNetwork();
    }
}
