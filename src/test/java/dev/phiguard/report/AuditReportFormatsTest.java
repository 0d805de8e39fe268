package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.compliance.Remediation;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.WorkloadId;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The audit of examples/clinic in every report format, against reference files, and their contracts. */
class AuditReportFormatsTest {
    private static final String DATE = "2026-01-15";
    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\" | *bold* [link](http://evil.example)";

    private static AuditReport clinic;
    private static AuditReport undated;
    private static AuditHtmlFormatter withMap;

    @BeforeAll
    static void auditClinic() {
        IngestResult in = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        assertThat(in.diagnostics()).as("examples/clinic must be free of diagnostics").isEmpty();
        AuditResult result = Auditor.audit(in.cluster(), in.profiles().get(0));
        List<AuditReport.Input> inputs = in.inputs().stream()
                .map(i -> new AuditReport.Input(i.path(), i.sha256())).toList();
        String profileSource = in.profiles().get(0).source().file();
        clinic = new AuditReport(result, inputs, profileSource, "test", Optional.of(DATE));
        undated = new AuditReport(result, inputs, profileSource, "test", Optional.empty());
        withMap = new AuditHtmlFormatter(dev.phiguard.eval.ConnectivityAnalyzer.analyze(in.cluster()),
                dev.phiguard.compliance.PhiScope.of(in.cluster(), in.profiles().get(0)));
    }

    @Test
    void testTextMatchesGolden() {
        Golden.assertMatches("clinic/audit.txt", new AuditTextFormatter(false).format(clinic));
    }

    @Test
    void testJsonMatchesGolden() {
        Golden.assertMatches("clinic/audit.json", new AuditJsonFormatter().format(clinic));
    }

    @Test
    void testJsonStreamedIsTheSameTextAsFormatted() throws java.io.IOException {
        // the CLI streams the JSON report, whose golden is checked through format()
        java.io.StringWriter streamed = new java.io.StringWriter();
        new AuditJsonFormatter().write(clinic, streamed);
        assertThat(streamed.toString()).isEqualTo(new AuditJsonFormatter().format(clinic)).endsWith("}\n");
    }

    @Test
    void testJunitMatchesGolden() {
        Golden.assertMatches("clinic/audit.junit.xml", new AuditJunitFormatter().format(clinic));
    }

    @Test
    void testMarkdownMatchesGolden() {
        Golden.assertMatches("clinic/audit.md", new AuditMarkdownFormatter().format(clinic));
    }

    @Test
    void testHtmlMatchesGolden() {
        // what audit -o html writes: the report with the network map, the libraries' code left out
        Golden.assertMatches("clinic/audit.html", NetworkMapHtmlTest.withoutLibraryCode(withMap.format(clinic)));
    }

    @Test
    void testHtmlWithTheMapLinksEveryFindingToItsWorkloadsAndConnections() throws java.io.IOException {
        String html = withMap.format(clinic);
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'; img-src data: blob:; script-src 'sha256-")
                .contains("<li><a href=\"#network-map\">Network map</a></li>", "<ol id=\"pgmap-findings\"",
                        "<img id=\"pgmap-snapshot\" class=\"pgmap-print\"");
        // printed, the interactive map gives way to its snapshot
        assertThat(html).containsPattern("@media print \\{\\s*\\.pgmap \\{ display: none !important; \\}\\s*"
                + "\\.pgmap-print \\{ display: block;");
        com.fasterxml.jackson.databind.JsonNode data = NetworkMapHtmlTest.data(html);
        assertThat(data.get("mode").asText()).isEqualTo("audit");
        List<Finding> findings = clinic.result().findings();
        assertThat(data.get("findings")).hasSize(findings.size());
        for (int i = 0; i < findings.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode finding = data.get("findings").get(i);
            assertThat(finding.get("id").asText()).isEqualTo(findings.get(i).id());
            assertThat(finding.get("workloads")).hasSize(findings.get(i).workloads().size());
            assertThat(finding.get("edgeOf")).hasSize(findings.get(i).connections().size());
            finding.get("edgeOf").forEach(edge -> assertThat(edge.isTextual())
                    .as("every connection of %s is drawn", finding.get("id").asText()).isTrue());
            assertThat(finding.get("edges").isEmpty()).isEqualTo(findings.get(i).connections().isEmpty());
            assertThat(html).contains("id=\"" + finding.get("anchor").asText() + "\"");
        }
    }

