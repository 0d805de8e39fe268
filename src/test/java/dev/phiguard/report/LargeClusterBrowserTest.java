package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.synth.ClusterGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The map of a large cluster in a real browser: generate-cluster's 100 namespaces, 3,000
 * workloads and 300 policies (millions of allowed pairs) open collapsed by namespace within a few
 * seconds, and a click expands a namespace without blocking the page.
 */
class LargeClusterBrowserTest {
    // how long opening and expanding take is printed, not asserted: speed is measured by benchmarks, not by tests

    @Test
    void testA3000WorkloadClusterOpensCollapsedAndExpandsANamespaceOnClick() throws IOException {
        try (ChromiumBrowser browser = ChromiumBrowser.start(1600, 1000)) {
            Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(100, 3000, 300, 1));
            ConnectivityMap map = ConnectivityAnalyzer.analyze(cluster);
            String html = new ConnectivityHtmlFormatter(PhiScope.of(cluster, ProfileReader.defaultProfile()),
                    "generate-cluster --namespaces 100 --workloads 3000 --policies 300 --seed 1").format(map);
            Path page = Path.of(System.getProperty("phiguard.projectRoot", "."), "target", "browser",
                    "large-connectivity.html");
            Files.createDirectories(page.getParent());
            Files.writeString(page, html, StandardCharsets.UTF_8);
            assertThat(map.workloads()).hasSize(3000);
            assertThat(map.connections().size()).as("large enough to need the cap")
                    .isGreaterThan(2 * NetworkMapData.Limits.DEFAULT.maxEdges());
            assertThat(Files.size(page)).as("page size stays bounded by the cap").isLessThan(40_000_000L);

            browser.requests();
            long start = System.nanoTime();
            browser.driver.get(page.toUri().toString());
            new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(driver ->
                    "true".equals(driver.findElement(By.id("pgmap")).getAttribute("data-ready")));
            long openMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("large cluster page (" + Files.size(page) / 1024 + " KiB) opened in " + openMillis
                    + " ms");

            long namespaces = map.workloads().stream().map(id -> id.namespace()).distinct().count();
            assertThat(browser.jsLong("return phiguardMap.cy.nodes('.workload').length;")).isZero();
            assertThat(browser.jsLong("return phiguardMap.cy.nodes('.namespace').length;"))
                    .isEqualTo(namespaces + 1);
            assertThat(browser.driver.findElement(By.id("pgmap-note")).getText())
                    .contains("the page embeds 30,000 of them", "For the full list");
            browser.screenshot("large-collapsed.png");

            String namespace = "ns-0042";
            String groupId = (String) browser.js("return phiguardMap.data.groups.filter(function (g) {"
                    + " return g.name === arguments[0]; })[0].id;".replace("arguments[0]", "'" + namespace + "'"));
            long members = map.workloads().stream().filter(id -> id.namespace().equals(namespace)).count();
            assertThat(members).isPositive();
            @SuppressWarnings("unchecked")
            Map<String, Number> at = (Map<String, Number>) browser.js("var n = phiguardMap.cy.getElementById("
                    + "arguments[0]); phiguardMap.cy.center(n); return n.renderedPosition();", groupId);
            WebElement canvas = browser.driver.findElement(By.id("pgmap-canvas"));
            Dimension size = canvas.getSize();
            start = System.nanoTime();
            new Actions(browser.driver).moveToElement(canvas,
                    (int) Math.round(at.get("x").doubleValue() - size.getWidth() / 2.0),
                    (int) Math.round(at.get("y").doubleValue() - size.getHeight() / 2.0)).click().perform();
            new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(driver -> browser.jsLong(
                    "return phiguardMap.cy.nodes('.workload').length;") == members);
            long expandMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("expanding " + namespace + " (" + members + " workloads) took " + expandMillis + " ms");
            assertThat(browser.jsLong("return phiguardMap.cy.getElementById(arguments[0]).children().length;",
                    groupId)).isEqualTo(members);
            assertThat(browser.jsLong("return phiguardMap.cy.edges('.connection').length"
                    + " + phiguardMap.cy.edges('.aggregate').length;")).isPositive();
            // still responsive: a script round trip is quick
            long ping = System.nanoTime();
            browser.js("return 1;");
            assertThat((System.nanoTime() - ping) / 1_000_000).isLessThan(1_000);
            browser.screenshot("large-expanded.png");
            NetworkMapBrowserTest.assertNothingFetchedAndNoError(browser);
        }
    }
}
