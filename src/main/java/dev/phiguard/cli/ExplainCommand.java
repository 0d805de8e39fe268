package dev.phiguard.cli;

import dev.phiguard.analysis.ExplainRequest;
import dev.phiguard.analysis.Explanation;
import dev.phiguard.report.ExplanationJsonFormatter;
import dev.phiguard.report.ExplanationTextFormatter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phiguard explain}: why one connection is allowed or refused. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Explain why SRC can or cannot connect to DST: for the source's egress and the destination's ingress,"
                    + " whether policies isolate it, and rule by rule (with file and line) whether the rule admits"
                    + " the other end and the ports. A connection needs both sides.",
            "",
            "SRC and DST are workloads, NAMESPACE/NAME or NAMESPACE/NAME[Kind], or IP addresses outside the"
                    + " cluster; at least one must be a workload."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard explain analytics/warehouse phi/ehr-db --port 5432/TCP examples/clinic",
            "  phiguard explain portal/patient-portal-api 8.8.8.8 --port 443 examples/clinic",
            "  phiguard explain phi/fhir-server phi/ehr-db examples/clinic -o json",
            "  phiguard explain analytics/warehouse phi/ehr-db --port 5432 --cluster --context prod",
            "",
            ClusterOptions.FOOTER_NOTE,
            "Exit codes: 0 explained (allowed or not); 2 bad usage, unknown workload, unreadable input",
            "or an unreadable cluster;",
            "3 internal error.%n"})
public final class ExplainCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        text,
        json
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "The source: NAMESPACE/NAME[Kind] or an IP address.")
    String sourceText;

    @Parameters(index = "1", paramLabel = "DST", description = "The destination: NAMESPACE/NAME[Kind] or an IP address.")
    String destinationText;

    @Parameters(index = "2..*", arity = "0..*", paramLabel = "PATH", description = InputOptions.PATHS
            + " Optional with --cluster.")
    List<String> paths;

    @Mixin
    InputOptions input;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    OutputOptions output;

    @Option(names = "--port", paramLabel = "PORT[/PROTOCOL]",
            description = "The port asked about: 5432/TCP, 53/UDP, 8000-8100/TCP, or the destination's container"
                    + " port name (postgres); TCP when no protocol is given. Without it: every port.")
    String port;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    private final InputStream stdin;

    public ExplainCommand() {
        this(System.in);
    }

    ExplainCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputOptions.Loaded loaded = input.load(cluster, paths, stdin, err);
        if (!loaded.ok()) {
            return loaded.exitCode();
        }
        Explanation explanation;
        try {
            explanation = ExplainRequest.explain(loaded.result().cluster(), sourceText, destinationText, port,
                    "--port");
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        String text = format == Format.json ? new ExplanationJsonFormatter().format(explanation)
                : new ExplanationTextFormatter().format(explanation);
        return output.write(text, out, err);
    }

    private static int usage(PrintWriter err, String message) {
        err.println("phiguard explain: " + message);
        err.flush();
        return ExitCode.USAGE;
    }
}
