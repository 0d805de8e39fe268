package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.NetworkPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading folders again with a {@link ManifestCache}, as {@code serve} does after a change: the
 * answer is the one a fresh read gives, problems and objects defined twice included, and only
 * the files whose bytes changed are parsed again.
 */
class ManifestCacheTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    private static String policy(String name, String namespace) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                """.formatted(name, namespace);
    }

    @Test
    void testAReadWithTheCacheEqualsAFreshReadAndParsesOnlyWhatChanged(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        Path c = dir.resolve("c.yaml");
        Files.writeString(a, policy("deny", "alpha") + "---\n" + policy("shared", "alpha"));
        // defined twice: the later file's copy is rejected, with an error naming the first
        Files.writeString(b, policy("deny", "beta") + "---\n" + policy("shared", "alpha"));
        Files.writeString(c, policy("deny", "gamma") + "---\nkind: [unclosed\n");
        List<String> paths = List.of(dir.toString());
        ManifestCache cache = new ManifestCache();

        IngestResult first = ManifestReader.read(paths, NO_STDIN, cache);
        assertThat(first).isEqualTo(ManifestReader.read(paths, NO_STDIN));
        assertThat(first.diagnostics()).anyMatch(d -> d.toString().contains("defined twice"))
                .anyMatch(d -> d.toString().contains("YAML syntax error"));
        assertThat(first.rejected()).hasSize(1);

        Files.writeString(a, policy("deny", "alpha") + "---\n" + policy("other", "alpha"));
        IngestResult second = ManifestReader.read(paths, NO_STDIN, cache);
        IngestResult fresh = ManifestReader.read(paths, NO_STDIN);
        assertThat(second).isEqualTo(fresh);
        // a.yaml no longer holds alpha/shared, so b.yaml's copy is read now: taken again, not rejected
        assertThat(second.rejected()).isEmpty();
        assertThat(second.diagnostics()).noneMatch(d -> d.toString().contains("defined twice"));
        assertThat(policy(second, "beta/deny")).isSameAs(policy(first, "beta/deny"))
                .isNotSameAs(policy(fresh, "beta/deny"));
        assertThat(policy(second, "alpha/deny")).isEqualTo(policy(first, "alpha/deny"))
                .isNotSameAs(policy(first, "alpha/deny"));
    }

    private static NetworkPolicy policy(IngestResult result, String namespacedName) {
        return result.cluster().policies().stream().filter(p -> p.namespacedName().equals(namespacedName))
                .findFirst().orElseThrow();
    }
}
