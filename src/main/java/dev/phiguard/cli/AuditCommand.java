package dev.phiguard.cli;

import dev.phiguard.analysis.LintCheck;
import dev.phiguard.analysis.LintResult;
import dev.phiguard.analysis.Linter;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Auditor;
import dev.phiguard.compliance.Finding;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.report.AuditFormatter;
import dev.phiguard.report.AuditHtmlFormatter;
import dev.phiguard.report.AuditHygiene;
import dev.phiguard.report.AuditJsonFormatter;
import dev.phiguard.report.AuditJunitFormatter;
import dev.phiguard.report.AuditMarkdownFormatter;
import dev.phiguard.report.AuditReport;
import dev.phiguard.report.AuditSarifFormatter;
import dev.phiguard.report.AuditTextFormatter;
import dev.phiguard.report.LintReport;
import dev.phiguard.report.LintTextFormatter;
import dev.phiguard.report.NetworkPolicyYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phiguard audit}: judge the cluster against the HIPAA controls. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Audit the manifests against phiguard's HIPAA controls (45 CFR 164.312, CIS Kubernetes 5.3, NIST SP"
                    + " 800-190): which workloads hold PHI, who can reach them, where they can connect, whether"
                    + " those ports are encrypted. Every finding names the connection or object that proves it,"
                    + " the manifest file and line, and a fix: where a NetworkPolicy fixes it, the policy itself.",
            "",
            "The profile says what PHI is here and who may reach it: --profile FILE, else the one Profile"
                    + " document among the manifests, else the built-in default (`phiguard profile --default`)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard audit examples/clinic",
            "  phiguard audit examples/clinic -o json --output audit.json",
            "  phiguard audit examples/clinic --fix-dir fixes/",
            "  phiguard audit examples/clinic --hygiene    (and phiguard lint's findings)",
            "  phiguard audit examples/clinic fixes/     (the manifests with the fixes applied)",
            "  helm template ./chart | phiguard audit - --profile phi.yaml --fail-on medium",
            "  phiguard audit --cluster --profile phi.yaml     (the live cluster, and PG011-PG013)",
            "  phiguard audit --cluster --context prod -o sarif --output audit.sarif",
            "",
            "With --cluster the controls that need a cluster are assessed too: the network plugin",
            "enforces NetworkPolicy (PG011), mesh mTLS covers PHI (PG012), flow logging is on (PG013).",
            ClusterOptions.FOOTER_NOTE,
            "Objects from a later PATH replace those of the same kind, namespace and name",
            "from an earlier one, as applying them in order would.",
            "Exit codes: 0 no finding at or above the threshold; 1 findings at or above it;",
            "2 bad usage, unreadable input, an invalid profile or an unreadable cluster;",
            "3 internal error.%n"})
