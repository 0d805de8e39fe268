package dev.phiguard.cli;

import dev.phiguard.analysis.ExpectationEvaluator;
import dev.phiguard.analysis.ExpectationsResult;
import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.ExpectationsReader;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.model.Expectations;
import dev.phiguard.report.ExpectationsJunitFormatter;
import dev.phiguard.report.ExpectationsTextFormatter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phiguard test}: connectivity assertions as test cases. */
@Command(name = "test",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Check connectivity assertions against the manifests. Each assertion of the expectations file is a test"
                    + " case; a failing one lists the pairs that break it and explains the first few rule by rule,"
                    + " with file and line, as `phiguard explain` does.",
            "",
            "The expectations file is YAML: apiVersion phiguard.dev/v1alpha1, kind Expectations, metadata.name"
                    + " (the suite's name), and under `expectations:` a list of assertions, each with a `name` and"
                    + " one of:",
            "  from: A, to: B, expect: allow   every (A, B) pair connects on every port asked",
            "  from: A, to: B, expect: deny    no (A, B) pair connects on any port asked",
            "  only: {to: X, from: [A, B]}     only A and B reach X: every other workload",
            "                                  and address is denied to X",
            "  only: {from: X, to: [A, B]}     X reaches only A and B",
            "",
            "An end (A, B, X) is a workload, NAMESPACE/NAME or NAMESPACE/NAME[Kind]; a selector,"
                    + " {namespaceSelector: ..., podSelector: ...} (label selectors; either may be left out),"
                    + " meaning every workload it selects, and an error when it selects none; or addresses outside"
                    + " the cluster: an IP address, a CIDR, or {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}.",
            "`port` is a number, a range (8000-8100), NUMBER/PROTOCOL (53/UDP) or a container port name of the"
                    + " destination (https); `protocol` is TCP (the default), UDP or SCTP. Without a port an"
                    + " assertion is about every port (of the protocol, when one is given). An only assertion"
                    + " bounds who may connect; pair it with allow assertions for what must work.",
            "",
            "Without --expect, the Expectations documents among the manifests are used."},
        footerHeading = "%nExample expectations file:%n",
        footer = {
            "  apiVersion: phiguard.dev/v1alpha1",
            "  kind: Expectations",
            "  metadata:",
            "    name: clinic",
            "  expectations:",
            "    - name: the portal reads patient records over TLS",
            "      from: portal/patient-portal-api",
            "      to: phi/fhir-server",
            "      port: 8443",
            "      expect: allow",
            "    - name: nothing on the internet reaches the EHR database",
            "      from: {cidr: 0.0.0.0/0}",
            "      to: phi/ehr-db[StatefulSet]",
            "      expect: deny",
            "    - name: only the FHIR server, the export and Prometheus reach the EHR",
            "      only:",
            "        to: phi/ehr-db",
            "        from:",
            "          - phi/fhir-server",
            "          - analytics/deid-export",
            "          - namespaceSelector:",
            "              matchLabels: {kubernetes.io/metadata.name: monitoring}",
            "            podSelector:",
            "              matchLabels: {app.kubernetes.io/name: prometheus}",
            "    - name: the EHR database reaches only DNS",
            "      only: {from: phi/ehr-db, to: [kube-system/coredns]}",
            "",
            "Examples:",
            "  phiguard test examples/clinic --expect examples/clinic/expectations.yaml",
            "  phiguard test k8s/ --expect tests.yaml -o junit --output phiguard-test.xml",
            "  helm template ./chart | phiguard test - --expect expectations.yaml",
            "  phiguard test --cluster --context prod --expect expectations.yaml",
            "",
            ClusterOptions.FOOTER_NOTE,
            "Exit codes: 0 every assertion passed; 1 an assertion failed or cannot be",
            "evaluated (a workload that does not exist, a selector that selects nothing);",
            "2 bad usage, unreadable input, an invalid expectations file or an unreadable",
            "cluster; 3 internal error.%n"})
public final class TestCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        text,
        junit
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = InputOptions.PATHS
            + " Optional with --cluster.")
    List<String> paths = new java.util.ArrayList<>();

    @Mixin
    InputOptions input;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    OutputOptions output;

    @Option(names = "--expect", paramLabel = "FILE",
            description = "The expectations file (- for standard input); may be given more than once. Without it,"
                    + " the Expectations documents among the manifests.")
    List<String> expectFiles = new ArrayList<>();

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); junit has one test"
                    + " case per assertion, failures carrying the explanation.")
    Format format;

    private final InputStream stdin;

    public TestCommand() {
        this(System.in);
    }

    TestCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (paths.contains("-") && expectFiles.contains("-")) {
            return usage(err, "standard input can be read once: give the manifests or --expect as -, not both");
        }
        InputOptions.Loaded loaded = input.load(cluster, paths, stdin, err);
        if (!loaded.ok()) {
            return loaded.exitCode();
        }
        IngestResult ingested = loaded.result();
        List<Expectations> suites = expectFiles.isEmpty() ? fromManifests(ingested, err)
                : fromFiles(ingested, err);
        if (suites == null) {
            return ExitCode.USAGE;
        }
        ExpectationsResult result = ExpectationEvaluator.evaluate(ingested.cluster(), suites);
        String text = format == Format.junit ? new ExpectationsJunitFormatter().format(result)
                : new ExpectationsTextFormatter().format(result);
        int written = output.write(text, out, err);
        if (written != ExitCode.OK) {
            return written;
        }
        return result.passed() ? ExitCode.OK : ExitCode.FINDINGS;
    }

    /** The suites of the --expect files; null, with the reason printed, when one cannot be used. */
    private List<Expectations> fromFiles(IngestResult ingested, PrintWriter err) {
        // a file that is also among the manifests has had its diagnostics printed already
        Set<Diagnostic> printed = new HashSet<>(ingested.diagnostics());
        List<Expectations> suites = new ArrayList<>();
        boolean ok = true;
        for (String file : expectFiles) {
            ExpectationsReader.Result read = ExpectationsReader.read(file, stdin);
            for (Diagnostic diagnostic : read.diagnostics()) {
                if ((diagnostic.isError() || !input.quiet) && printed.add(diagnostic)) {
                    err.println(diagnostic);
                }
            }
            if (!read.ok()) {
                err.println("phiguard test: --expect " + file + " cannot be used; fix the errors above");
                ok = false;
            }
            suites.addAll(read.suites());
        }
        err.flush();
        return ok ? suites : null;
    }

    /** The suites found among the manifests; null, with the reason printed, when there is none to run. */
    private static List<Expectations> fromManifests(IngestResult ingested, PrintWriter err) {
        boolean rejected = ingested.rejected().stream().anyMatch(name -> name.startsWith("Expectations "));
        if (rejected) {
            err.println("phiguard test: an Expectations document among the manifests cannot be used; fix the errors"
                    + " above");
            err.flush();
            return null;
        }
        if (ingested.expectations().isEmpty()) {
            err.println("phiguard test: no expectations: give --expect FILE, or put an Expectations document"
                    + " among the manifests (`phiguard test --help` shows the format)");
            err.flush();
            return null;
        }
        return ingested.expectations();
    }

    private static int usage(PrintWriter err, String message) {
        err.println("phiguard test: " + message);
        err.flush();
        return ExitCode.USAGE;
    }
}
