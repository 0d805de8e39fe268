package dev.phiguard.analysis;

import dev.phiguard.model.Expectations;
import java.util.List;
import java.util.Objects;

/** The outcome of every suite of assertions, in the order they were given. */
public record ExpectationsResult(List<SuiteResult> suites) {

    public ExpectationsResult {
        suites = List.copyOf(suites);
    }

    /** One Expectations document and the result of each of its assertions, in file order. */
    public record SuiteResult(Expectations suite, List<AssertionResult> results) {
        public SuiteResult {
            Objects.requireNonNull(suite, "suite");
            results = List.copyOf(results);
        }

        public long count(AssertionResult.Status status) {
            return results.stream().filter(result -> result.status() == status).count();
        }
    }

    public List<AssertionResult> results() {
        return suites.stream().flatMap(suite -> suite.results().stream()).toList();
    }

    public long count(AssertionResult.Status status) {
        return results().stream().filter(result -> result.status() == status).count();
    }

    /** True when every assertion passed (and vacuously when there is none). */
    public boolean passed() {
        return results().stream().allMatch(result -> result.status() == AssertionResult.Status.PASSED);
    }
}
