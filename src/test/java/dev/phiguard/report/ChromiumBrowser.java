package dev.phiguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven through chromedriver, for the browser tests: started with the
 * flags this machine's closed network needs, a scratch profile and home, and the browser's
 * console and network logs kept so that tests can assert the page logged no error and fetched
 * nothing. Tests are skipped, saying why, when chromium or chromedriver is not installed.
 */
final class ChromiumBrowser implements AutoCloseable {
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    final ChromeDriver driver;
    private final Path scratch;

    private ChromiumBrowser(ChromeDriver driver, Path scratch) {
        this.driver = driver;
        this.scratch = scratch;
    }

    /** The browser, or the test is skipped when chromium or chromedriver is missing. */
    static ChromiumBrowser start(int width, int height) {
        Optional<String> browser = find("PHIGUARD_CHROMIUM", BROWSERS);
        Optional<String> chromedriver = find("PHIGUARD_CHROMEDRIVER", DRIVERS);
        Assumptions.assumeTrue(browser.isPresent() && chromedriver.isPresent(),
                "browser test skipped: chromium and chromedriver are not installed (Debian: apt-get install chromium"
                        + " chromium-driver; or set PHIGUARD_CHROMIUM and PHIGUARD_CHROMEDRIVER). .ci/run installs them"
                        + " and fails when this test is skipped.");
        try {
            Path scratch = Files.createTempDirectory("phiguard-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.get());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + scratch.resolve("profile"),
                    "--window-size=" + width + "," + height);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(chromedriver.get()))
                    .usingAnyFreePort()
                    .withEnvironment(Map.of("HOME", scratch.toString()))
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
            return new ChromiumBrowser(driver, scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> find(String variable, List<String> candidates) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? Optional.of(configured) : Optional.empty();
        }
        return candidates.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    long jsLong(String script, Object... args) {
        return ((Number) driver.executeScript(script, args)).longValue();
    }

    /** The console messages at level SEVERE (errors, CSP violations) since the last call. */
    List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    /**
     * Every URL requested since the last call, from the DevTools network log, with the document
     * that asked for it: {@code documentUrl -> url}.
     */
    List<String[]> requests() {
        ObjectMapper mapper = new ObjectMapper();
        List<String[]> urls = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = mapper.readTree(entry.getMessage()).get("message");
                if (message.get("method").asText().equals("Network.requestWillBeSent")) {
                    JsonNode params = message.get("params");
                    urls.add(new String[] {params.path("documentURL").asText(""),
                            params.get("request").get("url").asText()});
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return urls;
    }

    /** Saves what the window shows to {@code target/screenshots/NAME}. */
    Path screenshot(String name) {
        try {
            Path file = Path.of(System.getProperty("phiguard.projectRoot", "."), "target", "screenshots", name);
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(scratch)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a scratch folder left in /tmp harms nothing
            }
        }
    }
}
