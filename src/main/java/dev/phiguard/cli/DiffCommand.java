package dev.phiguard.cli;

import dev.phiguard.analysis.ChangeAnalyzer;
import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.ingest.ClusterReader;
import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.GitRevisionReader;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.model.Profile;
import dev.phiguard.report.AuditReport;
import dev.phiguard.report.DiffFormatter;
import dev.phiguard.report.DiffJsonFormatter;
import dev.phiguard.report.DiffMarkdownFormatter;
import dev.phiguard.report.DiffReport;
import dev.phiguard.report.DiffSarifFormatter;
import dev.phiguard.report.DiffTextFormatter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phiguard diff}: what a change to the manifests does to connectivity and to the audit. */
@Command(name = "diff",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = {
            "phiguard diff [OPTIONS] BEFORE AFTER",
            "phiguard diff [OPTIONS] --git-ref REF PATH...",
            "phiguard diff [OPTIONS] --cluster [--drift] PATH..."},
        description = {
            "Compare two versions of the manifests: which connections the change adds, removes and alters (pair"
                    + " by pair, with the ports gained and lost and the rules that allow them), and which audit"
                    + " findings it makes appear and disappear. New findings come first, most severe first.",
            "",
            "BEFORE and AFTER are each a manifest file or folder (or - for standard input, on one side). With"
                    + " --git-ref, the PATHs of the working tree are compared with the same PATHs at git revision"
                    + " REF, read from git without checking anything out; their files are named REF:PATH.",
            "",
            "With --cluster, BEFORE is the live cluster and AFTER is the live cluster with the PATHs applied on top,"
                    + " as `kubectl apply` of them would change it (objects of the same kind, namespace and name"
                    + " replaced, the others kept): what merging and deploying a pull request would change. With"
                    + " --cluster --drift, BEFORE is the PATHs alone and AFTER the live cluster: how the running"
                    + " cluster differs from the manifests that should describe it. Both sides are judged with"
                    + " what the cluster shows of its network plugin, mesh and flow logs.",
            "",
            "Both sides are audited with one profile, chosen as the audit chooses it for AFTER: --profile FILE,"
                    + " else the one Profile document among the AFTER manifests (with --drift, the BEFORE ones),"
                    + " else the built-in default."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard diff main-manifests/ pr-manifests/",
            "  phiguard diff --git-ref origin/main deploy/ -o md --output diff.md   (a pull-request comment)",
            "  phiguard diff --git-ref HEAD deploy/ -o sarif --output new-findings.sarif",
            "  helm template ./chart | phiguard diff rendered-main.yaml -",
            "  phiguard diff --cluster --context prod pr-manifests/ -o md   (what deploying it would change)",
            "  phiguard diff --cluster --drift deploy/          (what the live cluster runs unlike deploy/)",
            "",
            ClusterOptions.FOOTER_NOTE,
            "Formats: text (the terminal), json (schema/diff-v1.json), md (a pull-request comment: verdict,",
            "summary, new findings, connection tables; kept under GitHub's 65536-character limit),",
            "sarif (only the new findings, for code scanning to flag what the change introduces).",
            "Exit codes: 0 the change introduces no finding at or above the threshold; 1 it does;",
            "2 bad usage, unreadable input, not a git work tree, an unknown revision or a cluster that",
            "cannot be read; 3 internal error.%n"})
