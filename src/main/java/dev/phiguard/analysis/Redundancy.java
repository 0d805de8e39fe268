package dev.phiguard.analysis;

import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * What the redundancy analysis found: rules and whole policies whose removal changes no allowed
 * connection, and pairs of policies where one allows and isolates everything the other does.
 */
public record Redundancy(List<RedundantRule> rules, List<RedundantPolicy> policies, List<PolicyRelation> relations,
        long overlappingPairs) {

    public Redundancy {
        rules = List.copyOf(rules);
        policies = List.copyOf(policies);
        relations = List.copyOf(relations);
    }

    /** Why removing a rule or a policy changes nothing. */
    public enum Reason {
        /** Other rules already allow everything it allows, to the same workloads. */
        COVERED("other rules already allow all it allows"),
        /** It allows nothing, and other policies isolate every workload it selects. */
        ISOLATED_BY_OTHERS("it allows nothing, and other policies isolate every workload it selects (it still"
                + " guards workloads added later)"),
        /** It admits no peer on any port. */
        ALLOWS_NOTHING("it admits no workload and no address on any port"),
        /** The far side of every connection it allows refuses what only it allows. */
        REFUSED_BY_PEERS("the other end refuses all that only it allows, or it is a workload's traffic to itself"),
        /** Its direction is not in the policy's policyTypes, so the rule is never read. */
        IGNORED("its direction is not in the policy's policyTypes"),
        /** The policy selects no workload. */
        SELECTS_NOTHING("its policy selects no workload"),
        /** It allows everything, as the workloads would without it. */
        ALLOWS_ALL("it allows everything, as no policy at all would");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * A rule whose removal changes no allowed connection.
     *
     * @param coveredBy the policies ({@code namespace/name}) whose rules already allow what it allows
     */
    public record RedundantRule(RuleRef rule, Reason reason, List<String> coveredBy) {
        public RedundantRule {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
            coveredBy = List.copyOf(coveredBy);
        }
    }

    /** A policy whose removal changes no allowed connection. */
    public record RedundantPolicy(String policy, SourceRef source, Reason reason, List<String> coveredBy) {
        public RedundantPolicy {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
            coveredBy = List.copyOf(coveredBy);
        }
    }

    /**
     * Two policies of one namespace: {@code first} selects, isolates and allows at least what
     * {@code second} does; when {@code equivalent}, also the reverse.
     */
    public record PolicyRelation(String first, String second, boolean equivalent, SourceRef secondSource) {
        public PolicyRelation {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
            Objects.requireNonNull(secondSource, "secondSource");
        }
    }
}
