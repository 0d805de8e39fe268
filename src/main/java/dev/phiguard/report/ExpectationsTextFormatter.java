package dev.phiguard.report;

import dev.phiguard.analysis.AssertionResult;
import dev.phiguard.analysis.Explanation;
import dev.phiguard.analysis.ExpectationsResult;
import dev.phiguard.model.Expectations;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.PortRange;
import java.util.List;

/**
 * The results of {@code phiguard test} for people: a line per assertion, and under each failure
 * what was expected, the pairs that break it and, for the first few, why, rule by rule.
 */
public final class ExpectationsTextFormatter {
    /** How many breaking pairs of one assertion are listed; the rest are counted. */
    static final int LISTED = 20;

    private static final String INDENT = "    ";

    public String format(ExpectationsResult result) {
        StringBuilder out = new StringBuilder();
        for (ExpectationsResult.SuiteResult suite : result.suites()) {
            out.append("Suite ").append(suite.suite().name()).append(" (").append(suite.suite().source().file())
                    .append(")\n");
            for (AssertionResult assertion : suite.results()) {
                out.append(String.format("%-6s%s", assertion.status().label(), assertion.assertion().name()));
                if (assertion.status() != AssertionResult.Status.PASSED) {
                    out.append(" (").append(assertion.assertion().source()).append(')');
                }
                out.append('\n');
                if (assertion.status() != AssertionResult.Status.PASSED) {
                    indent(out, details(assertion), INDENT);
                }
            }
            out.append('\n');
        }
        out.append(summary(result)).append('\n');
        return out.toString();
    }

    /** {@code Result: FAIL — 20 assertions: 17 passed, 2 failed, 1 error}. */
    static String summary(ExpectationsResult result) {
        long total = result.results().size();
        long errors = result.count(AssertionResult.Status.ERROR);
        return "Result: " + (result.passed() ? "PASS" : "FAIL") + " — " + total + (total == 1 ? " assertion" : " assertions")
                + ": " + result.count(AssertionResult.Status.PASSED) + " passed, "
                + result.count(AssertionResult.Status.FAILED) + " failed, " + errors
                + (errors == 1 ? " error" : " errors");
    }

    /**
     * What a failed or unevaluable assertion needs to say: the claim, the breaking pairs and the
     * explanations, or the errors; the same text goes into a JUnit failure.
     */
    static String details(AssertionResult result) {
        StringBuilder out = new StringBuilder();
        out.append("expected: ").append(claim(result.assertion())).append('\n');
        if (result.status() == AssertionResult.Status.ERROR) {
            out.append("cannot be evaluated:\n");
            for (String error : result.errors()) {
                out.append("  ").append(error).append('\n');
            }
            return out.toString();
        }
        List<AssertionResult.Violation> violations = result.violations();
        out.append(headline(result)).append(":\n");
        String verb = refuses(result.assertion()) ? "refused" : "allowed";
        for (AssertionResult.Violation violation : violations.subList(0, Math.min(LISTED, violations.size()))) {
            out.append("  ").append(verb).append(": ").append(violation).append('\n');
        }
        if (violations.size() > LISTED) {
            out.append("  ... and ").append(violations.size() - LISTED).append(" more\n");
        }
        if (!result.explanations().isEmpty()) {
            out.append(result.explanations().size() == violations.size() ? "why, rule by rule:\n"
                    : "why, rule by rule, for the first " + result.explanations().size() + ":\n");
        }
        for (int i = 0; i < result.explanations().size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            // the verdict, then its two sides beneath it
            String explanation = new ExplanationTextFormatter().format(result.explanations().get(i));
            int firstLine = explanation.indexOf('\n') + 1;
            out.append("  ").append(explanation, 0, firstLine);
            indent(out, explanation.substring(firstLine), "    ");
        }
        return out.toString();
    }

    /** {@code 1 pair breaks it}, {@code 2 pairs break it}. */
    static String headline(AssertionResult result) {
        int broken = result.violations().size();
        return broken + (broken == 1 ? " pair breaks it" : " pairs break it");
    }

    /** True when a violation is a connection refused (an allow assertion), not one allowed. */
    static boolean refuses(Expectations.Assertion assertion) {
        return assertion instanceof Expectations.Pair pair && pair.expect() == Expectations.Verdict.ALLOW;
    }

    /** The assertion as a sentence: what must hold. */
    static String claim(Expectations.Assertion assertion) {
        if (assertion instanceof Expectations.Pair pair) {
            boolean allow = pair.expect() == Expectations.Verdict.ALLOW;
            return pair.from() + (allow ? " reaches " : " does not reach ") + pair.to() + " on "
                    + ports(pair.port(), allow);
        }
        if (assertion instanceof Expectations.OnlyReachedBy only) {
            String on = " on " + ports(only.port(), false);
            return only.from().isEmpty() ? "nothing reaches " + only.to() + on
                    : "only " + list(only.from()) + (only.from().size() == 1 ? " reaches " : " reach ") + only.to() + on;
        }
        Expectations.ReachesOnly only = (Expectations.ReachesOnly) assertion;
        String on = " on " + ports(only.port(), false);
        return only.to().isEmpty() ? only.from() + " reaches nothing" + on
                : only.from() + " reaches only " + list(only.to()) + on;
    }

    private static String list(List<Expectations.Endpoint> endpoints) {
        return String.join(", ", endpoints.stream().map(Expectations.Endpoint::toString).toList());
    }

    /** {@code TCP 8443}, {@code TCP 8000-8100}, {@code port https}, {@code any UDP port}, {@code every port}. */
    static String ports(java.util.Optional<PortMatcher> port, boolean every) {
        String quantifier = every ? "every " : "any ";
        if (port.isEmpty()) {
            return quantifier + "port";
        }
        if (port.get() instanceof PortMatcher.Numbers numbers) {
            return numbers.range().equals(PortRange.ALL) ? quantifier + numbers.protocol() + " port"
                    : numbers.protocol() + " " + numbers.range();
        }
        return "port " + port.get();
    }

    private static void indent(StringBuilder out, String text, String prefix) {
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.append(prefix).append(line);
            }
            out.append('\n');
        }
        // split keeps the empty piece after the final newline
        out.setLength(out.length() - 1);
    }
}
