package dev.phiguard.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JavaScript library from a WebJar on the classpath, read to be inlined into a page so that
 * the page needs no network: its npm name, the version the WebJar carries, and its code.
 */
record WebLibrary(String name, String version, String code) {
    private static final Map<String, WebLibrary> LOADED = new ConcurrentHashMap<>();

    /** Cytoscape.js, the graph drawing. */
    static WebLibrary cytoscape() {
        return load("cytoscape", "dist/cytoscape.min.js");
    }

    /** dagre, the layered layout; its dist build bundles graphlib and lodash. */
    static WebLibrary dagre() {
        return load("dagre", "dist/dagre.min.js");
    }

    WebLibrary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(code, "code");
        String lower = code.toLowerCase(Locale.ROOT);
        // inside <script> these would end the element or change how HTML parses it
        if (lower.contains("</script") || lower.contains("<!--") || lower.contains("<script")) {
            throw new IllegalStateException("Library " + name + " " + version
                    + " cannot be inlined in a <script> element: it contains </script, <script or <!--");
        }
    }

    /** {@code name version}, as the page's {@code data-library} attribute names it. */
    String label() {
        return name + " " + version;
    }

    /**
     * Reads {@code file} of the WebJar {@code org.webjars.npm:artifact}, whichever version is on
     * the classpath (its pom.properties says which).
     */
    static WebLibrary load(String artifact, String file) {
        return LOADED.computeIfAbsent(artifact + "/" + file, key -> {
            Properties pom = new Properties();
            String pomPath = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
            try (InputStream in = WebLibrary.class.getResourceAsStream(pomPath)) {
                if (in == null) {
                    throw new IllegalStateException("WebJar org.webjars.npm:" + artifact + " is not on the classpath ("
                            + pomPath + " is missing)");
                }
                pom.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String version = pom.getProperty("version");
            return new WebLibrary(artifact, version,
                    resource("/META-INF/resources/webjars/" + artifact + "/" + version + "/" + file));
        });
    }

    /** A text resource of the classpath, as UTF-8. */
    static String resource(String path) {
        try (InputStream in = WebLibrary.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
