package dev.phiguard.cli;

import dev.phiguard.analysis.LintCheck;
import dev.phiguard.analysis.LintResult;
import dev.phiguard.analysis.Linter;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Profile;
import dev.phiguard.report.LintJsonFormatter;
import dev.phiguard.report.LintReport;
import dev.phiguard.report.LintSarifFormatter;
import dev.phiguard.report.LintTextFormatter;
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

/** {@code phiguard lint}: policy that does nothing, overlaps, or blocks by mistake. */
@Command(name = "lint",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Find NetworkPolicy sprawl and unintended denials. Errors (exit code 1): policyTypes that make"
                    + " rules ignored (PL005), workloads isolated for egress that cannot reach cluster DNS (PL006),"
                    + " Services whose target port accepts connections from nobody (PL007). Warnings: policies and"
                    + " peer selectors that select nothing (PL001, PL002), named ports no destination declares"
                    + " (PL003), excepts that remove nothing (PL004), ingress ports no selected workload declares"
                    + " (PL008), workloads that reach nothing and are reached by nothing (PL009). Notes: rules and"
                    + " policies whose removal changes no allowed connection, with the policies that already cover"
                    + " them (PL010, PL011), and policies another one equals or contains (PL012).",
            "",
            "Redundancy is semantic: a rule is redundant when removing it, as Kubernetes would apply the"
                    + " change, leaves every allowed connection as it is. Cluster DNS is where the profile says"
                    + " (--profile FILE, else a Profile document among the manifests, else kube-system pods"
                    + " labelled k8s-app: kube-dns on 53/UDP and 53/TCP). After the findings come sprawl figures:"
                    + " policies, rules and redundancy per namespace, overlapping pairs, workloads per policy."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard lint examples/clinic",
            "  phiguard lint examples/clinic -o json --output lint.json",
            "  phiguard lint deploy/ -o sarif --output lint.sarif     (GitHub code scanning)",
            "  kustomize build overlays/prod | phiguard lint -",
            "  phiguard lint --cluster --context prod",
            "",
            ClusterOptions.FOOTER_NOTE,
            "Exit codes: 0 no error-level finding (warnings and notes do not fail);",
            "1 at least one error-level finding; 2 bad usage, unreadable input, an",
            "unreadable cluster or an invalid profile; 3 internal error.%n"})
public final class LintCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        text,
        json,
        sarif
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = InputOptions.PATHS
            + " Optional with --cluster.")
    List<String> paths = List.of();

    @Mixin
    InputOptions input;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    OutputOptions output;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "The profile whose dns section says where cluster DNS runs; replaces any profile found"
                    + " among the manifests and the built-in default.")
    String profileFile;

    private final InputStream stdin;

    public LintCommand() {
        this(System.in);
    }

    LintCommand(InputStream stdin) {
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
        IngestResult ingested = loaded.result();
        Optional<Profile.DnsService> dns = dns(ingested, err);
        if (dns.isEmpty()) {
            return ExitCode.USAGE;
        }
        LintResult result = Linter.lint(ingested.cluster(), new Linter.Options(dns.get()));
        LintReport report = new LintReport(result, ingested.inputs().stream().map(IngestResult.Input::path).toList(),
                VersionProvider.version());
        String text = switch (format) {
            case text -> new LintTextFormatter().format(report);
            case json -> new LintJsonFormatter().format(report);
            case sarif -> new LintSarifFormatter().format(report);
        };
        int written = output.write(text, out, err);
        if (written != ExitCode.OK) {
            return written;
        }
        return result.count(LintCheck.Level.ERROR) > 0 ? ExitCode.FINDINGS : ExitCode.OK;
    }

    private Optional<Profile.DnsService> dns(IngestResult ingested, PrintWriter err) {
        // the profile audit would choose; without one, the DNS lint has always assumed
        return ProfileChoice.choose("lint", profileFile, ingested, "the manifests", stdin, input.quiet, err)
                .map(chosen -> chosen.source().equals(ProfileReader.DEFAULT_SOURCE) ? Linter.DEFAULT_DNS
                        : chosen.profile().dns());
    }
}
