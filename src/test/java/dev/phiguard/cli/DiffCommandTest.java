package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code phiguard diff} as a user runs it: two paths or a git revision in, the change and an
 * exit code out (0: nothing new at or above the threshold; 1: something is; 2: bad usage, not a
 * git work tree, unknown revision).
 */
class DiffCommandTest {
    private static final String CLINIC = "examples/clinic";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A PHI namespace whose one workload is isolated both ways: one medium finding (no DNS). */
    static final String SAFE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: records
              annotations:
                phiguard.io/phi: "true"
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: db
              namespace: records
            spec:
              selector:
                matchLabels: {app: db}
              template:
                metadata:
                  labels: {app: db}
                spec:
                  containers:
                    - name: db
                      image: postgres
                      ports: [{name: pg, containerPort: 5432}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: default-deny
              namespace: records
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            """;

    /** SAFE plus a rule opening the database to every address: a critical, a high and a medium finding. */
    static final String OPEN = SAFE + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: db-from-anywhere
              namespace: records
            spec:
              podSelector:
                matchLabels: {app: db}
              policyTypes: [Ingress]
              ingress:
                - ports: [{port: 5432}]
            """;

    /** SAFE plus a rule admitting every namespace, where no other pod runs: one medium finding only. */
    static final String BROAD = SAFE + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: db-from-cluster
              namespace: records
            spec:
              podSelector:
                matchLabels: {app: db}
              policyTypes: [Ingress]
              ingress:
                - from: [{namespaceSelector: {}}]
                  ports: [{port: 5432}]
            """;

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    static Run runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PhiguardCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == DiffCommand.class) {
                    return type.cast(new DiffCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        Main.configure(commandLine);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return runWithStdin("", args);
    }

    private static String write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file.toString();
    }

    // ---------------------------------------------------------------- two paths

    @Test
    void testIdenticalInputsExitZeroAndReportNoChange() {
        Run run = run("diff", CLINIC, CLINIC, "--no-color");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Result: PASS — no change to connections or findings")
                .contains("Findings: 0 new, 0 resolved, 8 remaining")
                .contains("Connections: 0 added, 0 removed, 0 changed")
                .contains("No change: every connection and every finding is the same before and after.");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void testAChangeIntroducingAHighFindingExitsOne(@TempDir Path dir) throws IOException {
        Run run = run("diff", write(dir, "safe.yaml", SAFE), write(dir, "open.yaml", OPEN), "--no-color");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).contains("Result: FAIL — the change introduces 2 findings at or above high")
                .contains("Findings: 3 new, 0 resolved, 1 remaining")
                .contains("Connections: 1 added, 0 removed, 0 changed")
                .contains("  + 0.0.0.0-255.255.255.255[External] => records/db[Deployment] : TCP 5432\n"
                        + "      allowed by records/db-from-anywhere ingress[0] (" + dir.resolve("open.yaml") + ":44:7)\n");
        List<String> severities = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            if (line.matches("  PG0\\d\\d-[0-9a-f]{12}  .*")) {
                severities.add(line.trim().split("\\s+")[1]);
            }
        }
        assertThat(severities).as("new violations first, most severe first").containsExactly("critical", "high",
                "medium");

        // undoing the change resolves what it introduced, and passes
        Run back = run("diff", dir.resolve("open.yaml").toString(), dir.resolve("safe.yaml").toString(), "--no-color");
        assertThat(back.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(back.out()).contains("Findings: 0 new, 3 resolved, 1 remaining")
                .contains("Connections: 0 added, 1 removed, 0 changed")
                .contains("  - 0.0.0.0-255.255.255.255[External] => records/db[Deployment] : TCP 5432\n"
                        + "      was allowed by records/db-from-anywhere ingress[0]");
    }

    @Test
    void testFailOnDecidesWhichNewFindingsFail(@TempDir Path dir) throws IOException {
        String safe = write(dir, "safe.yaml", SAFE);
        String broad = write(dir, "broad.yaml", BROAD);
        String open = write(dir, "open.yaml", OPEN);
        Run medium = run("diff", safe, broad, "--no-color");
        assertThat(medium.exitCode()).as("the profile fails on high; the change adds a medium").isEqualTo(ExitCode.OK);
        assertThat(medium.out()).contains("Result: PASS — 1 new finding, none at or above high");
        assertThat(run("diff", safe, broad, "--fail-on", "medium").exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run("diff", safe, open, "--fail-on", "critical").exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run("diff", safe, open, "--fail-on", "none").exitCode()).isEqualTo(ExitCode.OK);
        // a finding that was there before never fails the change, however low the threshold
        assertThat(run("diff", broad, broad, "--fail-on", "low").exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void testTheProfileIsChosenForTheAfterSide(@TempDir Path dir) throws IOException {
        String profile = """
                apiVersion: phiguard.dev/v1alpha1
                kind: Profile
                metadata: {name: lenient}
                failOn: critical
                """;
        String safe = write(dir, "before/all.yaml", SAFE);
        write(dir, "after/all.yaml", BROAD);
        write(dir, "after/profile.yaml", profile);
        Run run = run("diff", safe, dir.resolve("after").toString(), "--fail-on", "medium", "--no-color");
        assertThat(run.out()).contains("Profile: lenient (" + dir.resolve("after/profile.yaml") + ")");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        Run byProfile = run("diff", safe, dir.resolve("after").toString(), "--no-color");
        assertThat(byProfile.out()).contains("fails on critical");
        assertThat(byProfile.exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void testTwoProfilesOnTheJudgedSideOrAnUnusableProfileFileExitTwo(@TempDir Path dir) throws IOException {
        String safe = write(dir, "before/all.yaml", SAFE);
        write(dir, "after/all.yaml", BROAD);
        String first = write(dir, "after/first.yaml", "apiVersion: phiguard.dev/v1alpha1\nkind: Profile\n"
                + "metadata: {name: first}\n");
        String second = write(dir, "after/second.yaml", "apiVersion: phiguard.dev/v1alpha1\nkind: Profile\n"
                + "metadata: {name: second}\n");
        Run two = run("diff", safe, dir.resolve("after").toString());
        assertThat(two.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(two.err()).isEqualTo("phiguard diff: the AFTER manifests hold 2 Profile documents (" + first
                + ":1:1, " + second + ":1:1); choose one with --profile FILE\n");
        assertThat(two.out()).isEmpty();

        String broken = write(dir, "broken.yaml", "apiVersion: phiguard.dev/v1alpha1\nkind: Profile\n"
                + "metadata: {name: broken}\nfailOn: sometimes\n");
        Run unusable = run("diff", safe, dir.resolve("after").toString(), "--profile", broken);
        assertThat(unusable.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unusable.err()).endsWith("phiguard diff: --profile " + broken
                + " cannot be used; fix the errors above\n").contains(broken + ":4:");
    }

    @Test
    void testOneSideMayBeStandardInput(@TempDir Path dir) throws IOException {
        Run run = runWithStdin(OPEN, "diff", write(dir, "safe.yaml", SAFE), "-", "-o", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("after").get("label").asText()).isEqualTo("-");
        assertThat(json.get("after").get("inputs").get(0).get("path").asText()).isEqualTo("<stdin>");
        assertThat(json.get("findings").get("new").get(0).get("location").get("file").asText()).isEqualTo("<stdin>");
    }

    @Test
    void testOutputGoesToAFileInTheChosenFormat(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("out/diff.md");
        Run run = run("diff", write(dir, "safe.yaml", SAFE), write(dir, "open.yaml", OPEN), "-o", "md", "--output",
                report.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(report)).startsWith("<!-- phiguard-diff -->\n## phiguard diff: FAIL — ");
    }

    // ---------------------------------------------------------------- usage errors

    @Test
    void testBadUsageExitsTwo(@TempDir Path dir) throws IOException {
        String safe = write(dir, "safe.yaml", SAFE);
        Run one = run("diff", safe);
        assertThat(one.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(one.err()).contains("phiguard diff: expected BEFORE and AFTER, got 1 path (to compare with a git"
                + " revision, use --git-ref REF)");
        assertThat(run("diff", safe, safe, safe).exitCode()).isEqualTo(ExitCode.USAGE);
        Run bothStdin = run("diff", "-", "-");
        assertThat(bothStdin.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bothStdin.err()).contains("standard input can be only one side");
        Run missing = run("diff", dir.resolve("nope").toString(), safe);
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("no such file or folder").contains("nothing to analyse in BEFORE");
        assertThat(run("diff", safe, safe, "-o", "html").exitCode()).isEqualTo(ExitCode.USAGE);
        Run gitStdin = run("diff", "--git-ref", "HEAD", "-");
        assertThat(gitStdin.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(gitStdin.err()).contains("standard input (-) has no revision");
    }

    @Test
    void testHelpShowsBothFormsAndExamples() {
        Run run = run("diff", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("phiguard diff [OPTIONS] BEFORE AFTER")
                .contains("phiguard diff [OPTIONS] --git-ref REF PATH...")
                .contains("phiguard diff main-manifests/ pr-manifests/")
                .contains("phiguard diff --git-ref origin/main deploy/ -o md")
                .contains("--fail-on").contains("Exit codes: 0");
        assertThat(run("--help").out()).contains("diff");
    }

    // ---------------------------------------------------------------- git

    private static boolean gitAvailable() {
        try {
            Process process = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void git(Path repository, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=phiguard test", "-c",
                "user.email=test@phiguard.dev", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
    }

    /** A repository whose one commit holds {@code committed} at deploy/db.yaml. */
    private static Path repository(Path dir, String committed) throws IOException, InterruptedException {
        Path repository = dir.resolve("repo");
        Files.createDirectories(repository.resolve("deploy"));
        git(repository, "init", "-q");
        Files.writeString(repository.resolve("deploy/db.yaml"), committed);
        Files.writeString(repository.resolve("README.md"), "not a manifest\n");
        git(repository, "add", "-A");
        git(repository, "commit", "-q", "-m", "first");
        return repository;
    }

    @Test
    void testGitRefComparesTheWorkingTreeWithARevision(@TempDir Path dir) throws Exception {
        assumeTrue(gitAvailable(), "git is not installed");
        Path repository = repository(dir, SAFE);
        Files.writeString(repository.resolve("deploy/db.yaml"), OPEN);
        String deploy = repository.resolve("deploy").toString();

        Run run = run("diff", "--git-ref", "HEAD", deploy, "--no-color");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).startsWith("phiguard diff — HEAD:" + deploy + " → " + deploy + "\n")
                .contains("Findings: 3 new, 0 resolved, 1 remaining")
                .contains("  + 0.0.0.0-255.255.255.255[External] => records/db[Deployment] : TCP 5432\n");
        assertThat(run.err()).isEmpty();

        JsonNode json = JSON.readTree(run("diff", "--git-ref", "HEAD", deploy, "-o", "json").out());
        assertThat(json.get("before").get("inputs")).hasSize(1);
        assertThat(json.get("before").get("inputs").get(0).get("path").asText())
                .isEqualTo("HEAD:" + deploy + "/db.yaml");
        assertThat(json.get("after").get("inputs").get(0).get("path").asText()).isEqualTo(deploy + "/db.yaml");
    }

    @Test
    void testGitRefNamesTheRevisionsFilesByRevisionAndPath(@TempDir Path dir) throws Exception {
        assumeTrue(gitAvailable(), "git is not installed");
        Path repository = repository(dir, OPEN);
        Files.writeString(repository.resolve("deploy/db.yaml"), SAFE);
        git(repository, "add", "-A");
        git(repository, "commit", "-q", "-m", "close the database");
        String file = repository.resolve("deploy/db.yaml").toString();

        // HEAD~1 had the open rule; the working tree (= HEAD) resolves its findings, which point into HEAD~1
        Run run = run("diff", "--git-ref", "HEAD~1", file, "--no-color");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Findings: 0 new, 3 resolved, 1 remaining")
                .contains("  PG003-").contains("critical  HEAD~1:" + file + ":44:7\n")
                .contains("was allowed by records/db-from-anywhere ingress[0] (HEAD~1:" + file + ":44:7)");
        assertThat(run("diff", "--git-ref", "HEAD", file).out()).contains("Findings: 0 new, 0 resolved, 1 remaining");
    }

    @Test
    void testGitRefWithAPathTheRevisionDoesNotHaveAddsEverything(@TempDir Path dir) throws Exception {
        assumeTrue(gitAvailable(), "git is not installed");
        Path repository = repository(dir, SAFE);
        Path added = repository.resolve("new-app");
        write(added, "open.yaml", OPEN.replace("records", "intake"));

        Run run = run("diff", "--git-ref", "HEAD", added.toString(), "--no-color");
        assertThat(run.err()).contains("HEAD:" + added + ": warning: no such file or folder at revision HEAD");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).contains("Findings: 4 new, 0 resolved, 0 remaining")
                .contains("+ 0.0.0.0-255.255.255.255[External] => intake/db[Deployment] : TCP 5432");
    }

    @Test
    void testGitRefOutsideAGitWorkTreeIsAUsageError(@TempDir Path dir) throws Exception {
        assumeTrue(gitAvailable(), "git is not installed");
        String manifests = write(dir, "plain/safe.yaml", SAFE);
        Run run = run("diff", "--git-ref", "HEAD", manifests);
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard diff: --git-ref HEAD: not inside a git work tree: " + manifests);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void testGitRefWithAnUnknownRevisionIsAUsageError(@TempDir Path dir) throws Exception {
        assumeTrue(gitAvailable(), "git is not installed");
        Path repository = repository(dir, SAFE);
        Run run = run("diff", "--git-ref", "no-such-branch", repository.resolve("deploy").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("phiguard diff: --git-ref no-such-branch: unknown revision 'no-such-branch'"
                + " in the git repository at " + repository.toRealPath());
        Run option = run("diff", "--git-ref=-n", repository.resolve("deploy").toString());
        assertThat(option.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(option.err()).contains("'-n' is not a revision");
    }
}
