package dev.phiguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.analysis.PhiPosture;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.Profile;
import dev.phiguard.report.AuditJsonFormatter;
import dev.phiguard.report.AuditReport;
import dev.phiguard.report.ManifestYaml;
import dev.phiguard.synth.ClusterGenerator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code serve} computes after a change in its files, taking from the answer before it what
 * the change left alone, is what it computes from nothing: the same audit, connectivity and PHI
 * posture; and it judges fewer PHI workloads.
 */
class IncrementalEvaluationTest {
    private static final Profile PROFILE = ProfileReader.defaultProfile();

    @Test
    void testAnEvaluationAfterAPolicyChangeEqualsOneFromNothing(@TempDir Path dir) throws Exception {
        Cluster generated = ClusterGenerator.generate(new ClusterGenerator.Parameters(20, 600, 120, 3));
        for (Namespace namespace : generated.namespaces()) {
            Files.writeString(dir.resolve(namespace.name() + ".yaml"), ManifestYaml.namespace(generated, namespace),
                    StandardCharsets.UTF_8);
        }
        PhiScope phi = PhiScope.of(generated, PROFILE);
        String plain = generated.namespaces().stream().map(Namespace::name)
                .filter(name -> !phi.isPhiNamespace(name)).findFirst().orElseThrow();
        Path changed = dir.resolve(plain + ".yaml");
        String original = Files.readString(changed, StandardCharsets.UTF_8);
        FileSnapshotSource source = new FileSnapshotSource(List.of(dir.toString()), List.of());
        Evaluation before = evaluate(source, Optional.empty());
        assertThat(before.judged()).isEqualTo(phi.workloads().size()).isGreaterThan(20);

        // isolates the namespace's api pods for ingress, but for one port: PHI workloads calling them lose the rest
        Files.writeString(changed, original + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: change, namespace: %s}
                spec:
                  podSelector: {matchLabels: {tier: api}}
                  ingress: [{ports: [{port: 8001, protocol: TCP}]}]
                """.formatted(plain), StandardCharsets.UTF_8);
        Evaluation after = evaluate(source, Optional.of(before));
        assertSameAsFromNothing(after, dir);
        assertThat(after.judged()).isLessThan(before.judged());
        assertThat(json(after.audit())).isNotEqualTo(json(before.audit()));

        Files.writeString(changed, original, StandardCharsets.UTF_8);
        Evaluation back = evaluate(source, Optional.of(after));
        assertSameAsFromNothing(back, dir);
        assertThat(json(back.audit())).isEqualTo(json(before.audit()));
        assertThat(back.posture()).isEqualTo(before.posture());
        source.close();
    }

    /** As serve does it: the profile is read again for every evaluation (an equal one, not the same object). */
    private static Evaluation evaluate(FileSnapshotSource source, Optional<Evaluation> earlier) throws Exception {
        return Evaluation.of(source.read(), ProfileReader.defaultProfile(), ProfileReader.DEFAULT_SOURCE, Instant.EPOCH,
                () -> Instant.EPOCH, earlier);
    }

    private static void assertSameAsFromNothing(Evaluation evaluation, Path dir) {
        Evaluation fresh = Evaluation.of(ManifestReader.read(List.of(dir.toString()), InputStream.nullInputStream()),
                PROFILE, ProfileReader.DEFAULT_SOURCE, Instant.EPOCH, () -> Instant.EPOCH, Optional.empty());
        assertThat(evaluation.input()).isEqualTo(fresh.input());
        assertThat(json(evaluation.audit())).isEqualTo(json(fresh.audit()));
        assertThat(evaluation.posture()).isEqualTo(fresh.posture());
        assertThat(evaluation.posture()).isEqualTo(PhiPosture.of(fresh.input().cluster(), fresh.phi(), fresh.map()));
        assertThat(evaluation.map().connections()).isEqualTo(fresh.map().connections());
    }

    private static String json(AuditResult result) {
        return new AuditJsonFormatter().format(new AuditReport(result, List.of(), "profile", "test",
                Optional.of("2026-01-01")));
    }
}
