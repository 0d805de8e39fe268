package dev.phiguard.ingest;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Resolves plain scalars the way kubectl does (its YAML reader follows YAML 1.1): {@code yes},
 * {@code on} and {@code y} are booleans, {@code 0755} is octal, {@code 0x50} is hexadecimal,
 * {@code ~} is null. Quoted scalars are always strings. Reading a manifest with YAML 1.2 rules
 * instead would accept values the API server rejects and give others another meaning.
 */
final class KubectlSchema implements Schema {
    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
    static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> FALSE = Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off",
            "Off", "OFF");
    private static final Pattern INT = Pattern.compile(
            "[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|0|[1-9][0-9_]*)");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    @Override
    public ScalarResolver getScalarResolver() {
        return (value, implicit) -> {
            if (!implicit) {
                return Tag.STR;
            }
            if (NULLS.contains(value)) {
                return Tag.NULL;
            }
            if (TRUE.contains(value) || FALSE.contains(value)) {
                return Tag.BOOL;
            }
            if (INT.matcher(value).matches()) {
                return Tag.INT;
            }
            if (FLOAT.matcher(value).matches()) {
                return Tag.FLOAT;
            }
            return Tag.STR;
        };
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors() {
        return Map.of();
    }
}
