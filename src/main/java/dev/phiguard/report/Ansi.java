package dev.phiguard.report;

import dev.phiguard.compliance.ControlResult;
import dev.phiguard.model.Severity;

/** Terminal colours, or none: every method returns its text unchanged when colour is off. */
final class Ansi {
    private static final String RESET = "\u001b[0m";
    private final boolean enabled;

    Ansi(boolean enabled) {
        this.enabled = enabled;
    }

    String bold(String text) {
        return wrap("\u001b[1m", text);
    }

    String dim(String text) {
        return wrap("\u001b[2m", text);
    }

    String severity(Severity severity, String text) {
        return switch (severity) {
            case CRITICAL -> wrap("\u001b[1;35m", text);
            case HIGH -> wrap("\u001b[1;31m", text);
            case MEDIUM -> wrap("\u001b[33m", text);
            case LOW -> wrap("\u001b[36m", text);
            case INFO -> text;
        };
    }

    String status(ControlResult.Status status, String text) {
        return switch (status) {
            case PASS -> wrap("\u001b[32m", text);
            case FAIL -> wrap("\u001b[1;31m", text);
            case NOT_ASSESSED -> wrap("\u001b[2m", text);
        };
    }

    private String wrap(String code, String text) {
        return enabled ? code + text + RESET : text;
    }
}
