package dev.phiguard.analysis;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Expectations;
import dev.phiguard.model.Peer;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one assertion: passed; failed, with every pair that breaks it and the
 * explanation of the first few; or not evaluable (an error: a workload that does not exist, a
 * selector that selects nothing), which counts as a failure of the suite.
 *
 * @param pairsChecked how many (source, destination) pairs the assertion covered, counting an
 *     address range outside the cluster once per range that every policy and assertion treats alike
 * @param violations every pair that breaks the assertion, sorted by source then destination;
 *     adjacent address ranges that break it alike are merged into one
 * @param explanations why, for the first {@link ExpectationEvaluator#EXPLAINED} violations, in
 *     the same order; for a merged range, why for its first part
 * @param errors why the assertion could not be evaluated, each {@code file:line:column: what}
 */
public record AssertionResult(Expectations.Assertion assertion, Status status, int pairsChecked,
        List<Violation> violations, List<Explanation> explanations, List<String> errors) {

    /** Passed, failed, or could not be evaluated. */
    public enum Status {
        PASSED,
        FAILED,
        ERROR;

        public String label() {
            return switch (this) {
                case PASSED -> "PASS";
                case FAILED -> "FAIL";
                case ERROR -> "ERROR";
            };
        }
    }

    public AssertionResult {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(status, "status");
        violations = List.copyOf(violations);
        explanations = List.copyOf(explanations);
        errors = List.copyOf(errors);
    }

    /**
     * A pair that breaks the assertion.
     *
     * @param connections for an {@code allow}, what is asked but refused; otherwise what is
     *     allowed but should not be
     * @param asked what the assertion asks about for this pair
     */
    public record Violation(Peer source, Peer destination, ConnectionSet connections, ConnectionSet asked) {
        public Violation {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(connections, "connections");
            Objects.requireNonNull(asked, "asked");
        }

        /** {@code src => dst : connections}, the line of {@code connectivity -o txt}. */
        @Override
        public String toString() {
            return source + " => " + destination + " : " + connections;
        }
    }
}
