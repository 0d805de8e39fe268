package dev.phiguard.cli;

/** The exit codes of DESIGN.md, the same for every command. */
public final class ExitCode {
    /** No finding at or above the failure threshold. */
    public static final int OK = 0;
    /** Findings at or above the failure threshold. */
    public static final int FINDINGS = 1;
    /** Bad usage, or no usable input. */
    public static final int USAGE = 2;
    /** A defect in phiguard. */
    public static final int INTERNAL = 3;

    private ExitCode() {
    }
}
