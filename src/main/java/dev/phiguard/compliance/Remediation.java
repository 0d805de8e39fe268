package dev.phiguard.compliance;

import dev.phiguard.model.NetworkPolicy;
import java.util.List;
import java.util.Objects;

/**
 * How to fix a finding: what to do, in words, and where a NetworkPolicy does it, the policies
 * ready to apply. A policy with the name of an existing one replaces it.
 */
public record Remediation(String text, List<NetworkPolicy> policies) {

    public Remediation {
        Objects.requireNonNull(text, "text");
        policies = List.copyOf(policies);
    }

    public static Remediation text(String text) {
        return new Remediation(text, List.of());
    }
}
