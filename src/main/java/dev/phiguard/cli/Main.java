package dev.phiguard.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code phiguard} executable. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its exit code; never throws. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /** The configured command line, as tests and the launcher use it. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new PhiguardCommand()));
    }

    /** Applies phiguard's parsing rules and error handling to a command line. */
    static CommandLine configure(CommandLine commandLine) {
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler(Main::internalError);
        return commandLine;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandName().equals("phiguard") ? "phiguard: " + e.getMessage()
                : "phiguard " + command.getCommandName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run 'phiguard " + (command.getCommandName().equals("phiguard") ? "" : command.getCommandName() + " ")
                + "--help' for usage.");
        err.flush();
        return ExitCode.USAGE;
    }

    /** A defect: say so in one line and how to get the details, never with a stack trace by default. */
    private static int internalError(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println("phiguard: internal error: " + e);
        if (System.getenv("PHIGUARD_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("This is a bug in phiguard. Run again with PHIGUARD_DEBUG=1 for the stack trace, and report it.");
        }
        err.flush();
        return ExitCode.INTERNAL;
    }
}
