package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads Kubernetes manifests (files, folders, standard input; multi-document YAML or JSON; List
 * kinds) into a cluster snapshot, with a diagnostic for every problem. A bad object never stops
 * the others from being read, and a YAML syntax error loses only the rest of its file.
 */
public final class ManifestReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int MAX_CODE_POINTS = 512 * 1024 * 1024;

    private static final Set<String> CORE = Set.of("");
    private static final Set<String> APPS = Set.of("apps", "extensions");
    private static final Set<String> BATCH = Set.of("batch");
    private static final Set<String> NETWORKING = Set.of("networking.k8s.io", "extensions");
    private static final Set<String> ANALYSED_KINDS = Set.of("Pod", "Namespace", "Service", "ReplicationController",
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "NetworkPolicy");

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final ClusterAssembler assembler = new ClusterAssembler(diagnostics);
    private final TreeMap<String, Integer> skippedKinds = new TreeMap<>();
    private final List<String> rejected = new ArrayList<>();
    private int filesRead;
    private int objectsRead;

    private ManifestReader() {
    }

    /**
     * Reads every path: a file, a folder (searched recursively for .yaml, .yml and .json files)
     * or {@code -} for {@code stdin}.
     */
    public static IngestResult read(List<String> paths, InputStream stdin) {
        ManifestReader reader = new ManifestReader();
        for (InputFiles.Input input : InputFiles.expand(paths, reader.diagnostics)) {
            reader.readInput(input, stdin);
        }
        return reader.result();
    }

    /** Reads manifests from text, as if from a file of that name. */
    public static IngestResult readString(String displayName, String text) {
        ManifestReader reader = new ManifestReader();
        reader.filesRead++;
        reader.readText(displayName, text);
        return reader.result();
    }

    private IngestResult result() {
        return new IngestResult(assembler.build(), diagnostics, filesRead, objectsRead, skippedKinds, rejected);
    }

    private void readInput(InputFiles.Input input, InputStream stdin) {
        byte[] bytes;
        try {
            bytes = input.isStdin() ? readAll(stdin) : Files.readAllBytes(input.path());
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(SourceRef.of(input.displayName()), "cannot read: " + e.getMessage()));
            return;
        }
        filesRead++;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            diagnostics.add(Diagnostic.error(SourceRef.of(input.displayName()),
                    "not UTF-8 text; Kubernetes manifests must be UTF-8"));
            return;
        }
        readText(input.displayName(), text);
    }

    private static byte[] readAll(InputStream stream) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        stream.transferTo(buffer);
        return buffer.toByteArray();
    }

    private void readText(String file, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setAllowDuplicateKeys(true)
                .build();
        Iterator<Node> documents = new Compose(settings).composeAllFromString(text).iterator();
        while (true) {
            Node root;
            try {
                if (!documents.hasNext()) {
                    return;
                }
                root = documents.next();
            } catch (MarkedYamlEngineException e) {
                diagnostics.add(Diagnostic.error(position(file, e), "YAML syntax error: " + describe(e)
                        + "; the rest of this file is skipped"));
                return;
            } catch (YamlEngineException e) {
                diagnostics.add(Diagnostic.error(SourceRef.of(file), "YAML error: " + e.getMessage()
                        + "; the rest of this file is skipped"));
                return;
            }
            if (root == null) {
                continue;
            }
            YamlDocument document;
            try {
                document = YamlDocument.of(file, root);
            } catch (YamlDocument.RecursiveDocumentException e) {
                diagnostics.add(Diagnostic.error(e.where, e.getMessage() + "; this document is skipped"));
                continue;
            }
            readDocument(document);
        }
    }

    private static SourceRef position(String file, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
        return mark.map(m -> new SourceRef(file, m.getLine() + 1, m.getColumn() + 1)).orElse(SourceRef.of(file));
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        return context.isEmpty() ? problem : problem + " (" + context + ")";
    }

    private void readDocument(YamlDocument document) {
        JsonNode content = document.content();
        if (content.isNull() || content.isMissingNode()) {
            return;
        }
        if (!(content instanceof ObjectNode object)) {
            diagnostics.add(Diagnostic.warning(document.start(),
                    "not a Kubernetes object (the document is not a mapping); skipped"));
            return;
        }
        List<Diagnostic> structural = document.problems();
        String kind = text(object, "kind");
        if (kind.isEmpty()) {
            diagnostics.addAll(structural);
            diagnostics.add(Diagnostic.warning(document.start(), "not a Kubernetes object (no kind); skipped"));
            return;
        }
        if (kind.endsWith("List") && object.has("items")) {
            diagnostics.addAll(structural);
            readList(object, kind, document);
            return;
        }
        if (!structural.isEmpty()) {
            diagnostics.addAll(structural);
            objectsRead++;
            rejected.add(kind + " " + text(object.path("metadata"), "name"));
            return;
        }
        readObject(object, kind, text(object, "apiVersion"), document);
    }

    private void readList(ObjectNode list, String listKind, YamlDocument document) {
        JsonNode items = list.get("items");
        if (!items.isArray()) {
            diagnostics.add(Diagnostic.error(document.locate(FieldPath.of("items")),
                    listKind + ": items must be a list"));
            return;
        }
        // typed lists (PodList) may leave kind and apiVersion out of their items
        String impliedKind = listKind.equals("List") ? "" : listKind.substring(0, listKind.length() - "List".length());
        String impliedVersion = text(list, "apiVersion");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            Locator locator = document.under(FieldPath.of("items", i));
            if (!(item instanceof ObjectNode object)) {
                diagnostics.add(Diagnostic.warning(locator.locate(FieldPath.root()),
                        listKind + ": items[" + i + "] is not an object; skipped"));
                continue;
            }
            String kind = text(object, "kind").isEmpty() ? impliedKind : text(object, "kind");
            String apiVersion = text(object, "apiVersion").isEmpty() ? impliedVersion : text(object, "apiVersion");
            if (kind.isEmpty()) {
                diagnostics.add(Diagnostic.warning(locator.locate(FieldPath.root()),
                        listKind + ": items[" + i + "] has no kind; skipped"));
                continue;
            }
            readObject(object, kind, apiVersion, locator);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The fabric8 class for a kind phiguard analyses, when the API group is the Kubernetes one. */
    private static Optional<Class<? extends HasMetadata>> modelClass(String kind, String apiVersion) {
        String group = group(apiVersion);
        Class<? extends HasMetadata> type = switch (kind) {
            case "Pod" -> CORE.contains(group) ? Pod.class : null;
            case "Namespace" -> CORE.contains(group) ? io.fabric8.kubernetes.api.model.Namespace.class : null;
            case "Service" -> CORE.contains(group) ? io.fabric8.kubernetes.api.model.Service.class : null;
            case "ReplicationController" -> CORE.contains(group) ? ReplicationController.class : null;
            case "Deployment" -> APPS.contains(group) ? Deployment.class : null;
            case "StatefulSet" -> APPS.contains(group) ? StatefulSet.class : null;
            case "DaemonSet" -> APPS.contains(group) ? DaemonSet.class : null;
            case "ReplicaSet" -> APPS.contains(group) ? ReplicaSet.class : null;
            case "Job" -> BATCH.contains(group) ? Job.class : null;
            case "CronJob" -> BATCH.contains(group) ? CronJob.class : null;
            case "NetworkPolicy" -> NETWORKING.contains(group)
                    ? io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class : null;
            default -> null;
        };
        return Optional.ofNullable(type);
    }

    private void readObject(ObjectNode json, String kind, String apiVersion, Locator locator) {
        objectsRead++;
        Optional<Class<? extends HasMetadata>> type = modelClass(kind, apiVersion);
        if (type.isEmpty()) {
            // a kind phiguard knows under another API group (Calico's NetworkPolicy) is named with its group
            skippedKinds.merge(ANALYSED_KINDS.contains(kind) ? kind + " (" + apiVersion + ")" : kind, 1,
                    Integer::sum);
            return;
        }
        HasMetadata object;
        try {
            object = MAPPER.treeToValue(json, type.get());
        } catch (JsonMappingException e) {
            FieldPath path = pathOf(e);
            String name = text(json.path("metadata"), "name");
            String namespace = text(json.path("metadata"), "namespace");
            String who = kind + " " + (namespace.isEmpty() || kind.equals("Namespace") ? "" : namespace + "/")
                    + (name.isEmpty() ? "(unnamed)" : name);
            diagnostics.add(Diagnostic.error(locator.locate(path), who + ": " + path + ": " + typeProblem(e)));
            rejected.add(who);
            return;
        } catch (IOException | IllegalArgumentException e) {
            diagnostics.add(Diagnostic.error(locator.locate(FieldPath.root()), kind + ": cannot be read: "
                    + e.getMessage()));
            return;
        }
        ObjectMeta metadata = object.getMetadata() == null ? new ObjectMeta() : object.getMetadata();
        boolean clusterScoped = kind.equals("Namespace");
        String namespace = clusterScoped ? "" : Optional.ofNullable(metadata.getNamespace())
                .filter(value -> !value.isEmpty()).orElse("default");
        String name = metadata.getName() == null ? "" : metadata.getName();
        if (name.isEmpty()) {
            String described = kind + " " + (clusterScoped ? "" : namespace + "/") + "(unnamed)";
            diagnostics.add(Diagnostic.error(locator.locate(FieldPath.of("metadata")),
                    described + ": metadata.name is required"));
            rejected.add(described);
            return;
        }
        ObjectContext context = new ObjectContext(kind, namespace, name, locator, diagnostics);
        SourceRef where = locator.locate(FieldPath.root());
        if (!assembler.claim(context, where)) {
            return;
        }
        convert(object, json, context, metadata, where);
        if (context.failed()) {
            rejected.add(context.describe());
        }
    }

    private void convert(HasMetadata object, ObjectNode json, ObjectContext context, ObjectMeta metadata,
            SourceRef where) {
        if (object instanceof io.fabric8.kubernetes.api.model.Namespace namespace) {
            ObjectConverter.namespace(namespace, context).ifPresent(assembler::add);
        } else if (object instanceof io.fabric8.kubernetes.api.model.Service service) {
            ObjectConverter.service(service, context).ifPresent(assembler::add);
        } else if (object instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy) {
            ObjectConverter.networkPolicy(policy, context).ifPresent(assembler::add);
        } else if (object instanceof Pod pod) {
            Optional<PodTemplate> template = ObjectConverter.podTemplate(metadata, pod.getSpec(), FieldPath.root(),
                    context);
            if (template.isPresent() && !context.failed()) {
                assembler.addPod(podOwner(json, context), context.name(), template.get(),
                        ObjectConverter.annotations(metadata), where);
            }
        } else {
            controller(object, context).ifPresent(assembler::addController);
        }
    }

    /**
     * The workload a pod belongs to: its controlling owner, or the pod itself. Read from the JSON
     * because fabric8's OwnerReference reports its own class name when kind is absent.
     */
    private static WorkloadId podOwner(ObjectNode json, ObjectContext context) {
        JsonNode owners = json.path("metadata").path("ownerReferences");
        for (int i = 0; i < owners.size(); i++) {
            JsonNode owner = owners.get(i);
            String kind = text(owner, "kind");
            if (!owner.path("controller").asBoolean(false) || kind.equals("Node")) {
                continue;
            }
            String name = text(owner, "name");
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

    private static Optional<Workload> controller(HasMetadata object, ObjectContext context) {
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
            throw new IllegalStateException("Not a workload kind: " + object.getKind());
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

    private static FieldPath pathOf(JsonMappingException e) {
        List<Object> segments = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                segments.add(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                segments.add(reference.getIndex());
            }
        }
        return FieldPath.of(segments.toArray());
    }

    private static String typeProblem(JsonMappingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            return "wrong type of value, expected " + describeType(mismatch.getTargetType());
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String describeType(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        return "a " + type.getSimpleName() + " object";
    }
}
