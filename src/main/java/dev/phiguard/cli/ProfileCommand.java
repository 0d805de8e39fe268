package dev.phiguard.cli;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.ProfileReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code phiguard profile}: print the built-in profile, or check one. */
@Command(name = "profile",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Print the built-in audit profile, with comments explaining every key, or check a profile file.",
            "A profile says which workloads hold PHI, which other workloads may reach them, which addresses outside"
                    + " the cluster they may reach, which ports count as encrypted, where DNS runs, and from which"
                    + " severity findings fail the audit."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  phiguard profile --default > phi-profile.yaml",
            "  phiguard profile --check phi-profile.yaml",
            "  phiguard audit manifests/ --profile phi-profile.yaml%n"})
public final class ProfileCommand implements Callable<Integer> {

    /** Exactly one of the two actions. */
    static final class Action {
        @Option(names = "--default", required = true, description = "Print the built-in profile.")
        boolean printDefault;

        @Option(names = "--check", required = true, paramLabel = "FILE",
                description = "Check a profile file and report every problem with its line.")
        String check;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    private final InputStream stdin;

    public ProfileCommand() {
        this(System.in);
    }

    ProfileCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (action.printDefault) {
            out.print(ProfileReader.defaultProfileText());
            out.flush();
            return ExitCode.OK;
        }
        ProfileReader.Result result = ProfileReader.read(action.check, stdin);
        for (Diagnostic diagnostic : result.diagnostics()) {
            err.println(diagnostic);
        }
        if (result.profile().isEmpty()) {
            err.println("phiguard profile: " + action.check + " is not a usable profile");
            err.flush();
            return ExitCode.USAGE;
        }
        out.println("phiguard profile: " + action.check + " is a valid profile (\"" + result.profile().get().name()
                + "\")");
        out.flush();
        err.flush();
        return ExitCode.OK;
    }
}
