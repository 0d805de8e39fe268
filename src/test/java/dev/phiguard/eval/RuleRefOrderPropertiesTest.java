package dev.phiguard.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.model.Direction;
import dev.phiguard.model.SourceRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link RuleRef#compareTo} orders by the printed policy name, then direction and index, as evidence lists print. */
class RuleRefOrderPropertiesTest {

    @Provide
    Arbitrary<RuleRef> refs() {
        // few characters, among them the separator and characters either side of it, so prefixes and ties are common
        Arbitrary<String> part = Arbitraries.strings().withChars("ab-./0").ofMinLength(1).ofMaxLength(4);
        return Combinators.combine(part, part, Arbitraries.of(Direction.class), Arbitraries.integers().between(0, 2))
                .as((namespace, policy, direction, index) -> new RuleRef(namespace, policy, direction, index,
                        SourceRef.UNKNOWN, SourceRef.UNKNOWN));
    }

    @Property(tries = 2000)
    void ordersByPrintedPolicyNameThenDirectionAndIndex(@ForAll("refs") RuleRef a, @ForAll("refs") RuleRef b) {
        int expected = a.policyName().compareTo(b.policyName());
        if (expected == 0) {
            expected = a.direction().compareTo(b.direction());
        }
        if (expected == 0) {
            expected = Integer.compare(a.index(), b.index());
        }
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
    }
}
