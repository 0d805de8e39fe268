package dev.phiguard.ingest;

import dev.phiguard.model.Profile;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The profile PHI is judged by, chosen as every command and {@code serve} choose it:
 * {@code --profile FILE}, else the one Profile document among the manifests, else the built-in
 * default. Says why when none can be used; printing that is the caller's.
 *
 * @param profile the profile, empty when none can be used
 * @param source where it came from, as reports name it
 * @param diagnostics what reading {@code --profile FILE} found, if it was read
 * @param problem why no profile can be used: {@code --profile FILE cannot be used}, or the
 *     manifests hold several Profile documents
 */
public record ProfileChoice(Optional<Profile> profile, String source, List<Diagnostic> diagnostics,
        Optional<String> problem) {

    public ProfileChoice {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(source, "source");
        diagnostics = List.copyOf(diagnostics);
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * Chooses for {@code ingested}; {@code manifests} names that input in the message about several
     * Profile documents ({@code the manifests}, {@code the AFTER manifests}).
     */
    public static ProfileChoice of(String profileFile, IngestResult ingested, String manifests, InputStream stdin) {
        if (profileFile != null) {
            ProfileReader.Result read = ProfileReader.read(profileFile, stdin);
            return new ProfileChoice(read.profile(), profileFile, read.diagnostics(), read.profile().isPresent()
                    ? Optional.empty() : Optional.of("--profile " + profileFile + " cannot be used"));
        }
        List<Profile> found = ingested.profiles();
        if (found.size() > 1) {
            return new ProfileChoice(Optional.empty(), "", List.of(), Optional.of(manifests + " hold " + found.size()
                    + " Profile documents (" + String.join(", ", found.stream().map(p -> p.source().toString())
                            .toList()) + "); choose one with --profile FILE"));
        }
        if (found.size() == 1) {
            return new ProfileChoice(Optional.of(found.get(0)), found.get(0).source().file(), List.of(),
                    Optional.empty());
        }
        return new ProfileChoice(Optional.of(ProfileReader.defaultProfile()), ProfileReader.DEFAULT_SOURCE, List.of(),
                Optional.empty());
    }
}
