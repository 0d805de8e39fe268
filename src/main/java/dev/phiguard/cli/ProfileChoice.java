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

    /** A profile and where it came from, as reports name it. */
    record Chosen(Profile profile, String source) {
    }

    /** The profile; empty, with the reason printed on {@code err}, when none can be used. */
    static Optional<Profile> choose(String command, String profileFile, IngestResult ingested, InputStream stdin,
            boolean quiet, PrintWriter err) {
        return choose(command, profileFile, ingested, "the manifests", stdin, quiet, err).map(Chosen::profile);
    }

    /**
     * The profile and its source; empty, with the reason printed on {@code err}, when none can be
     * used. {@code manifests} names the input the Profile documents were looked for in.
     */
    static Optional<Chosen> choose(String command, String profileFile, IngestResult ingested, String manifests,
            InputStream stdin, boolean quiet, PrintWriter err) {
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
            return read.profile().map(profile -> new Chosen(profile, profileFile));
        }
        List<Profile> found = ingested.profiles();
        if (found.size() > 1) {
            err.println("phiguard " + command + ": " + manifests + " hold " + found.size() + " Profile documents ("
                    + String.join(", ", found.stream().map(p -> p.source().toString()).toList())
                    + "); choose one with --profile FILE");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(found.isEmpty() ? new Chosen(ProfileReader.defaultProfile(), ProfileReader.DEFAULT_SOURCE)
                : new Chosen(found.get(0), found.get(0).source().file()));
    }
}
