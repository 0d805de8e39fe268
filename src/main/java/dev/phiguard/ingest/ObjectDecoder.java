package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes the JSON form of an object into fabric8's model class for its kind, as strictly as
 * the API server: a string where a number belongs, or a number where a string belongs, is an
 * error rather than silently converted.
 */
final class ObjectDecoder {
    private static final Set<String> CORE = Set.of("");
    private static final Set<String> APPS = Set.of("apps", "extensions");
    private static final Set<String> BATCH = Set.of("batch");
    private static final Set<String> NETWORKING = Set.of("networking.k8s.io", "extensions");

    /** The kinds phiguard analyses, with the apiVersion assumed when an object leaves it out. */
    static final Map<String, String> DEFAULT_API_VERSIONS = Map.ofEntries(
            Map.entry("Pod", "v1"), Map.entry("Namespace", "v1"), Map.entry("Service", "v1"),
            Map.entry("ReplicationController", "v1"), Map.entry("Deployment", "apps/v1"),
            Map.entry("StatefulSet", "apps/v1"), Map.entry("DaemonSet", "apps/v1"),
            Map.entry("ReplicaSet", "apps/v1"), Map.entry("Job", "batch/v1"), Map.entry("CronJob", "batch/v1"),
            Map.entry("NetworkPolicy", "networking.k8s.io/v1"));

    private static final ObjectMapper MAPPER = strictMapper();

    private ObjectDecoder() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    static boolean isAnalysedKind(String kind) {
        return DEFAULT_API_VERSIONS.containsKey(kind);
    }

    /** The fabric8 class for a kind phiguard analyses, when the API group is the Kubernetes one. */
    static Optional<Class<? extends HasMetadata>> modelClass(String kind, String apiVersion) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
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

    /** Decodes, or reports the first value of the wrong type in {@code context} and returns empty. */
    static <T extends HasMetadata> Optional<T> decode(JsonNode json, Class<T> type, ObjectContext context) {
        try {
            return Optional.of(MAPPER.treeToValue(json, type));
        } catch (JsonMappingException e) {
            FieldPath path = pathOf(e);
            JsonNode value = valueAt(json, path);
            context.error(path, typeProblem(e), value == null || value.isContainerNode() ? null : value.asText());
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            context.error(FieldPath.root(), "cannot be read: " + firstLine(e.getMessage()), null);
            return Optional.empty();
        }
    }

    /** Decodes a part of an object found at {@code at}, reporting a wrong type there. */
    static <T> Optional<T> decodeValue(JsonNode json, Class<T> type, FieldPath at, ObjectContext context) {
        try {
            return Optional.of(MAPPER.treeToValue(json, type));
        } catch (JsonMappingException e) {
            FieldPath path = pathOf(e);
            JsonNode value = valueAt(json, path);
            context.error(at.concat(path), typeProblem(e),
                    value == null || value.isContainerNode() ? null : value.asText());
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            context.error(at, "cannot be read: " + firstLine(e.getMessage()), null);
            return Optional.empty();
        }
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

    private static JsonNode valueAt(JsonNode json, FieldPath path) {
        JsonNode node = json;
        for (Object segment : path.segments()) {
            node = segment instanceof Integer index ? node.get(index) : node.get(segment.toString());
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static String typeProblem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            return "wrong type of value, expected " + describeType(mismatch.getTargetType());
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException instantiation
                && instantiation.getType() != null) {
            return "wrong type of value, expected " + describeType(instantiation.getType().getRawClass());
        }
        return "wrong type of value";
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
        if (type == IntOrString.class) {
            return "an integer or a name";
        }
        if (type == Quantity.class) {
            return "a quantity such as 100m or 1Gi";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a mapping";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown problem";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
