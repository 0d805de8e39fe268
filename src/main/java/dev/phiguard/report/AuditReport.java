package dev.phiguard.report;

import dev.phiguard.compliance.AuditResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An audit with what a report states about it: the inputs and their SHA-256 digests, where the
 * profile came from, the tool version, and the date when one is asked for (reports carry no
 * timestamp otherwise, so they are reproducible).
 */
public record AuditReport(AuditResult result, List<Input> inputs, String profileSource, String toolVersion,
        Optional<String> date) {

    /** A manifest file read, by path as given, with the SHA-256 of its bytes. */
    public record Input(String path, String sha256) {
        public Input {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    public AuditReport {
        Objects.requireNonNull(result, "result");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(profileSource, "profileSource");
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(date, "date");
    }
}
