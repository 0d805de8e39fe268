package dev.phiguard.cli;

import dev.phiguard.analysis.WorkloadLookup;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.model.Profile;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.report.ConnectivityCsvFormatter;
import dev.phiguard.report.ConnectivityDotFormatter;
import dev.phiguard.report.ConnectivityFormatter;
import dev.phiguard.report.ConnectivityHtmlFormatter;
import dev.phiguard.report.ConnectivityJsonFormatter;
import dev.phiguard.report.ConnectivityMarkdownFormatter;
import dev.phiguard.report.ConnectivityMermaidFormatter;
import dev.phiguard.report.ConnectivityTxtFormatter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phiguard connectivity}: who can reach whom, on which ports. */
@Command(name = "connectivity",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Compute which workloads and which address ranges outside the cluster can open connections to which"
                    + " other, on which protocols and ports, under Kubernetes NetworkPolicy semantics.",
            "",
            "Each line of the default output reads `SOURCE => DESTINATION : CONNECTIONS`, sorted; a workload is"
                    + " `namespace/name[Kind]`, addresses outside the cluster are `first-last[External]`, cut"
                    + " wherever a policy's ipBlock draws a line. A pair that is not listed cannot connect at all."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard connectivity examples/clinic",
            "  phiguard connectivity examples/clinic --focus phi/ehr-db -o md",
            "  phiguard connectivity examples/clinic -o html --output clinic-map.html",
            "  phiguard connectivity examples/clinic -o dot | dot -Tsvg > clinic.svg",
            "  helm template my-release ./chart | phiguard connectivity - -o json",
            "  phiguard connectivity --cluster --context prod --focus phi/ehr-db",
            "  phiguard connectivity --cluster fixes/     (the live cluster with fixes/ applied)",
            "",
            "Problems in the input are printed on standard error as FILE:LINE:COLUMN: error|warning: ...",
            "An object with an error is left out (the API server would reject it); the rest is analysed.",
            ClusterOptions.FOOTER_NOTE,
            "Exit codes: 0 done; 2 bad usage, nothing usable read or an unreadable cluster;",
            "3 internal error.%n"})
public final class ConnectivityCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        txt,
        json,
        csv,
        md,
        dot,
        mermaid,
        html;

        /** Whether the format marks PHI workloads, and so needs a profile. */
        boolean drawsPhi() {
            return this == dot || this == mermaid || this == html;
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = InputOptions.PATHS
            + " Optional with --cluster.")
    List<String> paths;

    @Mixin
    InputOptions input;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    OutputOptions output;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "txt",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json lists, for"
                    + " each pair, the ports per protocol and the policy rules (file and line) that allow it."
                    + " dot (Graphviz) and mermaid draw namespaces as clusters and mark PHI workloads; html is one"
                    + " self-contained page with an interactive map that works offline.")
    Format format;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "The profile that says which workloads hold PHI, for dot, mermaid and html (default: as"
                    + " audit chooses: the one Profile document among the manifests, else the built-in default).")
    String profileFile;

    @Option(names = "--focus", paramLabel = "NAMESPACE/NAME[Kind]",
            description = "Keep only the connections from or to this workload.")
    String focus;

    private final InputStream stdin;

    public ConnectivityCommand() {
        this(System.in);
    }

    ConnectivityCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WorkloadLookup.Reference focusReference = null;
        if (focus != null) {
            try {
                focusReference = WorkloadLookup.Reference.parse(focus);
            } catch (IllegalArgumentException e) {
                err.println("phiguard connectivity: --focus: " + e.getMessage());
                err.flush();
                return ExitCode.USAGE;
            }
        }
        InputOptions.Loaded loaded = input.load(cluster, paths, stdin, err);
        if (!loaded.ok()) {
            return loaded.exitCode();
        }
        IngestResult result = loaded.result();
        ConnectivityAnalyzer.Options options = ConnectivityAnalyzer.Options.DEFAULT;
        if (focusReference != null) {
            List<WorkloadId> focused = WorkloadLookup.find(result.cluster(), focusReference);
            if (focused.isEmpty()) {
                err.println("phiguard connectivity: --focus: no workload " + focusReference + didYouMean(
                        WorkloadLookup.suggest(result.cluster(), focusReference)));
                err.flush();
                return ExitCode.USAGE;
            }
            options = options.withFocus(Set.copyOf(focused));
        }
        PhiScope phi = null;
        if (format.drawsPhi()) {
            Optional<Profile> profile = ProfileChoice.choose("connectivity", profileFile, result, stdin, input.quiet,
                    err);
            if (profile.isEmpty()) {
                return ExitCode.USAGE;
            }
            phi = PhiScope.of(result.cluster(), profile.get());
        }
        ConnectivityMap map = ConnectivityAnalyzer.analyze(result.cluster(), options);
        ConnectivityFormatter formatter = switch (format) {
            case txt -> new ConnectivityTxtFormatter();
            case json -> new ConnectivityJsonFormatter();
            case csv -> new ConnectivityCsvFormatter();
            case md -> new ConnectivityMarkdownFormatter();
            case dot -> new ConnectivityDotFormatter(phi);
            case mermaid -> new ConnectivityMermaidFormatter(phi);
            case html -> new ConnectivityHtmlFormatter(phi, InputOptions.describe(cluster, paths)
                    + (focus == null ? "" : " (focus " + focus + ")"));
        };
        return output.write(formatter.format(map), out, err);
    }

    static String didYouMean(List<WorkloadId> suggestions) {
        if (suggestions.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", suggestions.stream().map(WorkloadId::toString).toList()) + "?";
    }
}