public final class AuditCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        text,
        json,
        sarif,
        junit,
        md,
        html
    }

    /** The failure thresholds of --fail-on. */
    enum Threshold {
        critical,
        high,
        medium,
        low,
        none;

        Optional<Severity> severity() {
            return this == none ? Optional.empty() : Severity.fromLabel(name());
        }
    }

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

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

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "The profile to audit against (a YAML Profile document); replaces any profile found"
                    + " among the manifests and the built-in default.")
    String profileFile;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit with code 1 when a finding is at or above SEVERITY: ${COMPLETION-CANDIDATES}"
                    + " (default: the profile's failOn, high in the built-in profile).")
    Threshold failOn;

    @Option(names = "--fix-dir", paramLabel = "DIR",
            description = "Write every NetworkPolicy the remediations propose to DIR, one file each"
                    + " (NAMESPACE.NAME.yaml). A policy named like an existing one replaces it when applied.")
    Path fixDir;

    @Option(names = "--no-color", description = "No colours in text output (also when NO_COLOR is set, or not"
            + " on a terminal).")
    boolean noColor;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "The date the report states. md and html state today's date unless this pins it; the"
                    + " other formats state none unless asked, so they stay reproducible.")
    String date;

    @Option(names = "--hygiene", description = "Also run the checks of phiguard lint (policies that do nothing, overlap"
            + " or deny by mistake): a Hygiene section after the audit in text, lint's document under \"hygiene\" in"
            + " json, a second run in sarif (not with junit, md or html). They"
            + " never change the audit's result or exit code.")
    boolean hygiene;

    private final InputStream stdin;

    public AuditCommand() {
        this(System.in);
    }

    AuditCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (date != null && !isDate(date)) {
            err.println("phiguard audit: --date: expected a date as YYYY-MM-DD, got '" + date + "'");
            err.flush();
            return ExitCode.USAGE;
        }
        if (hygiene && format != Format.text && format != Format.json && format != Format.sarif) {
            // silently leaving them out would look like a clean bill of hygiene
            err.println("phiguard audit: --hygiene goes with -o text, json or sarif; for " + format
                    + ", run phiguard lint on the same input beside the audit");
            err.flush();
            return ExitCode.USAGE;
        }
        InputOptions.Loaded loaded = input.load(cluster, paths, stdin, err);
        if (!loaded.ok()) {
            return loaded.exitCode();
        }
        IngestResult ingested = loaded.result();
        Optional<ProfileChoice.Chosen> chosen = ProfileChoice.choose("audit", profileFile, ingested, "the manifests",
                stdin, input.quiet, err);
        if (chosen.isEmpty()) {
            return ExitCode.USAGE;
        }
        Profile profile = chosen.get().profile();
        if (failOn != null) {
            profile = profile.withFailOn(failOn.severity());
        }
        AuditResult result = Auditor.audit(ingested.cluster(), profile);
        List<AuditReport.Input> inputs = ingested.inputs().stream()
                .map(file -> new AuditReport.Input(file.path(), file.sha256())).toList();
        AuditReport report = new AuditReport(result, inputs, chosen.get().source(), VersionProvider.version(),
                reportDate());
        AuditFormatter formatter = switch (format) {
            case text -> new AuditTextFormatter(useColor());
            case json -> new AuditJsonFormatter();
            case sarif -> new AuditSarifFormatter();
            case junit -> new AuditJunitFormatter();
            case md -> new AuditMarkdownFormatter();
            // the map is computed apart from the audit's own: the audit's public result holds no map
            case html -> new AuditHtmlFormatter(ConnectivityAnalyzer.analyze(ingested.cluster()),
                    PhiScope.of(ingested.cluster(), profile));
        };
        int written;
        if (hygiene) {
            String text = switch (format) {
                case json -> AuditHygiene.json(report, lintReport(ingested, profile));
                case sarif -> AuditHygiene.sarif(report, lintReport(ingested, profile));
                default -> formatter.format(report) + hygiene(ingested, profile);
            };
            written = output.write(text, out, err);
        } else {
            written = output.write(writer -> formatter.write(report, writer), out, err);
        }
        if (written != ExitCode.OK) {
            return written;
        }
        if (fixDir != null) {
            int fixes = writeFixes(result, err);
            if (fixes != ExitCode.OK) {
                return fixes;
            }
        }
        return result.failed() ? ExitCode.FINDINGS : ExitCode.OK;
    }

    private static LintReport lintReport(IngestResult ingested, Profile profile) {
        return new LintReport(Linter.lint(ingested.cluster(), new Linter.Options(profile.dns())),
                ingested.inputs().stream().map(file -> file.path()).toList(), VersionProvider.version());
    }

    /** The lint findings as a section apart from the audit's findings, which they do not count among. */
    private static String hygiene(IngestResult ingested, Profile profile) {
        LintResult lint = Linter.lint(ingested.cluster(), new Linter.Options(profile.dns()));
        String findings = new LintTextFormatter().findings(lint);
        return "\nHygiene (phiguard lint; not counted in the result): "
                + lint.count(LintCheck.Level.ERROR) + " errors, " + lint.count(LintCheck.Level.WARNING) + " warnings, "
                + lint.count(LintCheck.Level.NOTE) + " notes\n" + findings.replace("\n  ", "\n    ").replace("\n\n", "\n");
    }

    /** An audit report for people is dated; machine formats stay reproducible unless a date is asked for. */
    private Optional<String> reportDate() {
        if (date != null) {
            return Optional.of(date);
        }
        return format == Format.md || format == Format.html
                ? Optional.of(java.time.LocalDate.now().toString()) : Optional.empty();
    }

    private static boolean isDate(String text) {
        if (!DATE.matcher(text).matches()) {
            return false;
        }
        try {
            java.time.LocalDate.parse(text);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private boolean useColor() {
        return !noColor && output.outputFile == null && System.getenv("NO_COLOR") == null && System.console() != null
                && !"dumb".equals(System.getenv("TERM"));
    }

    private int writeFixes(AuditResult result, PrintWriter err) {
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (Finding finding : result.findings()) {
            for (NetworkPolicy policy : finding.remediation().policies()) {
                reasons.computeIfAbsent(policy.namespacedName(), key -> new ArrayList<>())
                        .add(finding.id() + ": " + finding.message());
            }
        }
        try {
            Files.createDirectories(fixDir);
            for (NetworkPolicy policy : result.fixes()) {
                StringBuilder text = new StringBuilder("# Proposed by phiguard. Applying it creates ")
                        .append(policy.namespacedName()).append(", or replaces the policy of that name. It fixes:\n");
                for (String reason : reasons.get(policy.namespacedName())) {
                    text.append("#   ").append(reason).append('\n');
                }
                text.append(NetworkPolicyYaml.write(policy));
                Files.writeString(fixDir.resolve(policy.namespace() + "." + policy.name() + ".yaml"), text.toString(),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println("phiguard audit: --fix-dir: cannot write " + fixDir + ": " + e.getMessage());
            err.flush();
            return ExitCode.USAGE;
        }
        err.println("phiguard audit: wrote " + result.fixes().size() + " proposed NetworkPolicy file(s) to " + fixDir
                + "; review them, then audit again with: phiguard audit " + (cluster.cluster ? "--cluster "
                + (cluster.context == null ? "" : "--context " + cluster.context + " ") : "")
                + String.join(" ", paths == null ? List.of() : paths) + " "
                + fixDir);
        err.flush();
        return ExitCode.OK;
    }
}
