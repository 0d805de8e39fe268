package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connectivity -o dot and -o mermaid on examples/clinic: golden files, syntax, PHI marking, escaping. */
class ConnectivityGraphFormatsTest {
    private static final Pattern DOT_EDGE = Pattern.compile("^  (\"(?:[^\"\\\\]|\\\\.)*\") -> (\"(?:[^\"\\\\]|\\\\.)*\")"
            + " \\[label=\"[^\"]*\"(?:, [^\\]]*)?\\];$");
    private static final Pattern DOT_NODE = Pattern.compile("^    (\"(?:[^\"\\\\]|\\\\.)*\") \\[label=.*\\];$");
    private static final Pattern MERMAID_EDGE = Pattern.compile("^  ([wx]\\d+) -->\\|\"([^\"]*)\"\\| ([wx]\\d+)$");
    private static final Pattern MERMAID_NODE = Pattern.compile("^    ([wx]\\d+)(?:\\[\\[\"|\\[\"|>\")([^\"]*)\"\\]\\]?$");

    static ConnectivityMap clinic;
    static PhiScope clinicPhi;

    @BeforeAll
    static void analyseClinic() {
        IngestResult in = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        assertThat(in.diagnostics()).isEmpty();
        clinic = ConnectivityAnalyzer.analyze(in.cluster());
        clinicPhi = PhiScope.of(in.cluster(), in.profiles().get(0));
    }