    @Test
    void testJunitParsesAndFailsOncePerControlAndNamespaceWithFindings() throws Exception {
        Document document = parse(new AuditJunitFormatter().format(clinic));
        Set<String> pairs = new HashSet<>();
        clinic.result().findings().forEach(finding -> pairs.add(finding.controlId() + "|" + finding.namespace()));

        Element suites = document.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        NodeList failures = document.getElementsByTagName("failure");
        NodeList cases = document.getElementsByTagName("testcase");
        assertThat(failures.getLength()).isEqualTo(pairs.size());
        assertThat(suites.getAttribute("failures")).isEqualTo(Integer.toString(pairs.size()));
        assertThat(suites.getAttribute("tests")).isEqualTo(Integer.toString(cases.getLength()));
        Element suite = (Element) document.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("failures")).isEqualTo(Integer.toString(pairs.size()));
        assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(cases.getLength()));

        long notAssessed = clinic.result().count(ControlResult.Status.NOT_ASSESSED);
        assertThat(document.getElementsByTagName("skipped").getLength()).isEqualTo((int) notAssessed);
        assertThat(suite.getAttribute("skipped")).isEqualTo(Long.toString(notAssessed));
        // one whole-control case per passed or not-assessed control, one per (control, namespace) pair
        long whole = clinic.result().controls().size() - clinic.result().count(ControlResult.Status.FAIL);
        assertThat((long) cases.getLength()).isEqualTo(whole + pairs.size());

        for (int i = 0; i < failures.getLength(); i++) {
            Element failure = (Element) failures.item(i);
            Element testCase = (Element) failure.getParentNode();
            String control = testCase.getAttribute("classname").substring("phiguard.".length());
            String name = testCase.getAttribute("name");
            String namespace = name.substring(name.indexOf('[') + 1, name.length() - 1);
            assertThat(pairs).contains(control + "|" + namespace);
            for (Finding finding : clinic.result().findings()) {
                if (finding.controlId().equals(control) && finding.namespace().equals(namespace)) {
                    assertThat(failure.getTextContent()).contains(finding.id(), finding.location().toString(),
                            finding.message(), finding.remediation().text());
                    finding.rules().forEach(rule -> assertThat(failure.getTextContent()).contains(rule.toString()));
                }
            }
        }
    }

    @Test
    void testJunitNamesWholeControlCases() throws Exception {
        Document document = parse(new AuditJunitFormatter().format(clinic));
        NodeList cases = document.getElementsByTagName("testcase");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((Element) cases.item(i)).getAttribute("name"));
        }
        assertThat(names).contains("PG003 phi-external-ingress [all namespaces]",
                "PG004 phi-least-privilege-ingress [phi]", "PG011 cni-enforces-network-policy [all namespaces]");
    }

    @Test
    void testJunitEscapesAndStaysWellFormed() throws Exception {
        String xml = new AuditJunitFormatter().format(hostile());
        Document document = parse(xml);
        NodeList failures = document.getElementsByTagName("failure");
        Element failure = (Element) failures.item(failures.getLength() - 1);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("PG999 hostile-<name> [ns-<b>]");
        assertThat(failure.getAttribute("message")).contains(HOSTILE);
        assertThat(failure.getTextContent()).contains(HOSTILE);
        assertThat(xml).doesNotContain("<script>");
    }

    @Test
    void testCleanReplacesCharactersXmlCannotCarry() {
        assertThat(AuditJunitFormatter.clean("a\u0000b\u001bc\td\ne")).isEqualTo("a\uFFFDb\uFFFDc\td\ne");
        assertThat(AuditJunitFormatter.clean("ok \uD83D\uDE00")).isEqualTo("ok \uD83D\uDE00");
        assertThat(AuditJunitFormatter.clean("lone \uD83D!")).isEqualTo("lone \uFFFD!");
    }

    @Test
    void testHtmlLoadsNothingFromOutside() {
        String html = new AuditHtmlFormatter().format(clinic);
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "<img", "<iframe", "url(",
                "@import", " src=");
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>", "@media print");
    }

    @Test
    void testHtmlEscapesUserData() {
        String html = new AuditHtmlFormatter().format(hostile());
        assertThat(html).doesNotContain("<script>", "alert('x')");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;");
        // the namespace name and the YAML went through the same escaping
        assertThat(html).contains("namespace ns-&lt;b&gt;");
    }

    @Test
    void testHtmlEscapeHelper() {
        assertThat(AuditHtmlFormatter.escape("<a href=\"x\">Tom & 'Jerry'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
        assertThat(AuditHtmlFormatter.escape("plain text")).isEqualTo("plain text");
        assertThat(AuditHtmlFormatter.escape("nul\u0000")).isEqualTo("nul\uFFFD");
    }

    @Test
    void testHtmlHasAnAnchorPerControlAndFindingInItsContents() {
        String html = new AuditHtmlFormatter().format(clinic);
        for (ControlResult control : clinic.result().controls()) {
            String anchor = control.control().id().toLowerCase();
            assertThat(html).contains("id=\"" + anchor + "\"", "href=\"#" + anchor + "\"");
        }
        for (Finding finding : clinic.result().findings()) {
            String anchor = finding.id().toLowerCase();
            assertThat(html).contains("id=\"" + anchor + "\"", "href=\"#" + anchor + "\"");
        }
        assertThat(ids(html)).doesNotHaveDuplicates();
    }

    @Test
    void testMarkdownEscapesUserData() {
        String md = new AuditMarkdownFormatter().format(hostile());
        assertThat(md).doesNotContain("<script>", "[link](");
        assertThat(md).contains("\\<script\\>alert('x')\\</script\\> \\& \"quoted\" \\| \\*bold\\* [link\\](http");
    }

    @Test
    void testMarkdownEscapeKeepsIdsReadable() {
        assertThat(AuditMarkdownFormatter.escape("phi/ehr-db[StatefulSet] can connect"))
                .isEqualTo("phi/ehr-db[StatefulSet] can connect");
        assertThat(AuditMarkdownFormatter.escape("![img](x) a_b *c* <d> e|f g&amp;\nh"))
                .isEqualTo("![img\\](x) a\\_b \\*c\\* \\<d\\> e\\|f g\\&amp; h");
    }

    @Test
    void testMarkdownCodeSpansAndFencesHoldBackticks() {
        assertThat(AuditMarkdownFormatter.code("a`b")).isEqualTo("``a`b``");
        assertThat(AuditMarkdownFormatter.code("`x`")).isEqualTo("`` `x` ``");
        assertThat(AuditMarkdownFormatter.code("a|b")).isEqualTo("`a\\|b`");
    }

    @Test
    void testMarkdownListsEveryInputDigest() {
        String md = new AuditMarkdownFormatter().format(clinic);
        assertThat(clinic.inputs()).isNotEmpty();
        for (AuditReport.Input input : clinic.inputs()) {
            assertThat(md).contains(input.sha256(), input.path());
        }
        String html = new AuditHtmlFormatter().format(clinic);
        for (AuditReport.Input input : clinic.inputs()) {
            assertThat(html).contains(input.sha256());
        }
    }

    @Test
    void testDateAppearsOnlyWhenGiven() {
        for (AuditFormatter formatter : List.of(new AuditMarkdownFormatter(), new AuditHtmlFormatter(),
                new AuditJunitFormatter(), new AuditJsonFormatter())) {
            assertThat(formatter.format(clinic)).as(formatter.getClass().getSimpleName()).contains(DATE);
            assertThat(formatter.format(undated)).as(formatter.getClass().getSimpleName()).doesNotContain(DATE)
                    .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}");
        }
        assertThat(new AuditMarkdownFormatter().format(undated)).contains("not stated (use --date)");
        assertThat(new AuditHtmlFormatter().format(undated)).contains("not stated (use --date)");
    }

    @Test
    void testReportsStateTheAuditTheyDescribe() {
        AuditResult result = clinic.result();
        for (AuditFormatter formatter : List.of(new AuditMarkdownFormatter(), new AuditHtmlFormatter())) {
            String text = formatter.format(clinic);
            assertThat(text).contains("phiguard test", clinic.profileSource(), "clinic",
                    "203.0.113.0/24", "insurance-clearinghouse", "ingress-controller", "5671/TCP");
            for (ControlResult control : result.controls()) {
                assertThat(text).contains(control.control().id(), control.control().name());
                control.evidence().forEach(line -> assertThat(text).contains(
                        formatter instanceof AuditHtmlFormatter ? AuditHtmlFormatter.escape(line)
                                : AuditMarkdownFormatter.escape(line)));
            }
            for (WorkloadId phi : result.phiWorkloads().keySet()) {
                assertThat(text).contains(phi.toString());
            }
            for (NetworkPolicy policy : result.fixes()) {
                String yaml = NetworkPolicyYaml.write(policy);
                assertThat(text).contains(formatter instanceof AuditHtmlFormatter ? AuditHtmlFormatter.escape(yaml)
                        : yaml);
            }
        }
    }

    @Test
    void testFormattingIsDeterministic() {
        IngestResult again = ManifestReader.read(List.of("examples/clinic"), new ByteArrayInputStream(new byte[0]));
        AuditResult result = Auditor.audit(again.cluster(), again.profiles().get(0));
        AuditReport second = new AuditReport(result, clinic.inputs(), clinic.profileSource(), "test",
                Optional.of(DATE));
        for (AuditFormatter formatter : List.of(new AuditJunitFormatter(), new AuditMarkdownFormatter(),
                new AuditHtmlFormatter())) {
            assertThat(formatter.format(second)).isEqualTo(formatter.format(clinic));
        }
    }

    /**
     * The clinic audit plus one control whose finding carries markup in its message, remediation,
     * namespace and proposed policy, as text from manifests might.
     */
    private static AuditReport hostile() {
        AuditResult base = clinic.result();
        ControlInfo info = new ControlInfo("PG999", "hostile-<name>", "A title with <em>markup</em>",
                Severity.HIGH, List.of(Citation.hipaa("(a)(1)", "Access <control>")), "Because <b>x</b>", false);
        NetworkPolicy policy = base.fixes().get(0);
        Finding finding = Finding.of(info, Severity.HIGH, "ns-<b>", HOSTILE, "key", List.of(), List.of(), List.of(),
                new SourceRef("dir/<x>.yaml", 3, 1), new Remediation("Fix " + HOSTILE, List.of(policy)), List.of());
        List<ControlResult> controls = new java.util.ArrayList<>(base.controls());
        controls.add(ControlResult.assessed(info, List.of(finding), List.of("evidence " + HOSTILE)));
        AuditResult result = new AuditResult(base.profile(), controls,
                Map.of(new WorkloadId("ns", "w", "Deployment"), "reason " + HOSTILE), base.scope(), base.failOn());
        return new AuditReport(result, List.of(new AuditReport.Input("<in>.yaml", "00")), "<profile>.yaml",
                "test", Optional.empty());
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> ids(String html) {
        Matcher matcher = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }
}
