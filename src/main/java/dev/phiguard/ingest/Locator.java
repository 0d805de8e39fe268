package dev.phiguard.ingest;

import dev.phiguard.model.SourceRef;

/** Finds where a field of an object was written. */
@FunctionalInterface
public interface Locator {

    /** The position of the field, or of its nearest written ancestor when the field is absent. */
    SourceRef locate(FieldPath path);

    /** For objects that have no text: every field is at the object's reference. */
    static Locator fixed(SourceRef where) {
        return path -> where;
    }
}
