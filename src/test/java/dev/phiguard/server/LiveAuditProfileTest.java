package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} chooses its profile as {@code audit} does, and says so when it cannot. */
class LiveAuditProfileTest {
    private static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: phi}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            """;
    private static final String PROFILE = """
            apiVersion: phiguard.dev/v1alpha1
            kind: Profile
            metadata: {name: %s}
            """;

    private static LiveAudit.State evaluate(Path folder, String profileFile) throws IOException {
        try (LiveAudit live = new LiveAudit(new FileSnapshotSource(List.of(folder.toString()), List.of()), profileFile,
                Clock.systemUTC(), 50)) {
            live.start();
            return live.state();
        }
    }

    @Test
    void testTwoProfileDocumentsAreAProblemNamingBoth(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.yaml"), POLICY + "---\n" + PROFILE.formatted("first"),
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("b.yaml"), PROFILE.formatted("second"), StandardCharsets.UTF_8);
        LiveAudit.State state = evaluate(folder, null);
        assertThat(state.ready()).isFalse();
        assertThat(state.problem().orElseThrow().message()).isEqualTo("the manifests hold 2 Profile documents ("
                + folder.resolve("a.yaml") + ":6:1, " + folder.resolve("b.yaml") + ":1:1); choose one with"
                + " --profile FILE");
        // --profile settles it
        assertThat(evaluate(folder, folder.resolve("b.yaml").toString()).answer().orElseThrow().profileSource())
                .isEqualTo(folder.resolve("b.yaml").toString());
    }

    @Test
    void testABrokenProfileFileIsAProblemWithItsErrors(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.yaml"), POLICY, StandardCharsets.UTF_8);
        Path broken = Files.writeString(folder.resolve("profile.txt"), "kind: [", StandardCharsets.UTF_8);
        String message = evaluate(folder, broken.toString()).problem().orElseThrow().message();
        assertThat(message).startsWith("--profile " + broken + " cannot be used:\n" + broken + ":");
        // without --profile, the built-in default is used
        assertThat(evaluate(folder, null).answer().orElseThrow().profileSource()).isEqualTo("<built-in default profile>");
    }
}
