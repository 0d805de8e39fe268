package dev.phiguard.report;

import dev.phiguard.analysis.LintResult;
import java.util.List;
import java.util.Objects;

/** A lint result with what a report states around it: the input files and the tool's version. */
public record LintReport(LintResult result, List<String> inputs, String toolVersion) {
    public LintReport {
        Objects.requireNonNull(result, "result");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(toolVersion, "toolVersion");
    }
}