public final class DiffCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        text,
        json,
        md,
        sarif
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "BEFORE AFTER, or with --git-ref or --cluster the PATHs to compare. " + InputOptions.PATHS)
    List<String> paths;

    @Option(names = "--git-ref", paramLabel = "REF",
            description = "Compare the PATHs in the working tree (AFTER) with the same PATHs at this git revision"
                    + " (BEFORE): a branch, tag, commit or expression such as origin/main, HEAD~1, v1.2.0.")
    String gitRef;

    @Mixin
    InputOptions input;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--drift",
            description = "With --cluster: compare the PATHs (BEFORE) with the live cluster (AFTER) instead of the"
                    + " live cluster with the PATHs applied.")
    boolean drift;

    @Mixin
    OutputOptions output;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "The profile both sides are audited with; replaces any profile found among the AFTER"
                    + " manifests and the built-in default.")
    String profileFile;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit with code 1 when the change introduces a finding at or above SEVERITY:"
                    + " ${COMPLETION-CANDIDATES} (default: the profile's failOn, high in the built-in profile)."
                    + " Findings that were there before never fail the change.")
    AuditCommand.Threshold failOn;

    @Option(names = "--no-color", description = "No colours in text output (also when NO_COLOR is set, or not"
            + " on a terminal).")
    boolean noColor;

    private final InputStream stdin;

    public DiffCommand() {
        this(System.in);
    }

    DiffCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    /** One side, read and checked, or the exit code to stop with. */
    private record Side(IngestResult result, String label, int exitCode) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Side before;
        Side after;
        Optional<String> clusterProblem = cluster.problem();
        if (clusterProblem.isPresent()) {
            return usage(err, clusterProblem.get());
        }
        if (drift && !cluster.cluster) {
            return usage(err, "--drift needs --cluster");
        }
        boolean profileFromBefore = false;
        if (cluster.cluster) {
            if (gitRef != null) {
                return usage(err, "--git-ref and --cluster are two ways to choose BEFORE; use one");
            }
            ClusterReader.Snapshot snapshot;
            try {
                snapshot = ClusterReader.read(cluster.target());
            } catch (ClusterReader.AccessException e) {
                return usage(err, e.getMessage());
            }
            String pathList = String.join(" ", paths);
            IngestResult live = ManifestReader.read(snapshot, List.of(), stdin);
            if (drift) {
                IngestResult manifests = ManifestReader.read(paths, stdin);
                // judged with the live platform on both sides, so only the objects' differences show
                manifests = new IngestResult(manifests.cluster().withPlatform(snapshot.platform()),
                        manifests.diagnostics(), manifests.filesRead(), manifests.objectsRead(),
                        manifests.skippedKinds(), manifests.rejected(), manifests.profiles(), manifests.inputs(),
                        manifests.expectations());
                before = check(manifests, "BEFORE", pathList, false, err);
                after = before.exitCode() != ExitCode.OK ? before
                        : check(live, "AFTER", snapshot.label(), false, err);
                profileFromBefore = true;
            } else {
                before = check(live, "BEFORE", snapshot.label(), false, err);
                after = before.exitCode() != ExitCode.OK ? before
                        : check(ManifestReader.read(snapshot, paths, stdin), "AFTER", snapshot.label() + " + "
                        + pathList, false, err);
            }
            if (before.exitCode() != ExitCode.OK) {
                return before.exitCode();
            }
        } else if (gitRef == null) {
            if (paths.size() != 2) {
                return usage(err, "expected BEFORE and AFTER, got " + paths.size() + " path"
                        + (paths.size() == 1 ? "" : "s") + " (to compare with a git revision, use --git-ref REF)");
            }
            if (paths.get(0).equals("-") && paths.get(1).equals("-")) {
                return usage(err, "standard input can be only one side");
            }
            before = check(ManifestReader.read(List.of(paths.get(0)), stdin), "BEFORE", paths.get(0), false, err);
            if (before.exitCode() != ExitCode.OK) {
                return before.exitCode();
            }
            after = check(ManifestReader.read(List.of(paths.get(1)), stdin), "AFTER", paths.get(1), false, err);
        } else {
            if (paths.contains("-")) {
                return usage(err, "--git-ref compares files of a git work tree; standard input (-) has no revision");
            }
            String pathList = String.join(" ", paths);
            IngestResult atRef;
            try {
                atRef = GitRevisionReader.read(gitRef, paths);
            } catch (GitRevisionReader.GitException e) {
                return usage(err, "--git-ref " + gitRef + ": " + e.getMessage());
            }
            before = check(atRef, "BEFORE", gitRef + ":" + pathList, true, err);
            if (before.exitCode() != ExitCode.OK) {
                return before.exitCode();
            }
            after = check(ManifestReader.read(paths, stdin), "AFTER", pathList, false, err);
        }
        if (after.exitCode() != ExitCode.OK) {
            return after.exitCode();
        }
        // with --drift the manifests are BEFORE, and theirs is the profile the audit would choose
        Side judged = profileFromBefore ? before : after;
        Optional<ProfileChoice.Chosen> chosen = ProfileChoice.choose("diff", profileFile, judged.result(),
                "the " + (profileFromBefore ? "BEFORE" : "AFTER") + " manifests", stdin, input.quiet, err);
        if (chosen.isEmpty()) {
            return ExitCode.USAGE;
        }
        Profile profile = chosen.get().profile();
        if (failOn != null) {
            profile = profile.withFailOn(failOn.severity());
        }
        ChangeReport change = ChangeAnalyzer.compare(before.result().cluster(), after.result().cluster(), profile);
        DiffReport report = new DiffReport(change, side(before), side(after), chosen.get().source(),
                VersionProvider.version());
        DiffFormatter formatter = switch (format) {
            case text -> new DiffTextFormatter(useColor());
            case json -> new DiffJsonFormatter();
            case md -> new DiffMarkdownFormatter();
            case sarif -> new DiffSarifFormatter();
        };
        int written = output.write(formatter.format(report), out, err);
        if (written != ExitCode.OK) {
            return written;
        }
        return change.failed() ? ExitCode.FINDINGS : ExitCode.OK;
    }

    private static DiffReport.Side side(Side side) {
        return new DiffReport.Side(side.label(), side.result().inputs().stream()
                .map(file -> new AuditReport.Input(file.path(), file.sha256())).toList());
    }

    /**
     * Prints a side's diagnostics and summary as every command does, and decides whether it can
     * be used: it must hold something to analyse, unless it is a revision where the paths did not
     * exist yet (then the change adds everything).
     */
    private Side check(IngestResult result, String role, String label, boolean mayBeEmpty, PrintWriter err) {
        for (Diagnostic diagnostic : result.diagnostics()) {
            if (diagnostic.isError() || !input.quiet) {
                err.println(diagnostic);
            }
        }
        if (!input.quiet) {
            String summary = InputOptions.summary(result);
            if (!summary.isEmpty()) {
                err.println(summary.replaceFirst("^phiguard: ", "phiguard diff: " + role + ": "));
            }
        }
        err.flush();
        if (!result.hasUsableInput() && !(mayBeEmpty && result.errorCount() == 0)) {
            return new Side(result, label, usage(err, "nothing to analyse in " + role + " (" + label + "): no"
                    + " Namespace, NetworkPolicy or workload was read"));
        }
        if (input.strict && result.errorCount() > 0) {
            return new Side(result, label, usage(err, "stopping because of --strict: "
                    + InputOptions.count(result.errorCount(), "error") + " in " + role));
        }
        return new Side(result, label, ExitCode.OK);
    }

    private boolean useColor() {
        return !noColor && output.outputFile == null && System.getenv("NO_COLOR") == null && System.console() != null
                && !"dumb".equals(System.getenv("TERM"));
    }

    private static int usage(PrintWriter err, String message) {
        err.println("phiguard diff: " + message);
        err.flush();
        return ExitCode.USAGE;
    }
}