    @Test
    void testDotMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.dot", new ConnectivityDotFormatter(clinicPhi).format(clinic));
    }

    @Test
    void testMermaidMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.mmd", new ConnectivityMermaidFormatter(clinicPhi).format(clinic));
    }

    @Test
    void testDotHasAClusterPerNamespaceANodePerPeerAndAnEdgePerConnection() {
        String dot = new ConnectivityDotFormatter(clinicPhi).format(clinic);
        List<String> lines = dot.lines().toList();
        assertThat(lines.get(2)).isEqualTo("digraph \"phiguard-connectivity\" {");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("}");
        long opened = dot.chars().filter(c -> c == '{').count();
        assertThat(dot.chars().filter(c -> c == '}').count()).isEqualTo(opened);
        Set<String> declared = new HashSet<>();
        List<String[]> edges = new ArrayList<>();
        for (String line : lines) {
            Matcher node = DOT_NODE.matcher(line);
            if (node.matches()) {
                assertThat(declared.add(node.group(1))).as("declared once: %s", line).isTrue();
            }
            Matcher edge = DOT_EDGE.matcher(line);
            if (edge.matches()) {
                edges.add(new String[] {edge.group(1), edge.group(2)});
            }
        }
        GraphPeers peers = GraphPeers.of(clinic);
        int workloads = peers.namespaces().values().stream().mapToInt(List::size).sum();
        assertThat(declared).hasSize(workloads + peers.externals().size());
        assertThat(edges).hasSize(clinic.connections().size());
        for (String[] edge : edges) {
            assertThat(declared).as("edge ends are declared nodes").contains(edge[0], edge[1]);
        }
        assertThat(lines.stream().filter(line -> line.startsWith("  subgraph \"cluster_ns_")))
                .hasSize(peers.namespaces().size());
        assertThat(dot).contains("subgraph \"cluster_external\"");
    }

    @Test
    void testDotMarksPhiWorkloadsTheirNamespacesAndTheEdgesIntoThem() {
        String dot = new ConnectivityDotFormatter(clinicPhi).format(clinic);
        assertThat(dot).contains("label=\"namespace phi (holds PHI)\";\n    style=\"rounded,filled\"; fillcolor=\"#fff1f0\"")
                .contains("\"phi/ehr-db[StatefulSet]\" [label=\"ehr-db\\nStatefulSet\\nPHI\", fillcolor=\"#ffd8d3\"")
                .contains("\"frontend/web[Deployment]\" [label=\"web\\nDeployment\"];")
                .contains("label=\"namespace frontend\";\n    style=\"rounded\"")
                .contains("\"analytics/warehouse[StatefulSet]\" -> \"phi/ehr-db[StatefulSet]\" [label=\"TCP 5432\","
                        + " color=\"#cf222e\"")
                .contains("\"phi/ehr-db[StatefulSet]\" -> \"kube-system/coredns[Deployment]\" [label=\"TCP 53,UDP 53\"];")
                .contains("\"203.0.113.0-203.0.113.255[External]\" [label=\"203.0.113.0/24\", shape=note");
        assertThat(dot.lines().filter(line -> line.endsWith("\\nPHI\", fillcolor=\"#ffd8d3\", color=\"#cf222e\","
                + " penwidth=2, fontcolor=\"#82071e\"];"))).hasSize(clinicPhi.workloads().size());
    }

    @Test
    void testGraphvizAcceptsTheDot(@TempDir Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("dot"), "Graphviz's dot is not installed; the structural test above still"
                + " checks the syntax");
        Path file = dir.resolve("clinic.dot");
        Files.writeString(file, new ConnectivityDotFormatter(clinicPhi).format(clinic), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("dot", "-Tsvg", file.toString()).redirectErrorStream(true).start();
        String svg = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("dot said: %s", svg.length() > 2000 ? svg.substring(0, 2000) : svg)
                .isZero();
        assertThat(svg).doesNotContain("Warning", "Error").contains("<svg");
        // every edge and node made it into the drawing
        assertThat(svg.split("class=\"edge\"", -1)).hasSize(clinic.connections().size() + 1);
        assertThat(svg).contains("<title>cluster_ns_phi</title>", "<title>phi/ehr&#45;db[StatefulSet]</title>");
    }

    @Test
    void testMermaidDeclaresEveryNodeOnceAndEveryEdgeUsesThem() {
        String mermaid = new ConnectivityMermaidFormatter(clinicPhi).format(clinic);
        List<String> lines = mermaid.lines().toList();
        assertThat(lines.get(2)).isEqualTo("flowchart LR");
        Map<String, String> labels = new java.util.HashMap<>();
        int edges = 0;
        int subgraphs = 0;
        int ends = 0;
        for (String line : lines.subList(3, lines.size())) {
            Matcher node = MERMAID_NODE.matcher(line);
            Matcher edge = MERMAID_EDGE.matcher(line);
            if (node.matches()) {
                assertThat(labels.put(node.group(1), node.group(2))).as("declared once: %s", line).isNull();
            } else if (edge.matches()) {
                assertThat(labels).containsKeys(edge.group(1), edge.group(3));
                edges++;
            } else if (line.startsWith("  subgraph ")) {
                subgraphs++;
            } else if (line.equals("  end")) {
                ends++;
            } else {
                assertThat(line).as("only styling remains").matches("  (classDef|class|style|linkStyle) .*");
            }
        }
        assertThat(edges).isEqualTo(clinic.connections().size());
        GraphPeers peers = GraphPeers.of(clinic);
        assertThat(subgraphs).isEqualTo(ends).isEqualTo(peers.namespaces().size() + 1);
        assertThat(labels).containsValue("ehr-db<br/>StatefulSet<br/><b>PHI</b>").containsValue("web<br/>Deployment")
                .containsValue("203.0.113.0/24");
        List<String> phiIds = labels.entrySet().stream().filter(entry -> entry.getValue().endsWith("<b>PHI</b>"))
                .map(Map.Entry::getKey).sorted(java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring(1))))
                .toList();
        assertThat(phiIds).hasSize(clinicPhi.workloads().size());
        assertThat(mermaid).contains("  class " + String.join(",", phiIds) + " phi\n");
        assertThat(lines.stream().filter(line -> line.startsWith("    ") && line.contains("[[\"")))
                .hasSize(clinicPhi.workloads().size());
    }

    @Test
    void testMermaidEscapesWhatItsSyntaxWouldRead() {
        assertThat(ConnectivityMermaidFormatter.text("a\"b<c>#d|e&f`g\nh")).isEqualTo(
                "a#34;b#60;c#62;#35;d#124;e#38;f#96;g h");
    }

    @Test
    void testDotQuotesEscapeQuotesAndBackslashes() {
        assertThat(ConnectivityDotFormatter.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
    }

    @Test
    void testANamespaceWithoutPhiIsDrawnPlainAndOutputIsDeterministic() {
        Workload client = Workload.of(new WorkloadId("shop", "client", "Pod"), Map.of("app", "client"), List.of());
        Workload db = Workload.of(new WorkloadId("shop", "db", "Pod"), Map.of("app", "db"),
                List.of(new ContainerPort("pg", 5432, Protocol.TCP)));
        Cluster cluster = Cluster.of(List.of(Namespace.of("shop", Map.of())), List.of(db, client), List.of());
        ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
        PhiScope none = PhiScope.of(cluster, dev.phiguard.ingest.ProfileReader.defaultProfile());
        String dot = new ConnectivityDotFormatter(none).format(map);
        assertThat(dot).doesNotContain("PHI\"", "#ffd8d3").contains("\"shop/client[Pod]\" -> \"shop/db[Pod]\"");
        assertThat(new ConnectivityDotFormatter(none).format(ConnectivityAnalyzer.analyze(cluster))).isEqualTo(dot);
        assertThat(map.between(new Peer.WorkloadPeer(client.id()), new Peer.WorkloadPeer(db.id()))).isPresent();
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
