package dev.phiguard.cli;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Profile;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The profile a command judges PHI by, chosen as {@code audit} chooses it: {@code --profile FILE},
 * else the one Profile document among the manifests, else the built-in default.
 */
final class ProfileChoice {
    private ProfileChoice() {
    }

    /** The profile; empty, with the reason printed on {@code err}, when none can be used. */
    static Optional<Profile> choose(String command, String profileFile, IngestResult ingested, InputStream stdin,
            boolean quiet, PrintWriter err) {
        if (profileFile != null) {
            ProfileReader.Result read = ProfileReader.read(profileFile, stdin);
            for (Diagnostic diagnostic : read.diagnostics()) {
                if (diagnostic.isError() || !quiet) {
                    err.println(diagnostic);
                }
            }
            if (read.profile().isEmpty()) {
                err.println("phiguard " + command + ": --profile " + profileFile + " cannot be used; fix the errors"
                        + " above");
            }
            err.flush();
            return read.profile();
        }
        List<Profile> found = ingested.profiles();
        if (found.size() > 1) {
            err.println("phiguard " + command + ": the manifests hold " + found.size() + " Profile documents ("
                    + String.join(", ", found.stream().map(p -> p.source().toString()).toList())
                    + "); choose one with --profile FILE");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(found.isEmpty() ? ProfileReader.defaultProfile() : found.get(0));
    }
}
