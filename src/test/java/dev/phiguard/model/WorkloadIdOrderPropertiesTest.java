package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link WorkloadId#compareTo} orders exactly as the printed names do, which every output relies on. */
class WorkloadIdOrderPropertiesTest {

    @Provide
    Arbitrary<WorkloadId> ids() {
        // few characters, among them the separators and characters either side of them, so prefixes and ties are common
        Arbitrary<String> part = Arbitraries.strings().withChars("ab-./[]Z0").ofMinLength(0).ofMaxLength(4);
        Arbitrary<String> nonEmpty = Arbitraries.strings().withChars("ab-./[]Z0").ofMinLength(1).ofMaxLength(4);
        return Combinators.combine(part, nonEmpty, nonEmpty).as(WorkloadId::new);
    }

    @Property(tries = 2000)
    void ordersAsPrinted(@ForAll("ids") WorkloadId a, @ForAll("ids") WorkloadId b) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
    }

    @Property(tries = 500)
    void equalIdsCompareEqual(@ForAll("ids") WorkloadId a) {
        WorkloadId copy = new WorkloadId(a.namespace(), a.name(), a.kind());
        assertThat(a.compareTo(copy)).isZero();
    }
}
