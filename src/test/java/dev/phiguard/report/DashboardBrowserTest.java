package dev.phiguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.server.LiveAudit;
import dev.phiguard.server.PhiguardServer;
import dev.phiguard.server.ServedClinic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of phiguard serve in headless Chromium: a policy file added to the served folder
 * shows on the open page (new arrow, new findings, new "last evaluated" time) without a reload,
 * a file that cannot be read raises the banner while the last good map stays, and the page talks
 * only to its own server and logs no error (a script its policy blocked would).
 */
class DashboardBrowserTest {
    @TempDir
    static Path scratch;
    private static ServedClinic clinic;
    private static Path folder;
    private static LiveAudit live;
    private static PhiguardServer server;
    private static ChromiumBrowser browser;

    @BeforeAll
    static void serveTheClinicAndStartTheBrowser() throws IOException {
        browser = ChromiumBrowser.start(1600, 1000);
        clinic = ServedClinic.start(scratch);
        folder = clinic.folder;
        live = clinic.live;
        server = clinic.server;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (clinic != null) {
            clinic.close();
        }
    }

    private static long claimsWorkerToEhrDb() {
        return browser.jsLong("return phiguardMap.data.edges.filter(function (e) {"
                + " return phiguardMap.data.nodes.filter(function (n) { return n.id === e.s; })[0].full"
                + " === 'billing/claims-worker[Deployment]'"
                + " && phiguardMap.data.nodes.filter(function (n) { return n.id === e.t; })[0].full"
                + " === 'phi/ehr-db[StatefulSet]'; }).length;");
    }

    private static void awaitMap(WebDriverWait wait) {
        wait.until(driver -> (Boolean) browser.js("return !!(window.phiguardMap && phiguardMap.ready"
                + " && document.getElementById('pgmap').getAttribute('data-ready') === 'true');"));
    }

    @Test
    void testThePageRedrawsWhenAPolicyIsAddedAndShowsABannerWhenTheFilesCannotBeRead() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
        browser.requests();
        browser.consoleErrors();
        browser.driver.get(server.url());
        awaitMap(wait);
        wait.until(driver -> driver.findElement(By.id("pgdash-live")).getText().startsWith("live"));
        String firstEvaluation = browser.driver.findElement(By.tagName("body")).getAttribute("data-evaluated-at");
        assertThat(firstEvaluation).isEqualTo(live.state().answer().orElseThrow().evaluatedAt().toString());
        assertThat(browser.driver.findElement(By.id("pgdash-verdict")).getText())
                .isEqualTo("\u2717 FAIL \u2014 8 findings: 6 high, 1 medium, 1 low");
        assertThat(browser.driver.findElement(By.id("pgdash-evaluated")).getAttribute("datetime"))
                .isEqualTo(firstEvaluation);
        assertThat(browser.driver.findElements(By.cssSelector("#pgmap-findings li"))).hasSize(8);
        assertThat(claimsWorkerToEhrDb()).isZero();
        assertThat(browser.driver.findElement(By.id("pgdash-banner")).isDisplayed()).isFalse();
        browser.js("window.phiguardDashboardTestMark = 'same page';");
        browser.driver.findElement(By.id("pgmap-port")).sendKeys("5432");
        browser.screenshot("dashboard-before.png");

        Files.writeString(folder.resolve("phi/open.yaml"), ServedClinic.OPEN_EHR_DB, StandardCharsets.UTF_8);
        wait.until(driver -> !firstEvaluation.equals(
                driver.findElement(By.tagName("body")).getAttribute("data-evaluated-at")));
        awaitMap(wait);
        assertThat(claimsWorkerToEhrDb()).as("the new connection is drawn").isEqualTo(1);
        assertThat(browser.driver.findElements(By.cssSelector("#pgmap-findings li")).size()).isGreaterThan(8);
        assertThat(browser.js("return window.phiguardDashboardTestMark;")).as("redrawn in place, not reloaded")
                .isEqualTo("same page");
        assertThat(browser.driver.findElement(By.id("pgmap-port")).getAttribute("value"))
                .as("the filters the user set stay").isEqualTo("5432");
        assertThat(browser.js("return phiguardMap.state.port === null;")).as("and filter the new map").isEqualTo(false);
        assertThat(browser.driver.findElement(By.id("pgdash-evaluated")).getAttribute("datetime"))
                .isEqualTo(live.state().answer().orElseThrow().evaluatedAt().toString());
        browser.screenshot("dashboard-after-policy-added.png");

        int findings = browser.driver.findElements(By.cssSelector("#pgmap-findings li")).size();
        Files.writeString(folder.resolve("phi/open.yaml"), "kind: NetworkPolicy\n  bad: [", StandardCharsets.UTF_8);
        wait.until(driver -> driver.findElement(By.id("pgdash-banner")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("pgdash-banner")).getText())
                .startsWith("Cannot read " + folder + " (since ")
                .contains("1 error in " + folder, "Showing the last good answer, evaluated");
        assertThat(browser.driver.findElements(By.cssSelector("#pgmap-findings li"))).as("the last good answer stays")
                .hasSize(findings);
        assertThat(claimsWorkerToEhrDb()).isEqualTo(1);
        browser.screenshot("dashboard-banner.png");

        // the browser's own pages (its new tab page, loaded before the first navigation) are not the dashboard's
        List<String[]> requests = browser.requests().stream().filter(request -> !request[1].startsWith("chrome://"))
                .toList();
        assertThat(requests).as("the page talks only to its server").allMatch(request ->
                request[1].startsWith(server.url()) || request[1].startsWith("data:") || request[1].startsWith("blob:"));
        assertThat(requests).anyMatch(request -> request[1].equals(server.url() + "api/map"));
        assertThat(browser.consoleErrors()).as("console errors (a script the policy blocked would show here)")
                .isEmpty();
    }
}
