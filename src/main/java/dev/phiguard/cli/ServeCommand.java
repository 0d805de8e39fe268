package dev.phiguard.cli;

import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.server.ClusterSnapshotSource;
import dev.phiguard.server.FileSnapshotSource;
import dev.phiguard.server.SnapshotSource;
import dev.phiguard.server.LiveAudit;
import dev.phiguard.server.PhiguardServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phiguard serve}: the audit as a live dashboard, a REST API and Prometheus metrics. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Serve the audit of the manifests and keep it current: a dashboard with the interactive network map"
                    + " and the findings, redrawn within a second of a change to the files; a JSON API"
                    + " (connectivity, findings, explain, and a what-if diff of manifests you POST); Prometheus"
                    + " metrics; and health checks for Kubernetes probes.",
            "",
            "With --cluster it serves the live cluster instead, read-only: it watches every kind it reads"
                    + " (list and watch, as informers do) and reads the cluster again when one changes in a way"
                    + " that matters (not a pod's status). deploy/ runs it so inside the cluster.",
            "",
            "The folders and files are watched (recursively) and evaluated again when they change. When a"
                    + " read fails (a file half saved, an invalid object), the last good answer stays, and the"
                    + " dashboard, /api/status and phiguard_source_reachable say so.",
            "",
            "It binds to 127.0.0.1 unless --bind says otherwise: the API shows the cluster's layout to anyone"
                    + " who can reach it, and it has no authentication of its own."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard serve examples/clinic        (then open http://127.0.0.1:8080/)",
            "  phiguard serve manifests/ --port 9090 --profile phi-profile.yaml",
            "  phiguard serve --cluster --context prod",
            "  curl -s http://127.0.0.1:8080/api/findings",
            "  curl -s 'http://127.0.0.1:8080/api/explain?src=web/api&dst=phi/db&port=5432'",
            "  curl -s --data-binary @fix.yaml http://127.0.0.1:8080/api/diff",
            "  curl -s http://127.0.0.1:8080/metrics | grep '^phiguard_'",
            "",
            "Endpoints: / (the dashboard), /events (server-sent events), /api/status,",
            "/api/map, /api/connectivity, /api/findings, /api/explain?src=&dst=&port=,",
            "POST /api/diff (manifests in the body), /metrics, /healthz, /readyz;",
            "see docs/api.md. It runs until interrupted (Ctrl-C).",
            "Exit codes: 0 stopped; 2 bad usage or a port that cannot be bound;",
            "3 internal error.%n"})
public final class ServeCommand implements Callable<Integer> {
    /** Changes closer together than this are evaluated once: editors write a file in several steps. */
    private static final long DEBOUNCE_MILLIS = 150;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Manifest files or folders to serve and watch (searched recursively for .yaml, .yml and"
                    + " .json). Standard input cannot be watched. With --cluster: applied on top of the live"
                    + " objects at each evaluation.")
    List<String> paths = List.of();

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for"
                    + " every interface, e.g. inside a container).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The TCP port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "The profile to audit against; read again, like the manifests, when it changes."
                    + " Default: the Profile document among the manifests, else the built-in default.")
    String profileFile;

    /** Counted down to stop the server (tests); otherwise it runs until the JVM is interrupted. */
    private final CountDownLatch stop;

    public ServeCommand() {
        this(new CountDownLatch(1));
    }

    ServeCommand(CountDownLatch stop) {
        this.stop = stop;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            return usage(err, "--port: expected 0 to 65535, got " + port);
        }
        if (cluster.problem().isPresent()) {
            return usage(err, cluster.problem().get());
        }
        if (!cluster.cluster && paths.isEmpty()) {
            return usage(err, "give the manifests to serve (PATH...), or --cluster to serve the live cluster");
        }
        SnapshotSource source;
        try {
            source = cluster.cluster ? new ClusterSnapshotSource(ClusterReader.connect(cluster.target()), paths)
                    : new FileSnapshotSource(paths, profileFile == null ? List.of() : List.of(Path.of(profileFile)));
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (ClusterReader.AccessException e) {
            return usage(err, e.getMessage());
        }
        try (LiveAudit live = new LiveAudit(source, profileFile, Clock.systemUTC(), DEBOUNCE_MILLIS)) {
            try {
                live.start();
            } catch (IOException e) {
                return usage(err, "cannot watch " + source.description() + ": " + e.getMessage());
            }
            if (source instanceof ClusterSnapshotSource clusterSource && !clusterSource.unwatched().isEmpty()) {
                err.println("phiguard serve: changes to these kinds are not seen until another change: "
                        + String.join(", ", clusterSource.unwatched()));
            }
            live.state().problem().ifPresent(problem -> {
                err.println("phiguard serve: " + problem.message());
                err.println("phiguard serve: serving anyway; the dashboard shows the answer once the input can be"
                        + " read");
            });
            live.addListener(state -> state.problem().ifPresentOrElse(
                    problem -> {
                        err.println("phiguard serve: " + problem.message() + " (the last good answer stays)");
                        err.flush();
                    },
                    () -> state.answer().ifPresent(answer -> {
                        out.println("phiguard serve: evaluated at " + answer.evaluatedAt() + ": "
                                + dev.phiguard.report.DashboardHtml.verdict(answer.audit()));
                        out.flush();
                    })));
            PhiguardServer server;
            try {
                server = PhiguardServer.start(live, bind, port, VersionProvider.version());
            } catch (IOException e) {
                return usage(err, "cannot listen on " + bind + ":" + port + ": " + e.getMessage());
            }
            try (server) {
                if (!server.address().getAddress().isLoopbackAddress()) {
                    err.println("phiguard serve: listening on " + bind + ", beyond this machine: whoever reaches"
                            + " port " + server.address().getPort() + " sees the cluster's layout and findings;"
                            + " there is no authentication");
                }
                out.println("phiguard serve: serving " + source.description() + " on " + server.url()
                        + " (metrics: " + server.url() + "metrics); Ctrl-C stops");
                out.flush();
                err.flush();
                stop.await();
            }
        }
        return ExitCode.OK;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("phiguard serve: " + message);
        err.flush();
        return ExitCode.USAGE;
    }
}
