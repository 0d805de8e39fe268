package dev.phiguard.analysis;

import dev.phiguard.model.SourceRef;
import java.util.Comparator;
import java.util.Objects;

/**
 * One lint finding: the check, the object it concerns ({@code NetworkPolicy ns/name}, a workload,
 * a Service), where it was written and what is wrong.
 */
public record LintFinding(LintCheck check, String object, SourceRef source, String message) {
    /** By check, then object, then message: the order every output prints. */
    public static final Comparator<LintFinding> ORDER = Comparator.comparing(LintFinding::check)
            .thenComparing(LintFinding::object).thenComparing(LintFinding::message);

    public LintFinding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }
}
