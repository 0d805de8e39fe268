package dev.phiguard.report;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a cluster snapshot back as Kubernetes manifests: Namespaces, workloads through their
 * pod templates, NetworkPolicies. What phiguard reads from the result is the same snapshot.
 */
public final class ManifestYaml {
    private static final Dump DUMP = new Dump(DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(2)
            .setIndentWithIndicator(true)
            .build());

    private ManifestYaml() {
    }

    /** Every object of one namespace (its Namespace, workloads and policies) as one multi-document stream. */
    public static String namespace(Cluster cluster, Namespace namespace) {
        StringBuilder out = new StringBuilder();
        out.append("---\n").append(DUMP.dumpToString(namespace(namespace)));
        for (Workload workload : cluster.workloads()) {
            if (workload.namespace().equals(namespace.name())) {
                out.append("---\n").append(DUMP.dumpToString(workload(workload)));
            }
        }
        for (NetworkPolicy policy : cluster.policies()) {
            if (policy.namespace().equals(namespace.name())) {
                out.append("---\n").append(NetworkPolicyYaml.write(policy));
            }
        }
        return out.toString();
    }

    private static Map<String, Object> namespace(Namespace namespace) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "v1");
        root.put("kind", "Namespace");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", namespace.name());
        metadata.put("labels", new LinkedHashMap<>(namespace.labels()));
        if (!namespace.annotations().isEmpty()) {
            metadata.put("annotations", new LinkedHashMap<>(namespace.annotations()));
        }
        root.put("metadata", metadata);
        return root;
    }

    private static Map<String, Object> workload(Workload workload) {
        String kind = workload.id().kind();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", switch (kind) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "apps/v1";
            case "Job", "CronJob" -> "batch/v1";
            case "Pod", "ReplicationController" -> "v1";
            default -> throw new IllegalArgumentException("Cannot write a workload of kind " + kind);
        });
        root.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", workload.id().name());
        metadata.put("namespace", workload.namespace());
        if (!workload.annotations().isEmpty()) {
            metadata.put("annotations", new LinkedHashMap<>(workload.annotations()));
        }
        root.put("metadata", metadata);
        PodTemplate template = workload.templates().get(0);
        Map<String, Object> podTemplate = podTemplate(template);
        if (kind.equals("Pod")) {
            metadata.put("labels", new LinkedHashMap<>(template.labels()));
            root.put("spec", podTemplate.get("spec"));
            return root;
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        switch (kind) {
            case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController" -> {
                spec.put("replicas", workload.replicas());
                spec.put("selector", Map.of("matchLabels", new LinkedHashMap<>(template.labels())));
                spec.put("template", podTemplate);
            }
            case "DaemonSet" -> {
                spec.put("selector", Map.of("matchLabels", new LinkedHashMap<>(template.labels())));
                spec.put("template", podTemplate);
            }
            case "Job" -> spec.put("template", podTemplate);
            case "CronJob" -> {
                spec.put("schedule", "0 3 * * *");
                spec.put("jobTemplate", Map.of("spec", Map.of("template", podTemplate)));
            }
            default -> throw new IllegalArgumentException("Cannot write a workload of kind " + kind);
        }
        root.put("spec", spec);
        return root;
    }

    private static Map<String, Object> podTemplate(PodTemplate template) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("labels", new LinkedHashMap<>(template.labels()));
        if (!template.annotations().isEmpty()) {
            metadata.put("annotations", new LinkedHashMap<>(template.annotations()));
        }
        List<Object> ports = new ArrayList<>();
        for (ContainerPort port : template.ports()) {
            Map<String, Object> item = new LinkedHashMap<>();
            if (port.isNamed()) {
                item.put("name", port.name());
            }
            item.put("containerPort", port.port());
            item.put("protocol", port.protocol().name());
            ports.add(item);
        }
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "main");
        container.put("image", "registry.example/app:1.0");
        if (!ports.isEmpty()) {
            container.put("ports", ports);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        if (template.hostNetwork()) {
            spec.put("hostNetwork", true);
        }
        spec.put("containers", List.of(container));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metadata", metadata);
        result.put("spec", spec);
        return result;
    }
}
