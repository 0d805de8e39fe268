package dev.phiguard.server;

import dev.phiguard.analysis.PhiPosture;
import dev.phiguard.compliance.AuditMemory;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.model.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One good answer: the snapshot read, the profile it was judged by, the audit, the connectivity
 * map and the PHI posture, with when it was computed and how long that took.
 *
 * @param profileSource where the profile came from, as reports name it
 * @param memory what the next evaluation, after a change, can take from this one's audit
 * @param judged how many PHI workloads this evaluation judged; the others' judgements were still true
 */
public record Evaluation(IngestResult input, Profile profile, String profileSource, AuditResult audit,
        ConnectivityMap map, PhiScope phi, PhiPosture posture, Instant evaluatedAt, Duration took,
        AuditMemory memory, int judged) {

    public Evaluation {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(profileSource, "profileSource");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(phi, "phi");
        Objects.requireNonNull(posture, "posture");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(memory, "memory");
    }

    /**
     * Audits and maps the snapshot with the engine's entry points; {@code started} and {@code now}
     * time it. The audit takes from the {@code earlier} evaluation the judgements the change since
     * cannot have altered.
     */
    static Evaluation of(IngestResult input, Profile profile, String profileSource, Instant started,
            Supplier<Instant> now, Optional<Evaluation> earlier) {
        Auditor.Audit audit = Auditor.audit(input.cluster(), profile, Runtime.getRuntime().availableProcessors(),
                earlier.map(Evaluation::memory));
        // without address lists in the profile, the audit's connectivity is the one to serve: no second index
        ConnectivityMap map = Auditor.boundaries(profile).isEmpty() ? audit.connectivity()
                : ConnectivityAnalyzer.analyze(input.cluster(), ConnectivityAnalyzer.Options.DEFAULT,
                        earlier.map(Evaluation::map));
        PhiScope phi = audit.phi();
        // the audit read every PHI workload's connections in: it knows which are reachable from outside
        PhiPosture posture = PhiPosture.of(input.cluster(), phi, audit.reachableFromOutsideZone()::contains);
        Instant finished = now.get();
        return new Evaluation(input, profile, profileSource, audit.result(), map, phi, posture, finished,
                Duration.between(started, finished), audit.memory(), audit.judged());
    }
}
