package dev.phiguard.analysis;

import java.util.List;
import java.util.Objects;

/** What {@link Linter} found, with the redundancy it rests on and the sprawl figures. */
public record LintResult(List<LintFinding> findings, Redundancy redundancy, Sprawl sprawl) {
    public LintResult {
        findings = List.copyOf(findings);
        Objects.requireNonNull(redundancy, "redundancy");
        Objects.requireNonNull(sprawl, "sprawl");
    }

    public long count(LintCheck.Level level) {
        return findings.stream().filter(finding -> finding.check().level() == level).count();
    }

    /**
     * How much policy there is and how much of it does nothing.
     *
     * @param workloadsPerPolicy the smallest, median and largest number of workloads a policy selects
     */
    public record Sprawl(List<NamespaceFigures> namespaces, int policies, int rules, int redundantRules,
            int redundantPolicies, long overlappingPairs, int containedPolicies, int[] workloadsPerPolicy) {
        public Sprawl {
            namespaces = List.copyOf(namespaces);
            workloadsPerPolicy = workloadsPerPolicy.clone();
        }

        @Override
        public int[] workloadsPerPolicy() {
            return workloadsPerPolicy.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Sprawl sprawl && toString().equals(sprawl.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return "Sprawl[" + namespaces + ", " + policies + ", " + rules + ", " + redundantRules + ", "
                    + redundantPolicies + ", " + overlappingPairs + ", " + containedPolicies + ", "
                    + java.util.Arrays.toString(workloadsPerPolicy) + "]";
        }
    }

    /** The figures of one namespace that has workloads or policies. */
    public record NamespaceFigures(String namespace, int workloads, int policies, int rules, int redundantRules,
            int redundantPolicies) {
    }
}
