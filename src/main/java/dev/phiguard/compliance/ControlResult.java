package dev.phiguard.compliance;

import java.util.List;
import java.util.Objects;

/**
 * A control's outcome: passed, failed with findings, or not assessed (and why), with the
 * evidence of what was checked so an auditor can see a pass is not an empty check.
 */
public record ControlResult(ControlInfo control, Status status, List<Finding> findings, List<String> evidence,
        String reason) {

    /** The outcome of a control. */
    public enum Status {
        PASS,
        FAIL,
        NOT_ASSESSED;

        public String label() {
            return switch (this) {
                case PASS -> "pass";
                case FAIL -> "fail";
                case NOT_ASSESSED -> "not assessed";
            };
        }
    }

    public ControlResult {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(status, "status");
        findings = List.copyOf(findings);
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(reason, "reason");
        if ((status == Status.FAIL) == findings.isEmpty()) {
            throw new IllegalArgumentException("A control fails exactly when it has findings: " + control.id());
        }
    }

    /** Passed or failed, depending on the findings. */
    public static ControlResult assessed(ControlInfo control, List<Finding> findings, List<String> evidence) {
        return new ControlResult(control, findings.isEmpty() ? Status.PASS : Status.FAIL, findings, evidence, "");
    }

    public static ControlResult notAssessed(ControlInfo control, String reason) {
        return new ControlResult(control, Status.NOT_ASSESSED, List.of(), List.of(), reason);
    }
}
