package dev.phiguard.compliance;

import dev.phiguard.model.Severity;
import java.util.List;
import java.util.Objects;

/**
 * What a control is: a stable id (never reused), a short name, a title, the default severity of
 * its findings, what it cites, why it matters, and whether it needs a live cluster.
 */
public record ControlInfo(String id, String name, String title, Severity severity, List<Citation> citations,
        String rationale, boolean needsCluster) {

    public ControlInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        citations = List.copyOf(citations);
        Objects.requireNonNull(rationale, "rationale");
    }
}
