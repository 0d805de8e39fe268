package dev.phiguard.ingest;

import dev.phiguard.model.Profile;
import dev.phiguard.model.SourceRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads phiguard profiles: the built-in default, or a file the user names. */
public final class ProfileReader {
    /** How the built-in profile is named in reports. */
    public static final String DEFAULT_SOURCE = "<built-in default profile>";
    private static final String DEFAULT_RESOURCE = "/profile/default.yaml";

    private ProfileReader() {
    }

    /** What reading a profile file gave: the profile when it is valid, and every diagnostic. */
    public record Result(Optional<Profile> profile, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** The text of the built-in profile, with its comments, as {@code phiguard profile --default} prints it. */
    public static String defaultProfileText() {
        try (InputStream in = ProfileReader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in profile missing from the jar: " + DEFAULT_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in profile. */
    public static Profile defaultProfile() {
        IngestResult result = ManifestReader.readString(DEFAULT_SOURCE, defaultProfileText());
        if (!result.diagnostics().isEmpty() || result.profiles().size() != 1) {
            throw new IllegalStateException("built-in profile is invalid: " + result.diagnostics());
        }
        return result.profiles().get(0);
    }

    /** Reads the one Profile document of a file; other documents in it are reported and ignored. */
    public static Result read(String path, InputStream stdin) {
        IngestResult result = ManifestReader.read(List.of(path), stdin);
        List<Diagnostic> diagnostics = new ArrayList<>(result.diagnostics());
        int others = result.objectsRead() - result.profiles().size()
                - (int) result.rejected().stream().filter(name -> name.startsWith(ProfileParser.KIND + " ")).count();
        if (others > 0) {
            diagnostics.add(Diagnostic.warning(SourceRef.of(path), others == 1
                    ? "1 object that is not a Profile is ignored here"
                    : others + " objects that are not a Profile are ignored here"));
        }
        boolean rejectedProfile = result.rejected().stream().anyMatch(name -> name.startsWith(ProfileParser.KIND + " "));
        if (result.profiles().size() > 1) {
            diagnostics.add(Diagnostic.error(SourceRef.of(path), "holds " + result.profiles().size()
                    + " Profile documents; a profile file must hold exactly one"));
            return new Result(Optional.empty(), diagnostics);
        }
        if (result.profiles().isEmpty()) {
            if (!rejectedProfile && result.errorCount() == 0) {
                diagnostics.add(Diagnostic.error(SourceRef.of(path), "no Profile document (apiVersion: "
                        + ProfileParser.API_VERSION + ", kind: " + ProfileParser.KIND
                        + "); `phiguard profile --default` prints one to start from"));
            }
            return new Result(Optional.empty(), diagnostics);
        }
        return new Result(Optional.of(result.profiles().get(0)), diagnostics);
    }
}
