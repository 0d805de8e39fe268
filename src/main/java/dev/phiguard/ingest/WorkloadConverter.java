package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Turns workload objects (controllers and pods) into phiguard's model through their pod templates. */
final class WorkloadConverter {
    private WorkloadConverter() {
    }

    /** A pod as read: the workload it belongs to, and what NetworkPolicy sees of it. */
    record PodEntry(WorkloadId owner, String podName, PodTemplate template, TreeMap<String, String> annotations,
            SourceRef source) {
    }

    static Optional<PodEntry> pod(Pod pod, JsonNode json, ObjectContext context) {
        ObjectMeta metadata = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Optional<PodTemplate> template = ObjectConverter.podTemplate(metadata, pod.getSpec(), FieldPath.root(),
                context);
        if (template.isEmpty() || context.failed()) {
            return Optional.empty();
        }
        return Optional.of(new PodEntry(podOwner(json, context), context.name(), template.get(),
                ObjectConverter.annotations(metadata), context.locate(FieldPath.root())));
    }

    /**
     * The workload a pod belongs to: its controlling owner, or the pod itself. Read from the JSON
     * because fabric8's OwnerReference reports its own class name when kind is absent.
     */
    private static WorkloadId podOwner(JsonNode json, ObjectContext context) {
        JsonNode owners = json.path("metadata").path("ownerReferences");
        for (int i = 0; i < owners.size(); i++) {
            JsonNode owner = owners.get(i);
            String kind = owner.path("kind").asText("");
            if (!owner.path("controller").asBoolean(false) || kind.equals("Node")) {
                continue;
            }
            String name = owner.path("name").asText("");
            if (name.isEmpty()) {
                context.warning(FieldPath.of("metadata", "ownerReferences", i),
                        "the controlling owner has no name; the pod is analysed on its own", null);
                break;
            }
            if (kind.isEmpty()) {
                context.warning(FieldPath.of("metadata", "ownerReferences", i),
                        "the controlling owner has no kind; it is shown as [Pod]", name);
                kind = "Pod";
            }
            return new WorkloadId(context.namespace(), name, kind);
        }
        return new WorkloadId(context.namespace(), context.name(), "Pod");
    }

    /** A Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob. */
    static Optional<Workload> controller(HasMetadata object, ObjectContext context) {
        PodTemplateSpec template;
        FieldPath templatePath = FieldPath.of("spec", "template");
        Integer replicas = 1;
        if (object instanceof Deployment deployment) {
            template = deployment.getSpec() == null ? null : deployment.getSpec().getTemplate();
            replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        } else if (object instanceof StatefulSet statefulSet) {
            template = statefulSet.getSpec() == null ? null : statefulSet.getSpec().getTemplate();
            replicas = statefulSet.getSpec() == null ? null : statefulSet.getSpec().getReplicas();
        } else if (object instanceof DaemonSet daemonSet) {
            template = daemonSet.getSpec() == null ? null : daemonSet.getSpec().getTemplate();
        } else if (object instanceof ReplicaSet replicaSet) {
            template = replicaSet.getSpec() == null ? null : replicaSet.getSpec().getTemplate();
            replicas = replicaSet.getSpec() == null ? null : replicaSet.getSpec().getReplicas();
        } else if (object instanceof ReplicationController controller) {
            template = controller.getSpec() == null ? null : controller.getSpec().getTemplate();
            replicas = controller.getSpec() == null ? null : controller.getSpec().getReplicas();
        } else if (object instanceof Job job) {
            template = job.getSpec() == null ? null : job.getSpec().getTemplate();
            replicas = job.getSpec() == null ? null : job.getSpec().getParallelism();
        } else if (object instanceof CronJob cronJob) {
            templatePath = FieldPath.of("spec", "jobTemplate", "spec", "template");
            template = cronJob.getSpec() == null || cronJob.getSpec().getJobTemplate() == null
                    || cronJob.getSpec().getJobTemplate().getSpec() == null
                    ? null : cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
        } else {
            throw new IllegalArgumentException("Not a workload kind: " + object.getClass().getSimpleName());
        }
        if (template == null) {
            context.error(templatePath, "a pod template is required", null);
            return Optional.empty();
        }
        int count = replicas == null ? 1 : replicas;
        if (count < 0) {
            context.error(FieldPath.of("spec", object instanceof Job ? "parallelism" : "replicas"),
                    "must be greater than or equal to 0", count);
        }
        Optional<PodTemplate> podTemplate = ObjectConverter.podTemplate(template.getMetadata(), template.getSpec(),
                templatePath, context);
        if (podTemplate.isEmpty() || context.failed()) {
            return Optional.empty();
        }
        WorkloadId id = new WorkloadId(context.namespace(), context.name(), context.kind());
        return Optional.of(new Workload(id, ObjectConverter.annotations(object.getMetadata()),
                List.of(podTemplate.get()), Math.max(count, 0), context.locate(FieldPath.root())));
    }
}
