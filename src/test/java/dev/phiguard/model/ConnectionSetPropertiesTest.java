package dev.phiguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Set laws, a per-protocol {@link BitSet} model, canonical form and the printed form of
 * {@link ConnectionSet}.
 */
class ConnectionSetPropertiesTest {

    private static final int MAX = PortRange.MAX_PORT;

    // ---------------------------------------------------------------- arbitraries

    @Provide
    Arbitrary<Map<Protocol, PortSet>> portMaps() {
        return portMapArbitrary();
    }

    static Arbitrary<Map<Protocol, PortSet>> portMapArbitrary() {
        Arbitrary<PortSet> ports = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(PortSet.NONE)),
                Tuple.of(2, Arbitraries.just(PortSet.ALL)),
                Tuple.of(6, PortSetPropertiesTest.portSetArbitrary()));
        return ports.list().ofSize(Protocol.values().length).map(list -> {
            Map<Protocol, PortSet> map = new EnumMap<>(Protocol.class);
            for (Protocol protocol : Protocol.values()) {
                map.put(protocol, list.get(protocol.ordinal()));
            }
            return map;
        });
    }

    @Provide
    Arbitrary<ConnectionSet> connectionSets() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(ConnectionSet.NONE)),
                Tuple.of(1, Arbitraries.just(ConnectionSet.ALL)),
                Tuple.of(1, Arbitraries.of(Protocol.class).map(ConnectionSet::allOf)),
                Tuple.of(10, portMapArbitrary().map(ConnectionSet::of)));
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.oneOf(
                Arbitraries.of(1, 2, 53, 80, 1000, 1001, MAX - 1, MAX),
                Arbitraries.integers().between(1, MAX));
    }

    // ---------------------------------------------------------------- model helpers

    /** The model: one bit set of ports per protocol. */
    static Map<Protocol, BitSet> model(ConnectionSet set) {
        Map<Protocol, BitSet> model = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
            model.put(protocol, PortSetPropertiesTest.model(set.ports(protocol)));
        }
        return model;
    }

    static Map<Protocol, BitSet> combine(Map<Protocol, BitSet> a, Map<Protocol, BitSet> b, String operation) {
        Map<Protocol, BitSet> result = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
            BitSet bits = (BitSet) a.get(protocol).clone();
            switch (operation) {
                case "or" -> bits.or(b.get(protocol));
                case "and" -> bits.and(b.get(protocol));
                case "andNot" -> bits.andNot(b.get(protocol));
                default -> throw new IllegalArgumentException(operation);
            }
            result.put(protocol, bits);
        }
        return result;
    }

    static Map<Protocol, BitSet> complementModel(Map<Protocol, BitSet> a) {
        Map<Protocol, BitSet> result = new EnumMap<>(Protocol.class);
        a.forEach((protocol, bits) -> result.put(protocol, PortSetPropertiesTest.complementModel(bits)));
        return result;
    }

    static boolean modelIsEmpty(Map<Protocol, BitSet> model) {
        return model.values().stream().allMatch(BitSet::isEmpty);
    }

    static void assertCanonical(ConnectionSet set) {
        assertThat(set.byProtocol().values()).as("no empty port sets stored in %s", set).noneMatch(PortSet::isEmpty);
        assertThat(new ArrayList<>(set.byProtocol().keySet())).isSorted();
        assertThat(set.isEmpty()).isEqualTo(modelIsEmpty(model(set)));
        boolean everything = true;
        for (Protocol protocol : Protocol.values()) {
            everything &= set.ports(protocol).isAll();
        }
        assertThat(set.isAll()).isEqualTo(everything);
        assertThat(set.isAll()).isEqualTo(set.equals(ConnectionSet.ALL));
        assertThat(set.isEmpty()).isEqualTo(set.equals(ConnectionSet.NONE));
    }

    private static void assertEquivalent(ConnectionSet a, ConnectionSet b) {
        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a.toString()).isEqualTo(b.toString());
        assertCanonical(a);
        assertCanonical(b);
    }

    // ---------------------------------------------------------------- model agreement

    @Property
    void testOfAgreesWithModel(@ForAll("portMaps") Map<Protocol, PortSet> map, @ForAll Protocol protocol, @ForAll("ports") int port) {
        ConnectionSet set = ConnectionSet.of(map);
        for (Protocol each : Protocol.values()) {
            assertThat(set.ports(each)).isEqualTo(map.get(each));
        }
        assertThat(set.contains(protocol, port)).isEqualTo(map.get(protocol).contains(port));
        assertCanonical(set);
    }

    @Property
    void testUnionAgreesWithModel(
            @ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b,
            @ForAll Protocol protocol, @ForAll("ports") int port) {
        ConnectionSet union = a.union(b);
        assertThat(model(union)).isEqualTo(combine(model(a), model(b), "or"));
        assertThat(union.contains(protocol, port)).isEqualTo(a.contains(protocol, port) || b.contains(protocol, port));
        assertCanonical(union);
    }

    @Property
    void testIntersectAgreesWithModel(
            @ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b,
            @ForAll Protocol protocol, @ForAll("ports") int port) {
        ConnectionSet intersection = a.intersect(b);
        assertThat(model(intersection)).isEqualTo(combine(model(a), model(b), "and"));
        assertThat(intersection.contains(protocol, port)).isEqualTo(a.contains(protocol, port) && b.contains(protocol, port));
        assertCanonical(intersection);
    }

    @Property
    void testMinusAgreesWithModel(
            @ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b,
            @ForAll Protocol protocol, @ForAll("ports") int port) {
        ConnectionSet difference = a.minus(b);
        assertThat(model(difference)).isEqualTo(combine(model(a), model(b), "andNot"));
        assertThat(difference.contains(protocol, port)).isEqualTo(a.contains(protocol, port) && !b.contains(protocol, port));
        assertCanonical(difference);
    }

    @Property
    void testComplementAgreesWithModel(@ForAll("connectionSets") ConnectionSet a, @ForAll Protocol protocol, @ForAll("ports") int port) {
        ConnectionSet complement = a.complement();
        assertThat(model(complement)).isEqualTo(complementModel(model(a)));
        assertThat(complement.contains(protocol, port)).isNotEqualTo(a.contains(protocol, port));
        assertCanonical(complement);
    }

    @Property
    void testContainsAllAndIntersectsAgreeWithModel(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        assertThat(a.containsAll(b)).isEqualTo(modelIsEmpty(combine(model(b), model(a), "andNot")));
        assertThat(a.intersects(b)).isEqualTo(!modelIsEmpty(combine(model(a), model(b), "and")));
        assertThat(a.intersects(b)).isEqualTo(b.intersects(a));
        assertThat(a.containsAll(b)).isEqualTo(a.union(b).equals(a));
        assertThat(ConnectionSet.ALL.containsAll(a)).isTrue();
        assertThat(a.containsAll(ConnectionSet.NONE)).isTrue();
        assertThat(a.intersects(a)).isEqualTo(!a.isEmpty());
    }

    @Property
    void testSameNumberOnAnotherProtocolIsAnotherConnection(@ForAll Protocol protocol, @ForAll("ports") int port) {
        ConnectionSet one = ConnectionSet.of(protocol, port);
        for (Protocol other : Protocol.values()) {
            assertThat(one.contains(other, port)).isEqualTo(other == protocol);
            assertThat(one.intersects(ConnectionSet.of(other, port))).isEqualTo(other == protocol);
        }
        assertThat(one.complement().contains(protocol, port)).isFalse();
        assertThat(ConnectionSet.allOf(protocol).complement().ports(protocol).isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- set laws

    @Property
    void testUnionAndIntersectionAreCommutative(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        assertThat(a.union(b)).isEqualTo(b.union(a));
        assertThat(a.intersect(b)).isEqualTo(b.intersect(a));
    }

    @Property
    void testUnionAndIntersectionAreAssociative(
            @ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b, @ForAll("connectionSets") ConnectionSet c) {
        assertThat(a.union(b).union(c)).isEqualTo(a.union(b.union(c)));
        assertThat(a.intersect(b).intersect(c)).isEqualTo(a.intersect(b.intersect(c)));
    }

    @Property
    void testDistributivity(
            @ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b, @ForAll("connectionSets") ConnectionSet c) {
        assertThat(a.intersect(b.union(c))).isEqualTo(a.intersect(b).union(a.intersect(c)));
        assertThat(a.union(b.intersect(c))).isEqualTo(a.union(b).intersect(a.union(c)));
    }

    @Property
    void testIdentityAndAnnihilator(@ForAll("connectionSets") ConnectionSet a) {
        assertThat(a.union(ConnectionSet.NONE)).isEqualTo(a);
        assertThat(ConnectionSet.NONE.union(a)).isEqualTo(a);
        assertThat(a.intersect(ConnectionSet.ALL)).isEqualTo(a);
        assertThat(ConnectionSet.ALL.intersect(a)).isEqualTo(a);
        assertThat(a.union(ConnectionSet.ALL)).isEqualTo(ConnectionSet.ALL);
        assertThat(a.intersect(ConnectionSet.NONE)).isEqualTo(ConnectionSet.NONE);
        assertThat(a.minus(ConnectionSet.NONE)).isEqualTo(a);
        assertThat(a.minus(ConnectionSet.ALL)).isEqualTo(ConnectionSet.NONE);
        assertThat(ConnectionSet.NONE.minus(a)).isEqualTo(ConnectionSet.NONE);
        assertThat(ConnectionSet.ALL.minus(a)).isEqualTo(a.complement());
    }

    @Property
    void testIdempotence(@ForAll("connectionSets") ConnectionSet a) {
        assertThat(a.union(a)).isEqualTo(a);
        assertThat(a.intersect(a)).isEqualTo(a);
        assertThat(a.minus(a)).isEqualTo(ConnectionSet.NONE);
    }

    @Property
    void testDeMorgan(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        assertThat(a.union(b).complement()).isEqualTo(a.complement().intersect(b.complement()));
        assertThat(a.intersect(b).complement()).isEqualTo(a.complement().union(b.complement()));
    }

    @Property
    void testComplementLaws(@ForAll("connectionSets") ConnectionSet a) {
        assertThat(a.complement().complement()).isEqualTo(a);
        assertEquivalent(a.union(a.complement()), ConnectionSet.ALL);
        assertThat(a.union(a.complement()).toString()).isEqualTo("All Connections");
        assertEquivalent(a.intersect(a.complement()), ConnectionSet.NONE);
        assertThat(a.intersect(a.complement()).toString()).isEqualTo("No Connections");
        assertThat(a.intersects(a.complement())).isFalse();
    }

    @Property
    void testMinusIsIntersectionWithComplement(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        assertThat(a.minus(b)).isEqualTo(a.intersect(b.complement()));
        assertThat(a.minus(b).intersects(b)).isFalse();
        assertThat(a.minus(b).union(a.intersect(b))).isEqualTo(a);
    }

    @Property
    void testAbsorption(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        assertThat(a.union(a.intersect(b))).isEqualTo(a);
        assertThat(a.intersect(a.union(b))).isEqualTo(a);
    }

    @Property
    void testOperationsWorkProtocolByProtocol(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        for (Protocol protocol : Protocol.values()) {
            assertThat(a.union(b).ports(protocol)).isEqualTo(a.ports(protocol).union(b.ports(protocol)));
            assertThat(a.intersect(b).ports(protocol)).isEqualTo(a.ports(protocol).intersect(b.ports(protocol)));
            assertThat(a.minus(b).ports(protocol)).isEqualTo(a.ports(protocol).minus(b.ports(protocol)));
            assertThat(a.complement().ports(protocol)).isEqualTo(a.ports(protocol).complement());
        }
    }

    // ---------------------------------------------------------------- canonical form

    @Property
    void testEqualSetsAreEqualHoweverBuilt(@ForAll("portMaps") Map<Protocol, PortSet> map, @ForAll Random random) {
        ConnectionSet direct = ConnectionSet.of(map);
        List<ConnectionSet> pieces = new ArrayList<>();
        map.forEach((protocol, ports) -> {
            for (PortRange range : ports.ranges()) {
                pieces.add(ConnectionSet.of(protocol, range));
            }
        });
        Collections.shuffle(pieces, random);
        ConnectionSet byUnion = ConnectionSet.NONE;
        for (ConnectionSet piece : pieces) {
            byUnion = byUnion.union(piece);
        }
        assertEquivalent(direct, byUnion);

        List<Protocol> order = new ArrayList<>(List.of(Protocol.values()));
        Collections.shuffle(order, random);
        Map<Protocol, PortSet> reordered = new LinkedHashMap<>();
        order.forEach(protocol -> reordered.put(protocol, map.get(protocol)));
        assertEquivalent(direct, ConnectionSet.of(reordered));

        assertEquivalent(direct, direct.complement().complement());
        assertEquivalent(direct, ConnectionSet.ALL.minus(ConnectionSet.ALL.minus(direct)));
    }

    @Property
    void testEqualityMatchesModelEquality(@ForAll("connectionSets") ConnectionSet a, @ForAll("connectionSets") ConnectionSet b) {
        assertThat(a.equals(b)).isEqualTo(model(a).equals(model(b)));
        if (a.equals(b)) {
            assertThat(a.toString()).isEqualTo(b.toString());
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    // ---------------------------------------------------------------- printed form

    @Property
    void testToStringRoundTrips(@ForAll("connectionSets") ConnectionSet a) {
        assertEquivalent(ConnectionSet.fromString(a.toString()), a);
    }

    @Property
    void testToStringNamesEachNonEmptyProtocolInOrder(@ForAll("connectionSets") ConnectionSet a) {
        String text = a.toString();
        if (a.isAll()) {
            assertThat(text).isEqualTo(ConnectionSet.ALL_CONNECTIONS);
        } else if (a.isEmpty()) {
            assertThat(text).isEqualTo(ConnectionSet.NO_CONNECTIONS);
        } else {
            List<String> parts = new ArrayList<>();
            for (Protocol protocol : Protocol.values()) {
                if (!a.ports(protocol).isEmpty()) {
                    parts.add(protocol.name() + " " + a.ports(protocol));
                }
            }
            assertThat(text).isEqualTo(String.join(",", parts));
        }
    }

    // ---------------------------------------------------------------- examples

    @Test
    void testAllAndNonePrint() {
        assertThat(ConnectionSet.ALL.toString()).isEqualTo("All Connections");
        assertThat(ConnectionSet.NONE.toString()).isEqualTo("No Connections");
        assertThat(ConnectionSet.fromString("All Connections")).isEqualTo(ConnectionSet.ALL);
        assertThat(ConnectionSet.fromString("No Connections")).isEqualTo(ConnectionSet.NONE);
    }

    @Test
    void testProtocolsPrintInOrder() {
        ConnectionSet set = ConnectionSet.of(Protocol.UDP, 53)
                .union(ConnectionSet.of(Protocol.TCP, 80))
                .union(ConnectionSet.allOf(Protocol.SCTP));
        assertThat(set.toString()).isEqualTo("SCTP 1-65535,TCP 80,UDP 53");
        assertThat(ConnectionSet.fromString("SCTP 1-65535,TCP 80,UDP 53")).isEqualTo(set);
        assertThat(ConnectionSet.of(Protocol.TCP, PortSet.fromString("10053-10054")).union(ConnectionSet.of(Protocol.UDP, 10053)).toString())
                .isEqualTo("TCP 10053-10054,UDP 10053");
    }

    @Test
    void testEveryPortOfEveryProtocolIsAll() {
        ConnectionSet built = ConnectionSet.allOf(Protocol.TCP)
                .union(ConnectionSet.allOf(Protocol.UDP))
                .union(ConnectionSet.of(Protocol.SCTP, PortRange.of(1, 100)))
                .union(ConnectionSet.of(Protocol.SCTP, PortRange.of(101, 65535)));
        assertThat(built).isEqualTo(ConnectionSet.ALL);
        assertThat(built.isAll()).isTrue();
        assertThat(built.toString()).isEqualTo("All Connections");
        assertThat(ConnectionSet.ALL.minus(ConnectionSet.of(Protocol.TCP, 80)).toString())
                .isEqualTo("SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535");
    }

    @Test
    void testEmptyPortsAreNoConnections() {
        assertThat(ConnectionSet.of(Protocol.TCP, PortSet.NONE)).isEqualTo(ConnectionSet.NONE);
        assertThat(ConnectionSet.of(Map.of(Protocol.TCP, PortSet.NONE, Protocol.UDP, PortSet.NONE)).isEmpty()).isTrue();
        assertThat(ConnectionSet.of(Protocol.TCP, 80).minus(ConnectionSet.allOf(Protocol.TCP)).toString()).isEqualTo("No Connections");
    }

    @Test
    void testRejectsUnknownProtocol() {
        assertThatThrownBy(() -> ConnectionSet.fromString("ICMP 8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ICMP");
        assertThatThrownBy(() -> ConnectionSet.fromString("tcp 80"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tcp");
    }

    @Test
    void testRejectsPortsWithoutProtocol() {
        assertThatThrownBy(() -> ConnectionSet.fromString("80,443"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("80,443");
    }

    @Test
    void testRejectsBadPorts() {
        assertThatThrownBy(() -> ConnectionSet.fromString("TCP 0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> ConnectionSet.fromString("TCP 80,UDP 65536"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
    }
}
