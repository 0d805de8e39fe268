package dev.phiguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code phiguard serve} as a command: its help, its usage errors, and a run that serves until stopped. */
class ServeCommandTest {
    private static final String CLINIC = Path.of(System.getProperty("phiguard.projectRoot", "."), "examples",
            "clinic").toString();

    record Run(int exitCode, String out, String err) {
    }

    private static final class Session {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CountDownLatch stop = new CountDownLatch(1);
        final CommandLine commandLine;

        Session() {
            commandLine = new CommandLine(new PhiguardCommand(), new CommandLine.IFactory() {
                @Override
                public <K> K create(Class<K> type) throws Exception {
                    if (type == ServeCommand.class) {
                        return type.cast(new ServeCommand(stop));
                    }
                    return CommandLine.defaultFactory().create(type);
                }
            });
            Main.configure(commandLine);
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
        }

        Run run(String... args) {
            int exitCode = commandLine.execute(args);
            return new Run(exitCode, out.toString(), err.toString());
        }
    }

    @Test
    void testHelpTeachesWithExamples() {
        Run run = new Session().run("serve", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("Usage: phiguard serve", "--bind=ADDRESS", "--port=PORT", "--profile=FILE",
                "Examples:", "phiguard serve examples/clinic", "/api/explain?src=", "/api/diff", "docs/api.md",
                "binds to 127.0.0.1");
    }

    @Test
    void testTheTopLevelHelpListsServe() {
        Run run = new Session().run("--help");
        assertThat(run.out()).contains("serve", "phiguard serve examples/clinic");
    }

    @Test
    void testStandardInputIsRefused() {
        Run run = new Session().run("serve", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard serve: standard input (-) cannot be watched; give files or"
                + " folders\n");
    }

    @Test
    void testPortOutOfRange() {
        Run run = new Session().run("serve", CLINIC, "--port", "70000");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("phiguard serve: --port: expected 0 to 65535, got 70000\n");
    }

    @Test
    void testAPortInUseIsAUsageError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run run = new Session().run("serve", CLINIC, "--port", String.valueOf(taken.getLocalPort()));
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).startsWith("phiguard serve: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": ");
        }
    }

    @Test
    void testServesOnLoopbackAndLogsTheUrlUntilStopped() throws Exception {
        Session session = new Session();
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> session.run("serve", CLINIC, "--port",
                "0"));
        Pattern started = Pattern.compile("phiguard serve: serving \\S+ on (http://127\\.0\\.0\\.1:\\d+/) \\(metrics:"
                + " http://127\\.0\\.0\\.1:\\d+/metrics\\); Ctrl-C stops");
        Matcher matcher = started.matcher("");
        boolean found = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !running.isDone()) {
            matcher = started.matcher(session.out.toString());
            if (matcher.find()) {
                found = true;
                break;
            }
            Thread.sleep(50);
        }
        assertThat(found).as("the URL line: %s %s", session.out, session.err).isTrue();
        URI url = URI.create(matcher.group(1));
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/healthz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        session.stop.countDown();
        Run run = running.get(30, TimeUnit.SECONDS);
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.err()).isEmpty();
    }
}
