package dev.phiguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code phiguard} command and its subcommands. */
@Command(name = "phiguard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Prove that a Kubernetes cluster keeps protected health information (PHI) segmented as the HIPAA"
                    + " Security Rule asks (45 CFR 164.312): compute exactly which workload can reach which,"
                    + " on which ports, under NetworkPolicy semantics, and show the evidence.",
            "",
            "phiguard reads manifests (files, folders, or - for standard input) or, with --cluster, a live"
                    + " cluster (get, list, watch), and never writes to a cluster."},
        subcommands = {AuditCommand.class, LintCommand.class, ConnectivityCommand.class, ExplainCommand.class,
            DiffCommand.class, TestCommand.class, ServeCommand.class, ControlsCommand.class,
            ProfileCommand.class, GenerateClusterCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nGetting started:%n",
        footer = {
            "  phiguard audit examples/clinic          the HIPAA audit of the bundled example",
            "  phiguard connectivity examples/clinic   who can reach whom in it",
            "  phiguard lint examples/clinic           policies that do nothing, overlap or block",
            "  phiguard serve examples/clinic          a live dashboard, API and metrics",
            "  phiguard audit --cluster                the cluster of your kubeconfig, read-only",
            "  phiguard audit --help                   the options of a command",
            "",
            "Exit codes: 0 no finding at or above the failure threshold; 1 findings;",
            "2 bad usage or unreadable input; 3 internal error.%n"})
public final class PhiguardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("phiguard: a command is required.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
