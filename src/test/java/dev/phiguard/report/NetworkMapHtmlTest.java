package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** connectivity -o html: the page's structure, data, inlined libraries, policy and escaping. */
class NetworkMapHtmlTest {
    private static final Pattern SCRIPT = Pattern.compile("<script( [^>]*)?>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern LIBRARY = Pattern.compile("(<script data-library=\"[^\"]+\">)(.*?)(</script>)",
            Pattern.DOTALL);

    private static ConnectivityMap clinic;
    private static PhiScope clinicPhi;
    private static String page;

    @BeforeAll
    static void renderClinic() {
        IngestResult in = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        clinic = ConnectivityAnalyzer.analyze(in.cluster());
        clinicPhi = PhiScope.of(in.cluster(), in.profiles().get(0));
        page = new ConnectivityHtmlFormatter(clinicPhi, "examples/clinic").format(clinic);
    }

    /**
     * The page with each inlined library's code replaced by its size, so that the golden file shows
     * everything phiguard writes without 700 kB of third-party code.
     */
    static String withoutLibraryCode(String html) {
        Matcher matcher = LIBRARY.matcher(html);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + "/* inlined: "
                    + matcher.group(2).length() + " characters */" + matcher.group(3)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static JsonNode data(String html) throws IOException {
        Matcher matcher = Pattern.compile("<script type=\"application/json\" id=\"pgmap-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertThat(matcher.find()).as("the page embeds its data").isTrue();
        return new ObjectMapper().readTree(matcher.group(1));
    }

    @Test
    void testHtmlMatchesGolden() {
        Golden.assertMatches("clinic/connectivity.html", withoutLibraryCode(page));
    }

    @Test
    void testLibrariesAreInlinedFromTheirWebJars() {
        WebLibrary cytoscape = WebLibrary.cytoscape();
        WebLibrary dagre = WebLibrary.dagre();
        assertThat(cytoscape.version()).isEqualTo("3.33.1");
        assertThat(dagre.version()).isEqualTo("0.8.4");
        assertThat(cytoscape.code()).hasSizeGreaterThan(300_000).contains("cytoscape");
        assertThat(page).contains("<script data-library=\"cytoscape 3.33.1\">" + cytoscape.code() + "</script>")
                .contains("<script data-library=\"dagre 0.8.4\">" + dagre.code() + "</script>");
    }

    @Test
    void testPageLoadsNothingFromAnywhere() {
        // the SVG export names the SVG namespace and refers to its own arrow marker: neither is loaded
        String ours = withoutLibraryCode(page).replace("\"http://www.w3.org/2000/svg\"", "")
                .replace("url(#arrow)", "");
        assertThat(ours).doesNotContain("http://", "https://", "<link", "<iframe", " src=", "url(", "@import");
        assertThat(ours).startsWith("<!DOCTYPE html>");
        assertThat(page).doesNotContainPattern("<script[^>]* src=");
    }

    @Test
    void testContentSecurityPolicyAllowsExactlyTheInlinedScripts() {
        Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">").matcher(page);
        assertThat(csp.find()).isTrue();
        String policy = csp.group(1);
        assertThat(policy).startsWith("default-src 'none'; ").doesNotContain("unsafe-inline' 'sha", "unsafe-eval")
                .doesNotContainPattern("script-src[^;]*unsafe-inline");
        List<String> hashes = new ArrayList<>();
        Matcher scripts = SCRIPT.matcher(page);
        int executable = 0;
        while (scripts.find()) {
            if (scripts.group(1) != null && scripts.group(1).contains("application/json")) {
                continue;
            }
            executable++;
            hashes.add(NetworkMapHtml.hash(scripts.group(2)));
        }
        assertThat(executable).isEqualTo(3);
        assertThat(policy).endsWith("script-src " + String.join(" ", hashes));
    }

    @Test
    void testDataDescribesEveryWorkloadRangeAndConnection() throws IOException {
        JsonNode data = data(page);
        assertThat(data.get("schema").asText()).isEqualTo(NetworkMapData.SCHEMA);
        assertThat(data.get("collapsed").asBoolean()).isFalse();
        assertThat(data.get("capped").asBoolean()).isFalse();
        GraphPeers peers = GraphPeers.of(clinic);
        assertThat(data.get("totals").get("workloads").asInt()).isEqualTo(clinic.workloads().size());
        assertThat(data.get("totals").get("externals").asInt()).isEqualTo(peers.externals().size());
        assertThat(data.get("edges")).hasSize(clinic.connections().size());
        assertThat(data.get("nodes")).hasSize(clinic.workloads().size() + peers.externals().size());
        assertThat(data.get("groups")).hasSize(peers.namespaces().size() + 1);
        long aggregated = 0;
        for (JsonNode aggregate : data.get("groupEdges")) {
            aggregated += aggregate.get("n").asLong();
        }
        assertThat(aggregated).as("the group aggregates count every connection").isEqualTo(clinic.connections().size());
        Map<String, JsonNode> nodes = new java.util.HashMap<>();
        data.get("nodes").forEach(node -> nodes.put(node.get("id").asText(), node));
        JsonNode warehouseToEhr = null;
        for (JsonNode edge : data.get("edges")) {
            if (nodes.get(edge.get("s").asText()).get("full").asText().equals("analytics/warehouse[StatefulSet]")
                    && nodes.get(edge.get("t").asText()).get("full").asText().equals("phi/ehr-db[StatefulSet]")) {
                warehouseToEhr = edge;
            }
        }
        assertThat(warehouseToEhr).isNotNull();
        assertThat(warehouseToEhr.get("label").asText()).isEqualTo("TCP 5432");
        assertThat(warehouseToEhr.get("p").get("TCP").toString()).isEqualTo("[[5432,5432]]");
        assertThat(warehouseToEhr.get("eg").get("iso").asText()).isEqualTo("not-isolated");
        JsonNode rule = data.get("rules").get(warehouseToEhr.get("in").get("r").get(0).asInt());
        assertThat(rule.get("policy").asText()).isEqualTo("phi/ehr-db-ingress");
        assertThat(rule.get("rule").asText()).isEqualTo("ingress[1]");
        assertThat(rule.get("at").asText()).isEqualTo("examples/clinic/phi/network-policies.yaml:124:7");
        long phiNodes = 0;
        for (JsonNode node : data.get("nodes")) {
            phiNodes += node.get("phi").asBoolean() ? 1 : 0;
        }
        assertThat(phiNodes).isEqualTo(clinicPhi.workloads().size());
    }

    @Test
    void testHostileNamesCannotCloseTheDataScript() throws IOException {
        WorkloadId evil = new WorkloadId("ns", "x</script><script>alert(1)</script>", "Pod");
        Cluster cluster = Cluster.of(List.of(Namespace.of("ns", Map.of())),
                List.of(Workload.of(evil, Map.of("a", "b"), List.of()),
                        Workload.of(new WorkloadId("ns", "y<!--", "Pod"), Map.of("a", "c"), List.of())),
                List.of());
        String html = new ConnectivityHtmlFormatter(PhiScope.of(cluster, ProfileReader.defaultProfile()),
                "<b>&\"</b>").format(ConnectivityAnalyzer.analyze(cluster));
        String ours = withoutLibraryCode(html);
        assertThat(ours).doesNotContain("alert(1)</script>", "<script>alert", "y<!--", "<b>&");
        assertThat(ours).contains("x\\u003c/script\\u003e\\u003cscript\\u003ealert(1)", "&lt;b&gt;&amp;&quot;&lt;/b&gt;");
        assertThat(data(html).get("nodes").toString()).contains("x</script><script>alert(1)</script>");
    }

    @Test
    void testScriptSafeJsonEscapesMarkupCharacters() {
        assertThat(NetworkMapData.scriptSafe("{\"a\":\"</script>&<!--\u2028\"}"))
                .isEqualTo("{\"a\":\"\\u003c/script\\u003e\\u0026\\u003c!--\\u2028\"}");
    }

    @Test
    void testLargeMapsOpenCollapsedAndCapTheEmbeddedConnections() throws IOException {
        NetworkMapData.Limits limits = new NetworkMapData.Limits(5, 20, 300, 1500);
        String html = new ConnectivityHtmlFormatter(clinicPhi, "examples/clinic", limits).format(clinic);
        JsonNode data = data(html);
        assertThat(data.get("collapsed").asBoolean()).isTrue();
        assertThat(data.get("capped").asBoolean()).isTrue();
        assertThat(data.get("edges")).hasSize(20);
        assertThat(data.get("totals").get("connections").asInt()).isEqualTo(clinic.connections().size());
        assertThat(data.get("note").asText()).contains(String.valueOf(clinic.connections().size()), "embeds 20 of them");
        // the PHI tier comes first: every embedded connection touches a PHI workload, as 20 of them do
        Set<String> phiNodes = new HashSet<>();
        data.get("nodes").forEach(node -> {
            if (node.get("phi").asBoolean()) {
                phiNodes.add(node.get("id").asText());
            }
        });
        for (JsonNode edge : data.get("edges")) {
            assertThat(phiNodes.contains(edge.get("s").asText()) || phiNodes.contains(edge.get("t").asText()))
                    .as("edge %s touches PHI", edge).isTrue();
        }
        long aggregated = 0;
        long shown = 0;
        for (JsonNode aggregate : data.get("groupEdges")) {
            aggregated += aggregate.get("n").asLong();
            shown += aggregate.get("shown").asLong();
        }
        assertThat(aggregated).isEqualTo(clinic.connections().size());
        assertThat(shown).isEqualTo(20);
    }

    @Test
    void testChooseTakesTiersInOrderAndTurnsAcrossGroupPairs() {
        String[] groups = {"a>b", "a>b", "a>b", "c>d", "c>d", "e>f", "e>f", "e>f"};
        byte[] tiers = {2, 2, 2, 2, 2, 1, 0, 2};
        BitSet chosen = NetworkMapData.choose(groups.length, groups, tiers, 4);
        // tier 0 (index 6), tier 1 (index 5), then tier 2 in turns: a>b first (0), c>d first (3)
        assertThat(chosen.stream().boxed().toList()).containsExactly(0, 3, 5, 6);
        assertThat(NetworkMapData.choose(groups.length, groups, tiers, 8).cardinality()).isEqualTo(8);
        assertThat(NetworkMapData.choose(groups.length, groups, tiers, 0).cardinality()).isZero();
    }

    @Test
    void testALibraryThatWouldCloseItsScriptIsRefused() {
        assertThatThrownBy(() -> new WebLibrary("bad", "1", "var s = '</SCRIPT>';"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bad 1");
        assertThatThrownBy(() -> WebLibrary.load("no-such-library", "dist/x.js"))
                .hasMessageContaining("org.webjars.npm:no-such-library is not on the classpath");
    }
}
