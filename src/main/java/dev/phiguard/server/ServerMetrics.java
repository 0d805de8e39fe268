package dev.phiguard.server;

import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.Controls;
import dev.phiguard.compliance.Finding;
import dev.phiguard.model.Severity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's state as Prometheus metrics, through Micrometer. The names are a contract (a
 * Grafana dashboard and alerts are written against them): {@code phiguard_findings{control,severity}},
 * {@code phiguard_phi_workloads}, {@code phiguard_phi_workloads_not_isolated},
 * {@code phiguard_phi_workloads_reachable_from_outside_zone}, {@code phiguard_policies},
 * {@code phiguard_evaluation_seconds} (a summary: {@code _count}, {@code _sum}, {@code _max}),
 * {@code phiguard_evaluation_phi_workloads_judged},
 * {@code phiguard_last_success_timestamp_seconds} and {@code phiguard_source_reachable}.
 * After a failed read the answer's numbers stay those of the last good answer, and only
 * {@code phiguard_source_reachable} drops to 0.
 */
public final class ServerMetrics {
    /** The exposition format {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicLong> findings = new ConcurrentHashMap<>();
    private final AtomicLong phiWorkloads = new AtomicLong();
    private final AtomicLong notIsolated = new AtomicLong();
    private final AtomicLong reachableFromOutside = new AtomicLong();
    private final AtomicLong policies = new AtomicLong();
    private final AtomicLong judged = new AtomicLong();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final AtomicLong sourceReachable = new AtomicLong();
    private final Timer evaluation;
    private long lastRecordedGeneration = -1;

    public ServerMetrics() {
        // every control is listed from the start, so that "no finding" is a 0 and not a missing series
        for (ControlInfo control : Controls.catalogue()) {
            findingsGauge(control.id(), control.severity());
        }
        gauge("phiguard.phi.workloads", "Workloads the profile says hold PHI", phiWorkloads);
        gauge("phiguard.phi.workloads.not.isolated",
                "PHI workloads that no NetworkPolicy isolates for ingress, for egress or both", notIsolated);
        gauge("phiguard.phi.workloads.reachable.from.outside.zone",
                "PHI workloads that a workload of a namespace without PHI, or an address outside the cluster, can"
                        + " connect to", reachableFromOutside);
        gauge("phiguard.policies", "NetworkPolicies in the snapshot", policies);
        Gauge.builder("phiguard.last.success.timestamp.seconds", lastSuccessMillis, millis -> millis.get() / 1000.0)
                .description("When the last successful evaluation finished, in seconds since the Unix epoch")
                .register(registry);
        gauge("phiguard.source.reachable",
                "1 when the last read of the manifests (or the cluster) succeeded, 0 when it failed", sourceReachable);
        gauge("phiguard.evaluation.phi.workloads.judged",
                "PHI workloads the last evaluation judged; the findings of the others were still true from the one"
                        + " before", judged);
        evaluation = Timer.builder("phiguard.evaluation")
                .description("Time to read, evaluate and audit a snapshot")
                .register(registry);
    }

    private void gauge(String name, String description, AtomicLong value) {
        Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
    }

    private AtomicLong findingsGauge(String control, Severity severity) {
        return findings.computeIfAbsent(control + "|" + severity.label(), key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("phiguard.findings", value, AtomicLong::get)
                    .description("Audit findings by control and severity")
                    .tag("control", control).tag("severity", severity.label())
                    .register(registry);
            return value;
        });
    }

    /** Takes the numbers of a new state. */
    public synchronized void update(LiveAudit.State state) {
        sourceReachable.set(state.problem().isEmpty() && state.answer().isPresent() ? 1 : 0);
        if (state.answer().isEmpty() || state.problem().isPresent() || state.generation() == lastRecordedGeneration) {
            return;
        }
        lastRecordedGeneration = state.generation();
        Evaluation answer = state.answer().get();
        Map<String, Long> counts = new HashMap<>();
        for (Finding finding : answer.audit().findings()) {
            findingsGauge(finding.controlId(), finding.severity());
            counts.merge(finding.controlId() + "|" + finding.severity().label(), 1L, Long::sum);
        }
        findings.forEach((key, value) -> value.set(counts.getOrDefault(key, 0L)));
        phiWorkloads.set(answer.posture().phiWorkloads());
        notIsolated.set(answer.posture().notIsolated());
        reachableFromOutside.set(answer.posture().reachableFromOutsideZone());
        policies.set(answer.input().cluster().policies().size());
        judged.set(answer.judged());
        lastSuccessMillis.set(answer.evaluatedAt().toEpochMilli());
        evaluation.record(answer.took());
    }

    /** The metrics in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }
}
