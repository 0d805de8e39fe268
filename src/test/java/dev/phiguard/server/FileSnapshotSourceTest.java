package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotSourceTest {
    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: shop, labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
            """;

    @Test
    void testStandardInputCannotBeWatched() {
        assertThatThrownBy(() -> new FileSnapshotSource(List.of("a", "-"), List.of()))
                .hasMessage("standard input (-) cannot be watched; give files or folders");
    }

    @Test
    void testAnErrorInAnyObjectFailsTheRead(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("pod.yaml"), POD, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("bad.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Sideways]}
                """, StandardCharsets.UTF_8);
        FileSnapshotSource source = new FileSnapshotSource(List.of(folder.toString()), List.of());
        assertThatThrownBy(source::read).isInstanceOf(SnapshotSource.Unreadable.class)
                .hasMessage("1 error in " + folder + ":\n" + folder.resolve("bad.yaml") + ":4:39: error: NetworkPolicy"
                        + " shop/deny: spec.policyTypes[0]: unsupported policy type, expected Ingress or Egress"
                        + " ('Sideways')");
        Files.delete(folder.resolve("bad.yaml"));
        assertThat(assertRead(source).cluster().workloads()).hasSize(1);
    }

    private static dev.phiguard.ingest.IngestResult assertRead(FileSnapshotSource source) {
        try {
            return source.read();
        } catch (SnapshotSource.Unreadable e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void testAFileOutsideThePathsIsWatchedWithoutItsFolderTree(@TempDir Path scratch)
            throws IOException, InterruptedException {
        Path manifests = Files.createDirectories(scratch.resolve("manifests"));
        Files.writeString(manifests.resolve("pod.yaml"), POD, StandardCharsets.UTF_8);
        Path home = Files.createDirectories(scratch.resolve("home"));
        Path profile = home.resolve("profile.yaml");
        Files.writeString(profile, "# a profile\n", StandardCharsets.UTF_8);
        Path elsewhere = Files.createDirectories(home.resolve("projects/other"));
        Semaphore changes = new Semaphore(0);
        try (FileSnapshotSource source = new FileSnapshotSource(List.of(manifests.toString()), List.of(profile))) {
            source.watch(changes::release);
            Files.writeString(elsewhere.resolve("x.yaml"), POD, StandardCharsets.UTF_8);
            assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).as("a folder below the profile's is not watched")
                    .isFalse();
            Files.writeString(profile, "# a changed profile\n", StandardCharsets.UTF_8);
            assertThat(changes.tryAcquire(20, TimeUnit.SECONDS)).as("the profile's change").isTrue();
            changes.drainPermits();
            Files.writeString(manifests.resolve("pod.yaml"), POD.replace("db", "db2"), StandardCharsets.UTF_8);
            assertThat(changes.tryAcquire(20, TimeUnit.SECONDS)).as("the manifests' change").isTrue();
            Path deep = Files.createDirectories(manifests.resolve("team/policies"));
            changes.drainPermits();
            Files.writeString(deep.resolve("pod.yaml"), POD.replace("db", "db3"), StandardCharsets.UTF_8);
            assertThat(changes.tryAcquire(20, TimeUnit.SECONDS)).as("a change in a new folder").isTrue();
        }
    }
}
