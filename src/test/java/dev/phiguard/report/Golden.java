package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a reference file under src/test/resources/golden, byte for byte. Run the
 * tests with {@code -Dgolden.update=true} to rewrite the references, then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    public static Path root() {
        String project = System.getProperty("phiguard.projectRoot", System.getProperty("user.dir"));
        return Path.of(project, "src", "test", "resources", "golden");
    }

    public static void assertMatches(String relativePath, String actual) {
        Path file = root().resolve(relativePath);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(file).as("golden file %s is missing; run mvn verify -Dgolden.update=true", file).exists();
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(actual).as("output differs from %s; if the change is intended, run with -Dgolden.update=true"
                    + " and review the diff", file).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
