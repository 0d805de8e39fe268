package dev.phiguard.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A set of connections: for each protocol, the destination ports it covers. "All" and "none" are
 * ordinary values, and equal sets are equal objects.
 */
public final class ConnectionSet {
    public static final ConnectionSet NONE = new ConnectionSet(new EnumMap<>(Protocol.class));
    public static final ConnectionSet ALL = allOf();

    public static final String ALL_CONNECTIONS = "All Connections";
    public static final String NO_CONNECTIONS = "No Connections";

    /** Only non-empty port sets are stored. */
    private final EnumMap<Protocol, PortSet> ports;
    /** The hash, worked out when first asked (0 until then): sets are keys of the audit's large maps of grants. */
    private int hash;

    private ConnectionSet(EnumMap<Protocol, PortSet> ports) {
        this.ports = ports;
    }

    private static ConnectionSet allOf() {
        EnumMap<Protocol, PortSet> all = new EnumMap<>(Protocol.class);
        for (Protocol protocol : Protocol.values()) {
            all.put(protocol, PortSet.ALL);
        }
        return new ConnectionSet(all);
    }

    public static ConnectionSet of(Protocol protocol, PortSet portSet) {
        if (portSet.isEmpty()) {
            return NONE;
        }
        EnumMap<Protocol, PortSet> map = new EnumMap<>(Protocol.class);
        map.put(protocol, portSet);
        return new ConnectionSet(map);
    }

    public static ConnectionSet of(Protocol protocol, PortRange range) {
        return of(protocol, PortSet.of(range));
    }

    public static ConnectionSet of(Protocol protocol, int port) {
        return of(protocol, PortSet.of(port));
    }

    /** Every port of one protocol. */
    public static ConnectionSet allOf(Protocol protocol) {
        return of(protocol, PortSet.ALL);
    }

    public static ConnectionSet of(Map<Protocol, PortSet> map) {
        EnumMap<Protocol, PortSet> copy = new EnumMap<>(Protocol.class);
        map.forEach((protocol, portSet) -> {
            Objects.requireNonNull(protocol, "protocol");
            if (!portSet.isEmpty()) {
                copy.put(protocol, portSet);
            }
        });
        return copy.isEmpty() ? NONE : new ConnectionSet(copy);
    }

    /**
     * Parses the printed form: {@code All Connections}, {@code No Connections}, or
     * {@code TCP 80,443,UDP 53} (a protocol name starts each protocol's port list).
     */
    public static ConnectionSet fromString(String text) {
        String trimmed = text.trim();
        if (trimmed.equals(ALL_CONNECTIONS)) {
            return ALL;
        }
        if (trimmed.equals(NO_CONNECTIONS) || trimmed.isEmpty()) {
            return NONE;
        }
        EnumMap<Protocol, PortSet> map = new EnumMap<>(Protocol.class);
        Protocol current = null;
        for (String token : trimmed.split(",")) {
            String part = token.trim();
            int space = part.indexOf(' ');
            if (space > 0) {
                String name = part.substring(0, space);
                current = Protocol.fromKubernetesName(name)
                        .orElseThrow(() -> new IllegalArgumentException("Unknown protocol: " + name));
                part = part.substring(space + 1).trim();
            }
            if (current == null) {
                throw new IllegalArgumentException("Connections must start with a protocol: " + text);
            }
            map.merge(current, PortSet.of(PortRange.fromString(part)), PortSet::union);
        }
        return of(map);
    }

    public boolean isEmpty() {
        return ports.isEmpty();
    }

    public boolean isAll() {
        if (ports.size() != Protocol.values().length) {
            return false;
        }
        for (PortSet portSet : ports.values()) {
            if (!portSet.isAll()) {
                return false;
            }
        }
        return true;
    }

    /** The ports of one protocol; empty when the protocol is not in the set. */
    public PortSet ports(Protocol protocol) {
        return ports.getOrDefault(protocol, PortSet.NONE);
    }

    /** The non-empty protocols and their ports, in printing order. */
    public Map<Protocol, PortSet> byProtocol() {
        return java.util.Collections.unmodifiableMap(ports);
    }

    public boolean contains(Protocol protocol, int port) {
        return ports(protocol).contains(port);
    }

    public boolean containsAll(ConnectionSet other) {
        return other.minus(this).isEmpty();
    }

    public boolean intersects(ConnectionSet other) {
        for (Map.Entry<Protocol, PortSet> entry : ports.entrySet()) {
            if (entry.getValue().intersects(other.ports(entry.getKey()))) {
                return true;
            }
        }
        return false;
    }

    public ConnectionSet union(ConnectionSet other) {
        if (other.isEmpty() || this == ALL) {
            return this;
        }
        if (this.isEmpty() || other == ALL) {
            return other;
        }
        EnumMap<Protocol, PortSet> result = new EnumMap<>(ports);
        other.ports.forEach((protocol, portSet) -> result.merge(protocol, portSet, PortSet::union));
        return new ConnectionSet(result);
    }

    public ConnectionSet intersect(ConnectionSet other) {
        if (this.isEmpty() || other == ALL) {
            return this;
        }
        if (other.isEmpty() || this == ALL) {
            return other;
        }
        EnumMap<Protocol, PortSet> result = new EnumMap<>(Protocol.class);
        ports.forEach((protocol, portSet) -> {
            PortSet common = portSet.intersect(other.ports(protocol));
            if (!common.isEmpty()) {
                result.put(protocol, common);
            }
        });
        return result.isEmpty() ? NONE : new ConnectionSet(result);
    }

    public ConnectionSet minus(ConnectionSet other) {
        if (this.isEmpty() || other.isEmpty()) {
            return this;
        }
        EnumMap<Protocol, PortSet> result = new EnumMap<>(Protocol.class);
        ports.forEach((protocol, portSet) -> {
            PortSet rest = portSet.minus(other.ports(protocol));
            if (!rest.isEmpty()) {
                result.put(protocol, rest);
            }
        });
        return result.isEmpty() ? NONE : new ConnectionSet(result);
    }

    public ConnectionSet complement() {
        return ALL.minus(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionSet other && ports.equals(other.ports);
    }

    @Override
    public int hashCode() {
        int known = hash;
        if (known == 0) {
            // threads that race here store the same value
            known = ports.hashCode();
            hash = known;
        }
        return known;
    }

    /**
     * {@code All Connections}, {@code No Connections}, or each protocol in order followed by its
     * ports: {@code TCP 10053-10054,UDP 10053}.
     */
    @Override
    public String toString() {
        if (isAll()) {
            return ALL_CONNECTIONS;
        }
        if (isEmpty()) {
            return NO_CONNECTIONS;
        }
        StringJoiner joiner = new StringJoiner(",");
        ports.forEach((protocol, portSet) -> joiner.add(protocol.name() + " " + portSet));
        return joiner.toString();
    }
}
