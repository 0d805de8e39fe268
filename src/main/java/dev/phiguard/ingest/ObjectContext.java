package dev.phiguard.ingest;

import dev.phiguard.model.SourceRef;
import java.util.List;

/**
 * The object being converted, for diagnostics that name it: {@code Kind namespace/name: field:
 * what is wrong ('bad value')}. Remembers whether an error was reported, which leaves the object
 * out.
 */
final class ObjectContext {
    private final String kind;
    private final String namespace;
    private final String name;
    private final Locator locator;
    private final List<Diagnostic> sink;
    private boolean failed;

    ObjectContext(String kind, String namespace, String name, Locator locator, List<Diagnostic> sink) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.locator = locator;
        this.sink = sink;
    }

    String kind() {
        return kind;
    }

    String namespace() {
        return namespace;
    }

    String name() {
        return name;
    }

    /** {@code Kind namespace/name}, or {@code Kind name} for cluster-scoped kinds. */
    String describe() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }

    SourceRef locate(FieldPath path) {
        return locator.locate(path);
    }

    Locator locator() {
        return locator;
    }

    boolean failed() {
        return failed;
    }

    /** An error at the field's value; the object is left out. */
    void error(FieldPath field, String problem, Object badValue) {
        errorAt(locator.locate(field), field, problem, badValue);
    }

    /** An error at the key naming the field, for problems with the key itself. */
    void errorAtKey(FieldPath field, String problem, Object badValue) {
        errorAt(locator.locateKey(field), field, problem, badValue);
    }

    /** An error at a position found otherwise. */
    void errorAt(SourceRef where, FieldPath field, String problem, Object badValue) {
        failed = true;
        sink.add(Diagnostic.error(where, format(field, problem, badValue)));
    }

    void warning(FieldPath field, String problem, Object badValue) {
        sink.add(Diagnostic.warning(locator.locate(field), format(field, problem, badValue)));
    }

    private String format(FieldPath field, String problem, Object badValue) {
        StringBuilder message = new StringBuilder(describe()).append(": ");
        if (!field.isRoot()) {
            message.append(field).append(": ");
        }
        message.append(problem);
        if (badValue != null) {
            message.append(" ('").append(badValue).append("')");
        }
        return message.toString();
    }
}
