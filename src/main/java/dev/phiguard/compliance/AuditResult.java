package dev.phiguard.compliance;

import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an audit: every control's result in catalogue order, the PHI workloads and why
 * they count, and the threshold at which findings fail the audit.
 *
 * @param phiWorkloads each PHI workload with the reason it holds PHI, in input order
 * @param scope what was audited, counted: namespaces, workloads, policies
 */
public record AuditResult(Profile profile, List<ControlResult> controls, Map<WorkloadId, String> phiWorkloads,
        Scope scope, Optional<Severity> failOn) {

    /** What an audit looked at. */
    public record Scope(int namespaces, int workloads, int policies, int phiNamespaces, int phiWorkloads) {
    }

    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::controlId).thenComparing(Finding::namespace).thenComparing(Finding::message);

    public AuditResult {
        Objects.requireNonNull(profile, "profile");
        controls = List.copyOf(controls);
        phiWorkloads = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phiWorkloads));
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(failOn, "failOn");
    }

    /** Every finding, most severe first, then by control, namespace and message. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        controls.forEach(result -> all.addAll(result.findings()));
        all.sort(ORDER);
        return all;
    }

    /** Findings at or above the failure threshold. */
    public List<Finding> failing() {
        return failOn.map(threshold -> findings().stream().filter(f -> f.severity().atLeast(threshold)).toList())
                .orElse(List.of());
    }

    public boolean failed() {
        return !failing().isEmpty();
    }

    public Map<Severity, Integer> countBySeverity() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0);
        }
        findings().forEach(finding -> counts.merge(finding.severity(), 1, Integer::sum));
        return counts;
    }

    public long count(ControlResult.Status status) {
        return controls.stream().filter(result -> result.status() == status).count();
    }

    /** The control a finding belongs to. */
    public ControlInfo control(Finding finding) {
        return controls.stream().map(ControlResult::control).filter(c -> c.id().equals(finding.controlId()))
                .findFirst().orElseThrow();
    }

    /**
     * Every policy the remediations propose, once each by namespace and name, in the order of the
     * findings that need them.
     */
    public List<NetworkPolicy> fixes() {
        Map<String, NetworkPolicy> byName = new LinkedHashMap<>();
        for (Finding finding : findings()) {
            for (NetworkPolicy policy : finding.remediation().policies()) {
                byName.putIfAbsent(policy.namespacedName(), policy);
            }
        }
        return List.copyOf(byName.values());
    }
}
