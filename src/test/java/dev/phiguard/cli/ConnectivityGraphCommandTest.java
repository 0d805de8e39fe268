package dev.phiguard.cli;

import static dev.phiguard.cli.ConnectivityCommandTest.run;
import static dev.phiguard.cli.ConnectivityCommandTest.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.cli.ConnectivityCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connectivity -o dot|mermaid|html and audit -o html from the command line. */
class ConnectivityGraphCommandTest {
    private static final String PHI_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: vault, annotations: {phiguard.io/phi: "true"}, labels: {app: db}}
            spec: {containers: [{name: db, image: db}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec: {containers: [{name: web, image: web}]}
            """;

    @Test
    void testDotMarksThePhiWorkloadTheProfileFinds() {
        Run run = runWithStdin(PHI_POD, "connectivity", "-", "-o", "dot");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("digraph \"phiguard-connectivity\" {",
                "\"vault/db[Pod]\" [label=\"db\\nPod\\nPHI\"", "\"shop/web[Pod]\" [label=\"web\\nPod\"];",
                "\"shop/web[Pod]\" -> \"vault/db[Pod]\" [label=\"All Connections\", color=\"#cf222e\"");
    }

    @Test
    void testMermaidOnTheClinicUsesTheClinicProfile() {
        Run run = run("connectivity", "examples/clinic", "-o", "mermaid");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("%% phiguard connectivity").contains("flowchart LR",
                "subgraph ns7[\"namespace phi (holds PHI)\"]", "[[\"ehr-db<br/>StatefulSet<br/><b>PHI</b>\"]]");
    }

    @Test
    void testAProfileGivenOnTheCommandLineDecidesWhatIsPhi(@TempDir Path dir) throws IOException {
        Path profile = dir.resolve("profile.yaml");
        Files.writeString(profile, """
                apiVersion: phiguard.dev/v1alpha1
                kind: Profile
                metadata: {name: shop}
                phi:
                  podSelectors: [{matchLabels: {app: web}}]
                """, StandardCharsets.UTF_8);
        Run run = runWithStdin(PHI_POD, "connectivity", "-", "-o", "dot", "--profile", profile.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("\"shop/web[Pod]\" [label=\"web\\nPod\\nPHI\"");
    }

    @Test
    void testABadProfileIsAUsageError() {
        Run run = runWithStdin(PHI_POD, "connectivity", "-", "-o", "html", "--profile", "no/such/profile.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard connectivity: --profile no/such/profile.yaml cannot be used");
    }

    @Test
    void testHtmlIsOneSelfContainedPage(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("map.html");
        Run run = run("connectivity", "examples/clinic", "-o", "html", "--output", page.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Network map: examples/clinic</title>",
                "<script data-library=\"cytoscape 3.33.1\">", "<script data-library=\"dagre 0.8.4\">",
                "\"mode\": \"connectivity\"").doesNotContainPattern("<script[^>]* src=");
    }

    @Test
    void testAuditHtmlHasTheNetworkMapAndItsFindings(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("audit.html");
        Run run = run("audit", "examples/clinic", "-o", "html", "--output", page.toString(), "--date", "2026-01-15");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).contains("<section id=\"network-map\" class=\"network-map\">", "\"mode\": \"audit\"",
                "id=\"pgmap-findings\"", "<h2>Controls</h2>", "script-src 'sha256-");
    }

    @Test
    void testHelpListsTheGraphFormats() {
        assertThat(run("connectivity", "--help").out()).contains("txt, json, csv, md, dot, mermaid, html",
                "--profile=FILE");
    }
}
