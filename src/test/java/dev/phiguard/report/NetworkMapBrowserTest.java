package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.Finding;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.WorkloadId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The html output of examples/clinic in a real browser, headless Debian Chromium: what it draws
 * against the model, clicks on the canvas, the filters, search, export, the findings panel, and
 * that it fetches nothing and logs no error (a blocked script would). Screenshots go to
 * target/screenshots.
 */
class NetworkMapBrowserTest {
    private static ConnectivityMap clinic;
    private static AuditResult audit;
    private static Path connectivityPage;
    private static Path auditPage;
    private static ChromiumBrowser browser;

    @BeforeAll
    static void writePagesAndStartTheBrowser() throws IOException {
        IngestResult in = ManifestReader.read(List.of("examples/clinic"), InputStream.nullInputStream());
        assertThat(in.diagnostics()).isEmpty();
        clinic = ConnectivityAnalyzer.analyze(in.cluster());
        PhiScope phi = PhiScope.of(in.cluster(), in.profiles().get(0));
        audit = Auditor.audit(in.cluster(), in.profiles().get(0));
        Path dir = Path.of(System.getProperty("phiguard.projectRoot", "."), "target", "browser");
        Files.createDirectories(dir);
        connectivityPage = dir.resolve("clinic-connectivity.html");
        Files.writeString(connectivityPage, new ConnectivityHtmlFormatter(phi, "examples/clinic").format(clinic),
                StandardCharsets.UTF_8);
        auditPage = dir.resolve("clinic-audit.html");
        AuditReport report = new AuditReport(audit, List.of(), in.profiles().get(0).source().file(), "test",
                Optional.of("2026-01-15"));
        Files.writeString(auditPage, new AuditHtmlFormatter(clinic, phi).format(report), StandardCharsets.UTF_8);
        browser = ChromiumBrowser.start(1600, 1000);
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void open(Path page) {
        browser.requests();
        browser.consoleErrors();
        browser.driver.get(page.toUri().toString());
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(driver ->
                "true".equals(driver.findElement(By.id("pgmap")).getAttribute("data-ready")));
    }

    private static long visible(String selector) {
        return browser.jsLong("return phiguardMap.cy.elements(arguments[0]).not('.hidden').length;", selector);
    }

    private static long count(Predicate<Connection> which) {
        return clinic.connections().stream().filter(which).count();
    }

    private static boolean touches(Connection connection, String workload) {
        return connection.source().toString().equals(workload) || connection.destination().toString().equals(workload);
    }

    /** The id of the drawn edge between two peers, by their printed names. */
    private static String edgeBetween(String source, String destination) {
        return (String) browser.js("var s = arguments[0], t = arguments[1];"
                + " return phiguardMap.cy.edges('.connection').filter(function (e) {"
                + " return e.source().data('full') === s && e.target().data('full') === t;"
                + " }).map(function (e) { return e.id(); })[0] || null;", source, destination);
    }

    /** A real mouse click on the canvas at the rendered middle of an edge. */
    private static void clickEdge(String edgeId) {
        @SuppressWarnings("unchecked")
        Map<String, Number> middle = (Map<String, Number>) browser.js(
                "return phiguardMap.cy.getElementById(arguments[0]).renderedMidpoint();", edgeId);
        WebElement canvas = browser.driver.findElement(By.id("pgmap-canvas"));
        Dimension size = canvas.getSize();
        new Actions(browser.driver).moveToElement(canvas,
                (int) Math.round(middle.get("x").doubleValue() - size.getWidth() / 2.0),
                (int) Math.round(middle.get("y").doubleValue() - size.getHeight() / 2.0)).click().perform();
    }

    private static void type(String id, CharSequence... keys) {
        WebElement field = browser.driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(keys);
    }

    static void assertNothingFetchedAndNoError(ChromiumBrowser browser) {
        List<String[]> requests = browser.requests();
        assertThat(requests).as("nothing goes to the network")
                .noneMatch(request -> request[1].matches("(?i)(https?|wss?|ftp):.*"));
        assertThat(requests.stream().filter(request -> request[0].startsWith("file:")).map(request -> request[1]))
                .as("the page loads nothing but itself and its own data: and blob: URLs")
                .allMatch(url -> url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:"));
        assertThat(browser.jsLong("return performance.getEntriesByType('resource').filter(function (e) {"
                + " return !/^(data|blob):/.test(e.name); }).length;")).isZero();
        assertThat(browser.jsLong("return document.querySelectorAll('[src]:not([src^=\"data:\"]), link[href]').length;")).isZero();
        assertThat(browser.consoleErrors()).as("console errors (a script the policy blocked would show here)").isEmpty();
    }

    @Test
    void testClinicDrawsEveryWorkloadRangeAndConnectionAndLoadsNothing() {
        open(connectivityPage);
        GraphPeers peers = GraphPeers.of(clinic);
        assertThat(visible("node.workload")).isEqualTo(clinic.workloads().size());
        assertThat(visible("node.external")).isEqualTo(peers.externals().size());
        assertThat(visible("edge.connection")).isEqualTo(clinic.connections().size());
        assertThat(visible("edge.aggregate")).isZero();
        assertThat(visible("node.group")).isEqualTo(peers.namespaces().size());
        assertThat(visible("node.group.phi")).isEqualTo(4);
        assertThat(browser.driver.findElement(By.id("pgmap-count-workloads")).getText())
                .isEqualTo(String.valueOf(clinic.workloads().size()));
        assertThat(browser.driver.findElement(By.id("pgmap-count-edges")).getText())
                .isEqualTo(String.valueOf(clinic.connections().size()));
        // the layered layout ran: nodes are spread out, not stacked at the origin
        assertThat(browser.jsLong("var b = phiguardMap.cy.nodes().boundingBox(); return Math.round(b.w * b.h);"))
                .isGreaterThan(200_000);
        browser.screenshot("clinic-connectivity.png");
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testClickingAConnectionShowsThePoliciesAndRulesThatAllowIt() {
        open(connectivityPage);
        String ehrDb = "phi/ehr-db[StatefulSet]";
        type("pgmap-workload", ehrDb, Keys.TAB);
        assertThat(visible("edge")).isEqualTo(count(c -> touches(c, ehrDb)));
        String edge = edgeBetween("analytics/warehouse[StatefulSet]", ehrDb);
        assertThat(edge).isNotNull();
        clickEdge(edge);
        WebElement details = browser.driver.findElement(By.id("pgmap-details"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(driver -> edge.equals(details.getAttribute(
                "data-edge")));
        assertThat(details.getText()).contains("analytics/warehouse[StatefulSet] \u2192 phi/ehr-db[StatefulSet]",
                "TCP 5432", "No policy selects analytics/warehouse[StatefulSet] for egress",
                "phi/ehr-db-ingress ingress[1]", "examples/clinic/phi/network-policies.yaml:124:7",
                "The destination holds PHI");
        browser.screenshot("clinic-connectivity-edge.png");
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testPortFilterHidesConnectionsThatDoNotAllowThePort() {
        open(connectivityPage);
        type("pgmap-port", "5432");
        assertThat(visible("edge")).isEqualTo(count(c -> c.connections().contains(Protocol.TCP, 5432)))
                .isLessThan(clinic.connections().size());
        String grafanaToPrometheus = edgeBetween("monitoring/grafana[Deployment]", "monitoring/prometheus[StatefulSet]");
        assertThat(browser.js("return phiguardMap.cy.getElementById(arguments[0]).hasClass('hidden');",
                grafanaToPrometheus)).isEqualTo(true);
        type("pgmap-port", "53/udp");
        assertThat(visible("edge")).isEqualTo(count(c -> c.connections().contains(Protocol.UDP, 53)));
        type("pgmap-port", "9090");
        assertThat(browser.js("return phiguardMap.cy.getElementById(arguments[0]).hasClass('hidden');",
                grafanaToPrometheus)).isEqualTo(false);
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testNamespaceFilterHidesItsWorkloadsAndTheirConnections() {
        open(connectivityPage);
        browser.driver.findElement(By.cssSelector("#pgmap-ns > summary")).click();
        browser.driver.findElement(By.cssSelector("input[data-namespace='analytics']")).click();
        long analytics = clinic.workloads().stream().filter(id -> id.namespace().equals("analytics")).count();
        assertThat(analytics).isEqualTo(3);
        assertThat(visible("node.workload")).isEqualTo(clinic.workloads().size() - analytics);
        Predicate<Peer> inAnalytics = peer -> peer instanceof Peer.WorkloadPeer w && w.id().namespace().equals("analytics");
        assertThat(visible("edge")).isEqualTo(count(c -> !inAnalytics.test(c.source())
                && !inAnalytics.test(c.destination())));
        assertThat(browser.driver.findElement(By.id("pgmap-count-workloads")).getText())
                .isEqualTo(String.valueOf(clinic.workloads().size() - analytics));
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testSearchFindsAWorkloadAndEnterSelectsIt() {
        open(connectivityPage);
        type("pgmap-search", "ehr");
        WebElement results = browser.driver.findElement(By.id("pgmap-search-results"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(driver -> results.isDisplayed()
                && results.getText().contains("phi/ehr-db[StatefulSet]"));
        assertThat(results.getText()).contains("1 match");
        String node = (String) browser.js("return phiguardMap.cy.nodes('.search-hit').map(function (n) {"
                + " return n.data('full'); }).join(',');");
        assertThat(node).isEqualTo("phi/ehr-db[StatefulSet]");
        browser.driver.findElement(By.id("pgmap-search")).sendKeys(Keys.ENTER);
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(driver -> driver.findElement(
                By.cssSelector("#pgmap-details .pgmap-details-title")).getText().equals("phi/ehr-db[StatefulSet]"));
        assertThat(browser.js("return phiguardMap.cy.$(':selected').map(function (n) { return n.data('full'); })"
                + ".join(',');")).isEqualTo("phi/ehr-db[StatefulSet]");
        assertThat(browser.driver.findElement(By.id("pgmap-details")).getText())
                .contains("Holds PHI: annotated phiguard.io/phi=true");
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testExportsPngAndSvgOfWhatIsDrawn() {
        open(connectivityPage);
        String png = (String) browser.js("return phiguardMap.png();");
        assertThat(png).startsWith("data:image/png;base64,");
        byte[] bytes = Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1));
        assertThat(bytes).hasSizeGreaterThan(20_000).startsWith(0x89, 'P', 'N', 'G');
        @SuppressWarnings("unchecked")
        Map<String, Number> svg = (Map<String, Number>) browser.js("var doc = new DOMParser().parseFromString("
                + "phiguardMap.svg(), 'image/svg+xml');"
                + " return {errors: doc.getElementsByTagName('parsererror').length,"
                + " nodes: doc.querySelectorAll('g.node').length, edges: doc.querySelectorAll('g.edge').length,"
                + " groups: doc.querySelectorAll('g.group').length};");
        assertThat(svg.get("errors").intValue()).isZero();
        assertThat(svg.get("nodes").longValue()).isEqualTo(visible("node.workload") + visible("node.external"));
        assertThat(svg.get("edges").longValue()).isEqualTo(clinic.connections().size());
        assertThat(svg.get("groups").longValue()).isEqualTo(GraphPeers.of(clinic).namespaces().size());
        browser.driver.findElement(By.id("pgmap-png")).click();
        browser.driver.findElement(By.id("pgmap-svg")).click();
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testAuditFindingsPanelShowsEvidenceAndLinksToTheConnection() throws IOException {
        open(auditPage);
        List<Finding> findings = audit.findings();
        assertThat(browser.driver.findElements(By.cssSelector("#pgmap-findings li.pgmap-finding")))
                .hasSize(findings.size());
        browser.js("arguments[0].scrollIntoView({block: 'start'});", browser.driver.findElement(By.id("pgmap")));
        Files.createDirectories(Path.of(System.getProperty("phiguard.projectRoot", "."), "target", "screenshots"));
        Files.write(Path.of(System.getProperty("phiguard.projectRoot", "."), "target", "screenshots",
                "clinic-audit.png"), browser.driver.findElement(By.id("pgmap")).getScreenshotAs(OutputType.BYTES));
        Finding warehouse = findings.stream().filter(f -> f.controlId().equals("PG004")
                && f.workloads().contains(new WorkloadId("analytics", "warehouse", "StatefulSet"))).findFirst()
                .orElseThrow();
        WebElement item = browser.driver.findElement(By.cssSelector("li[data-finding='" + warehouse.id() + "']"));
        item.click();
        WebElement details = browser.driver.findElement(By.id("pgmap-details"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(driver -> warehouse.id().equals(
                details.getAttribute("data-finding")));
        assertThat(details.getText()).contains(warehouse.message(), "Remediation", "phi/ehr-db-ingress ingress[1]",
                "analytics/warehouse[StatefulSet] => phi/ehr-db[StatefulSet] : TCP 5432");
        String edge = edgeBetween("analytics/warehouse[StatefulSet]", "phi/ehr-db[StatefulSet]");
        assertThat(browser.js("return phiguardMap.cy.getElementById(arguments[0]).hasClass('finding-focus');", edge))
                .isEqualTo(true);
        assertThat(browser.js("return phiguardMap.cy.getElementById(arguments[0]).hasClass('has-finding');", edge))
                .isEqualTo(true);
        // every finding's workloads are marked on the map
        for (Finding finding : findings) {
            for (WorkloadId workload : finding.workloads()) {
                assertThat(browser.js("var w = arguments[0]; return phiguardMap.cy.nodes().filter(function (n) {"
                        + " return n.data('full') === w; }).hasClass('has-finding');", workload.toString()))
                        .as("%s marked for %s", workload, finding.id()).isEqualTo(true);
            }
        }
        new WebDriverWait(browser.driver, Duration.ofSeconds(2)).until(driver -> Boolean.TRUE.equals(browser.js(
                "return !phiguardMap.cy.animated();")));
        Files.write(Path.of(System.getProperty("phiguard.projectRoot", "."), "target", "screenshots",
                "clinic-audit-finding.png"), browser.driver.findElement(By.id("pgmap"))
                .getScreenshotAs(OutputType.BYTES));
        details.findElement(By.linkText("analytics/warehouse[StatefulSet] => phi/ehr-db[StatefulSet] : TCP 5432"))
                .click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(driver -> edge.equals(details.getAttribute(
                "data-edge")));
        assertThat(details.getText()).contains("examples/clinic/phi/network-policies.yaml:124:7");
        assertNothingFetchedAndNoError(browser);
    }

    @Test
    void testAuditPrintsASnapshotOfTheMap() {
        open(auditPage);
        browser.js("window.dispatchEvent(new Event('beforeprint'));");
        WebElement snapshot = browser.driver.findElement(By.id("pgmap-snapshot"));
        assertThat(snapshot.getAttribute("src")).startsWith("data:image/png;base64,");
        new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(driver -> browser.jsLong(
                "return document.getElementById('pgmap-snapshot').naturalWidth;") > 500);
        assertThat(snapshot.isDisplayed()).as("on screen the snapshot is for print only").isFalse();
        assertNothingFetchedAndNoError(browser);
    }
}
