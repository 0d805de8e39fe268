package dev.phiguard.analysis;

import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import java.util.Objects;
import java.util.Optional;

/**
 * What a change to the manifests does: the connections it adds, removes and alters, and the
 * findings it makes appear and disappear under one profile.
 */
public record ChangeReport(ConnectivityDiff connectivity, AuditDiff findings) {

    public ChangeReport {
        Objects.requireNonNull(connectivity, "connectivity");
        Objects.requireNonNull(findings, "findings");
    }

    /** True when the change alters neither a connection nor a finding. */
    public boolean isEmpty() {
        return connectivity.isEmpty() && findings.isEmpty();
    }

    /** True when the change introduces a finding at or above the profile's threshold. */
    public boolean failed() {
        return findings.failed();
    }

    public Optional<Severity> failOn() {
        return findings.failOn();
    }

    public Profile profile() {
        return findings.after().profile();
    }
}
