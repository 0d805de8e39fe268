package dev.phiguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.NetworkPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading folders again with a {@link ManifestCache}, as {@code serve} does after a change: the
 * answer is the one a fresh read gives, problems and objects defined twice included, and only
 * the files whose bytes changed are parsed again.
 */
class ManifestCacheTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    private static String policy(String name, String namespace) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                """.formatted(name, namespace);
    }

    @Test
    void testAReadWithTheCacheEqualsAFreshReadAndParsesOnlyWhatChanged(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        Path c = dir.resolve("c.yaml");
        Files.writeString(a, policy("deny", "alpha") + "---\n" + policy("shared", "alpha"));
        // defined twice: the later file's copy is rejected, with an error naming the first
        Files.writeString(b, policy("deny", "beta") + "---\n" + policy("shared", "alpha"));
        Files.writeString(c, policy("deny", "gamma") + "---\nkind: [unclosed\n");
        List<String> paths = List.of(dir.toString());
        ManifestCache cache = new ManifestCache();

        IngestResult first = ManifestReader.read(paths, NO_STDIN, cache);
        assertThat(first).isEqualTo(ManifestReader.read(paths, NO_STDIN));
        assertThat(first.diagnostics()).anyMatch(d -> d.toString().contains("defined twice"))
                .anyMatch(d -> d.toString().contains("YAML syntax error"));
        assertThat(first.rejected()).hasSize(1);

        Files.writeString(a, policy("deny", "alpha") + "---\n" + policy("other", "alpha"));
        IngestResult second = ManifestReader.read(paths, NO_STDIN, cache);
        IngestResult fresh = ManifestReader.read(paths, NO_STDIN);
        assertThat(second).isEqualTo(fresh);
        // a.yaml no longer holds alpha/shared, so b.yaml's copy is read now: taken again, not rejected
        assertThat(second.rejected()).isEmpty();
        assertThat(second.diagnostics()).noneMatch(d -> d.toString().contains("defined twice"));
        assertThat(policy(second, "beta/deny")).isSameAs(policy(first, "beta/deny"))
                .isNotSameAs(policy(fresh, "beta/deny"));
        // a.yaml changed, but not in its first document
        assertThat(policy(second, "alpha/deny")).isSameAs(policy(first, "alpha/deny"));
    }

    /** A file whose bytes are those of its last read keeps its digest; one rewritten to the same size is read anew. */
    @Test
    void testAFileRewrittenToTheSameSizeIsReadAnewAndItsDigestIsItsBytes(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.yaml");
        Files.writeString(a, policy("one", "alpha"));
        List<String> paths = List.of(dir.toString());
        ManifestCache cache = new ManifestCache();
        IngestResult first = readAgreeingWithAWholeRead(paths, cache);

        Files.writeString(a, policy("two", "alpha"));
        IngestResult second = readAgreeingWithAWholeRead(paths, cache);
        assertThat(second.inputs()).isNotEqualTo(first.inputs());
        assertThat(second.cluster().policies()).extracting(NetworkPolicy::name).containsExactly("two");

        Files.writeString(a, policy("two", "alpha"));
        IngestResult third = readAgreeingWithAWholeRead(paths, cache);
        assertThat(third.inputs()).isEqualTo(second.inputs());
        assertThat(policy(third, "alpha/two")).isSameAs(policy(second, "alpha/two"));
    }

    /**
     * Files whose documents are read piece by piece after an edit: every position, problem and
     * rejection is the one of reading the file whole, and pieces that did not change are not parsed.
     */
    @Test
    void testAChangedFileIsReadAgainOnlyInTheDocumentsThatChanged(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("all.yaml");
        String unnamed = "apiVersion: v1\nkind: Service\nmetadata: {namespace: alpha}\nspec: {ports: [{port: 80}]}\n";
        String twice = "apiVersion: v1\nkind: Namespace\nmetadata: {name: beta, name: beta}\n";
        String kindless = "# a comment first\nmetadata: {name: nothing}\n";
        String list = "apiVersion: v1\nkind: List\nitems:\n- " + policy("listed", "alpha").strip().replace("\n", "\n  ")
                + "\n";
        String original = "# leading comment\n" + policy("first", "alpha") + "---\n" + unnamed + "--- # a comment\n"
                + twice + "---\n" + kindless + "...\n---\n" + list + "---\n" + policy("last", "alpha");
        List<String> paths = List.of(dir.toString());
        ManifestCache cache = new ManifestCache();
        Files.writeString(file, original);
        IngestResult before = readAgreeingWithAWholeRead(paths, cache);
        assertThat(before.rejected()).hasSize(2);
        assertThat(before.cluster().policies()).hasSize(3);
        assertThat(before.diagnostics()).anyMatch(d -> d.toString().contains("written twice")).anyMatch(d -> d.toString().contains("no kind"));

        // one more document at the end: every other object is the one read before
        Files.writeString(file, original + "---\n" + policy("added", "alpha"));
        IngestResult appended = readAgreeingWithAWholeRead(paths, cache);
        assertThat(policy(appended, "alpha/added")).isNotNull();
        for (String unchanged : List.of("alpha/first", "alpha/listed", "alpha/last")) {
            assertThat(policy(appended, unchanged)).isSameAs(policy(before, unchanged));
        }

        // a line more in the first document: the documents after it are on other lines, read again
        Files.writeString(file, original.replaceFirst("kind: NetworkPolicy\n", "kind: NetworkPolicy\n# moved\n"));
        IngestResult moved = readAgreeingWithAWholeRead(paths, cache);
        assertThat(policy(moved, "alpha/last").source().line()).isEqualTo(policy(before, "alpha/last").source().line() + 1);

        // Windows line ends, old Mac ones, a byte order mark, directives: each read as a whole file reads them
        Files.writeString(file, original.replace("\n", "\r\n"));
        readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(file, original.replaceFirst("\n", "\r"));
        readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(file, original + "# the end\r");
        readAgreeingWithAWholeRead(paths, cache);
        // NEL, LS and PS break no line in YAML 1.2: cut around them, each piece still reads as in the file
        Files.writeString(file, original.replace("# leading comment", "# leading \u0085 comment \u2028\u2029")
                .replace("# a comment", "# a \u2028 comment"));
        readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(file, original.replace("...\n", "...\n%TAG !k! tag:yaml.org,2002:\n"));
        readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(file, "\uFEFF" + original);
        readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(file, "%YAML 1.2\n---\n" + original);
        readAgreeingWithAWholeRead(paths, cache);
    }

    /** A file left alone by a read keeps its documents' readings for when it changes in a later one. */
    @Test
    void testAFileUnchangedForAReadStillHasItsDocumentsRememberedWhenItChangesLater(@TempDir Path dir)
            throws IOException {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        Files.writeString(a, policy("first", "alpha") + "---\n" + policy("second", "alpha"));
        Files.writeString(b, policy("only", "beta"));
        List<String> paths = List.of(dir.toString());
        ManifestCache cache = new ManifestCache();
        IngestResult first = readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(b, policy("only", "beta") + "---\n" + policy("more", "beta"));
        readAgreeingWithAWholeRead(paths, cache);
        Files.writeString(a, policy("first", "alpha") + "---\n" + policy("second", "alpha") + "---\n"
                + policy("third", "alpha"));
        IngestResult third = readAgreeingWithAWholeRead(paths, cache);
        assertThat(policy(third, "alpha/first")).isSameAs(policy(first, "alpha/first"));
        assertThat(policy(third, "alpha/second")).isSameAs(policy(first, "alpha/second"));
    }

    /** A syntax error loses the rest of the file, however the file is cut, with the error a whole read reports. */
    @Test
    void testASyntaxErrorInAChangedFileIsReportedAsAWholeReadReportsIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.yaml");
        List<String> paths = List.of(dir.toString());
        ManifestCache cache = new ManifestCache();
        Files.writeString(file, policy("a", "alpha") + "---\n" + policy("b", "alpha") + "---\n" + policy("c", "alpha"));
        readAgreeingWithAWholeRead(paths, cache);
        // a quoted scalar left open runs into the next document's marker
        Files.writeString(file, policy("a", "alpha") + "---\n" + policy("b", "alpha").replace("name: b", "name: 'b")
                + "---\n" + policy("c", "alpha"));
        IngestResult broken = readAgreeingWithAWholeRead(paths, cache);
        assertThat(broken.cluster().policies()).extracting(NetworkPolicy::name).containsExactly("a");
        assertThat(broken.diagnostics()).anyMatch(d -> d.toString().contains("YAML syntax error"));
        Files.writeString(file, policy("a", "alpha") + "---\nkind: [unclosed\n---\n" + policy("c", "alpha"));
        readAgreeingWithAWholeRead(paths, cache);
    }

    private static IngestResult readAgreeingWithAWholeRead(List<String> paths, ManifestCache cache) {
        IngestResult read = ManifestReader.read(paths, NO_STDIN, cache);
        assertThat(read).isEqualTo(ManifestReader.read(paths, NO_STDIN));
        return read;
    }

    private static NetworkPolicy policy(IngestResult result, String namespacedName) {
        return result.cluster().policies().stream().filter(p -> p.namespacedName().equals(namespacedName))
                .findFirst().orElseThrow();
    }
}
