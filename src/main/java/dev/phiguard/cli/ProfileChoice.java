package dev.phiguard.cli;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.model.Profile;
import java.io.InputStream;
import java.io.PrintWriter;
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
        dev.phiguard.ingest.ProfileChoice choice = dev.phiguard.ingest.ProfileChoice.of(profileFile, ingested,
                manifests, stdin);
        for (Diagnostic diagnostic : choice.diagnostics()) {
            if (diagnostic.isError() || !quiet) {
                err.println(diagnostic);
            }
        }
        choice.problem().ifPresent(problem -> err.println("phiguard " + command + ": " + problem
                + (profileFile != null ? "; fix the errors above" : "")));
        err.flush();
        return choice.profile().map(profile -> new Chosen(profile, choice.source()));
    }
}
