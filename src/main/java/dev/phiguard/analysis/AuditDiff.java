package dev.phiguard.analysis;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.model.Severity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The findings a change makes appear and disappear, matched by their stable ids, between two
 * audits with the same profile. Each list keeps the audit's order: most severe first, then by
 * control, namespace and message.
 *
 * @param appeared findings of {@code after} that {@code before} does not have: what the change introduces
 * @param disappeared findings of {@code before} that {@code after} does not have: what the change resolves
 * @param remaining findings both have, as {@code after} reports them
 */
public record AuditDiff(AuditResult before, AuditResult after, List<Finding> appeared, List<Finding> disappeared,
        List<Finding> remaining) {

    public AuditDiff {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        appeared = List.copyOf(appeared);
        disappeared = List.copyOf(disappeared);
        remaining = List.copyOf(remaining);
    }

    public static AuditDiff between(AuditResult before, AuditResult after) {
        Map<String, Finding> wasFound = byId(before);
        Map<String, Finding> isFound = byId(after);
        return new AuditDiff(before, after,
                after.findings().stream().filter(finding -> !wasFound.containsKey(finding.id())).toList(),
                before.findings().stream().filter(finding -> !isFound.containsKey(finding.id())).toList(),
                after.findings().stream().filter(finding -> wasFound.containsKey(finding.id())).toList());
    }

    /** The threshold from which a new finding fails the change: the {@code after} audit's. */
    public Optional<Severity> failOn() {
        return after.failOn();
    }

    /** New findings at or above the threshold. */
    public List<Finding> failing() {
        return failOn().map(threshold -> appeared.stream().filter(f -> f.severity().atLeast(threshold)).toList())
                .orElse(List.of());
    }

    /** True when the change introduces a finding at or above the threshold. */
    public boolean failed() {
        return !failing().isEmpty();
    }

    /** True when the same findings are reported before and after. */
    public boolean isEmpty() {
        return appeared.isEmpty() && disappeared.isEmpty();
    }

    /** The ids of findings of one list, for comparisons. */
    public static Set<String> ids(List<Finding> findings) {
        return findings.stream().map(Finding::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static Map<String, Finding> byId(AuditResult result) {
        return result.findings().stream().collect(Collectors.toMap(Finding::id, Function.identity(), (a, b) -> a));
    }
}
