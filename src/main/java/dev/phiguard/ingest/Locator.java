package dev.phiguard.ingest;

import dev.phiguard.model.SourceRef;

/** Finds where a field of an object was written. */
public interface Locator {

    /** The position of the field's value, or of its nearest written ancestor when the field is absent. */
    SourceRef locate(FieldPath path);

    /** The position of the key that names the field; the value's position when keys have none. */
    default SourceRef locateKey(FieldPath path) {
        return locate(path);
    }

    /** For objects that have no text: every field is at the object's reference. */
    static Locator fixed(SourceRef where) {
        return path -> where;
    }

    /** A locator for the part of a document under {@code prefix}, such as one item of a List. */
    default Locator under(FieldPath prefix) {
        Locator outer = this;
        return new Locator() {
            @Override
            public SourceRef locate(FieldPath path) {
                return outer.locate(prefix.concat(path));
            }

            @Override
            public SourceRef locateKey(FieldPath path) {
                return outer.locateKey(prefix.concat(path));
            }
        };
    }
}
