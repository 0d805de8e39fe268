package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.model.SourceRef;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML document: its content as a JSON tree (what the API server would receive) and the
 * positions of its nodes, so that any field path can be traced back to its line and column.
 */
final class YamlDocument implements Locator {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String file;
    /** Lines of the file before the text this document was parsed from, when that text was a piece of the file. */
    private final int lineOffset;
    private final Node root;
    private final JsonNode content;
    private final List<Problem> problems = new ArrayList<>();

    /** A structural problem at a field: the object that holds it is invalid. */
    record Problem(FieldPath path, SourceRef where, String message) {
    }

    private YamlDocument(String file, int lineOffset, Node root) {
        this.file = file;
        this.lineOffset = lineOffset;
        this.root = root;
        this.content = toJson(root, FieldPath.root());
    }

    /** A document parsed from its file's text, or from a piece of it that starts after {@code lineOffset} lines. */
    static YamlDocument of(String file, int lineOffset, Node root) {
        return new YamlDocument(file, lineOffset, root);
    }

    JsonNode content() {
        return content;
    }

    /** Problems in the document's structure, such as a key written twice. */
    List<Problem> problems() {
        return List.copyOf(problems);
    }

    SourceRef start() {
        return position(root);
    }

    @Override
    public SourceRef locate(FieldPath path) {
        Node node = root;
        for (Object segment : path.segments()) {
            Optional<Node> next = child(node, segment);
            if (next.isEmpty()) {
                break;
            }
            node = next.get();
        }
        return position(node);
    }

    @Override
    public SourceRef locateKey(FieldPath path) {
        if (path.isRoot()) {
            return position(root);
        }
        List<Object> segments = path.segments();
        Node parent = root;
        for (Object segment : segments.subList(0, segments.size() - 1)) {
            Optional<Node> next = child(parent, segment);
            if (next.isEmpty()) {
                return position(parent);
            }
            parent = next.get();
        }
        Optional<Node> key = keyNode(parent, segments.get(segments.size() - 1));
        return key.map(this::position).orElseGet(() -> locate(path));
    }

    private static Optional<Node> keyNode(Node node, Object segment) {
        String key = segment instanceof FieldPath.MapKey mapKey ? mapKey.key() : segment.toString();
        if (node instanceof MappingNode mapping && !(segment instanceof Integer)) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return Optional.of(tuple.getKeyNode());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Node> child(Node node, Object segment) {
        if (node instanceof MappingNode mapping && !(segment instanceof Integer)) {
            String key = segment instanceof FieldPath.MapKey mapKey ? mapKey.key() : segment.toString();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return Optional.of(tuple.getValueNode());
                }
            }
        }
        if (node instanceof SequenceNode sequence && segment instanceof Integer index
                && index >= 0 && index < sequence.getValue().size()) {
            return Optional.of(sequence.getValue().get(index));
        }
        return Optional.empty();
    }

    private SourceRef position(Node node) {
        Optional<Mark> mark = node.getStartMark();
        return mark.map(m -> new SourceRef(file, lineOffset + m.getLine() + 1, m.getColumn() + 1))
                .orElse(SourceRef.of(file));
    }

    /** Thrown for a document that refers to itself through an alias, which has no JSON form. */
    static final class RecursiveDocumentException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SourceRef where;

        RecursiveDocumentException(SourceRef where) {
            super("the document refers to itself through a YAML alias", null, false, false);
            this.where = where;
        }
    }

    private JsonNode toJson(Node node, FieldPath path) {
        if (node.isRecursive()) {
            throw new RecursiveDocumentException(position(node));
        }
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            int index = 0;
            for (Node item : sequence.getValue()) {
                array.add(toJson(item, path.index(index++)));
            }
            return array;
        }
        MappingNode mapping = (MappingNode) node;
        ObjectNode object = JSON.objectNode();
        List<NodeTuple> merges = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (isMergeKey(keyNode)) {
                merges.add(tuple);
                continue;
            }
            String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : keyNode.toString();
            if (object.has(key)) {
                problems.add(new Problem(path, position(keyNode), "mapping key \"" + key + "\" is written twice"));
                continue;
            }
            object.set(key, toJson(tuple.getValueNode(), path.child(key)));
        }
        // YAML 1.1 merge keys, which Kubernetes tooling honours: explicit keys win over merged ones
        for (NodeTuple merge : merges) {
            List<Node> sources = merge.getValueNode() instanceof SequenceNode sequence
                    ? sequence.getValue() : List.of(merge.getValueNode());
            for (Node source : sources) {
                if (toJson(source, path) instanceof ObjectNode merged) {
                    merged.fields().forEachRemaining(entry -> {
                        if (!object.has(entry.getKey())) {
                            object.set(entry.getKey(), entry.getValue());
                        }
                    });
                }
            }
        }
        return object;
    }

    private static boolean isMergeKey(Node keyNode) {
        return keyNode instanceof ScalarNode scalar && scalar.isPlain() && scalar.getValue().equals("<<");
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return JSON.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return JSON.booleanNode(KubectlSchema.TRUE.contains(value));
        }
        if (Tag.INT.equals(tag)) {
            try {
                BigInteger number = parseInteger(value);
                if (number.bitLength() < Integer.SIZE) {
                    return JSON.numberNode(number.intValue());
                }
                return number.bitLength() < Long.SIZE ? JSON.numberNode(number.longValue()) : JSON.numberNode(number);
            } catch (NumberFormatException e) {
                return JSON.textNode(value);
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            String number = value.replace("_", "");
            if (number.toLowerCase(java.util.Locale.ROOT).endsWith(".inf")) {
                return JSON.numberNode(number.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            }
            if (number.toLowerCase(java.util.Locale.ROOT).equals(".nan")) {
                return JSON.numberNode(Double.NaN);
            }
            try {
                return JSON.numberNode(Double.parseDouble(number));
            } catch (NumberFormatException e) {
                return JSON.textNode(value);
            }
        }
        return JSON.textNode(value);
    }

    private static BigInteger parseInteger(String text) {
        String value = text.replace("_", "");
        boolean negative = value.startsWith("-");
        if (negative || value.startsWith("+")) {
            value = value.substring(1);
        }
        BigInteger result;
        if (value.startsWith("0x")) {
            result = new BigInteger(value.substring(2), 16);
        } else if (value.startsWith("0b")) {
            result = new BigInteger(value.substring(2), 2);
        } else if (value.startsWith("0o")) {
            result = new BigInteger(value.substring(2), 8);
        } else if (value.length() > 1 && value.startsWith("0")) {
            result = new BigInteger(value.substring(1), 8);
        } else {
            result = new BigInteger(value);
        }
        return negative ? result.negate() : result;
    }
}
