package dev.phiguard.model;

import java.util.Objects;

/**
 * A port as a profile names it: numbers with a protocol ({@code 443/TCP}, {@code 8000-8100/TCP})
 * or the name of a container port ({@code https}), resolved on the destination pod.
 */
public sealed interface PortMatcher {

    /** The connections this matcher means on a destination with these pods' container ports. */
    ConnectionSet resolve(PodTemplate destination);

    /** What it means towards an address outside the cluster, where names mean nothing. */
    ConnectionSet resolveExternal();

    /**
     * Parses {@code 443}, {@code 443/TCP}, {@code 8000-8100/UDP} or a port name such as
     * {@code https}.
     *
     * @throws IllegalArgumentException with a message naming the bad text
     */
    static PortMatcher parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String port = slash < 0 ? trimmed : trimmed.substring(0, slash);
        Protocol protocol = Protocol.TCP;
        if (slash >= 0) {
            String name = trimmed.substring(slash + 1);
            protocol = Protocol.fromUserInput(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown protocol '" + name
                            + "', expected TCP, UDP or SCTP"));
        }
        if (!port.isEmpty() && Character.isDigit(port.charAt(0))) {
            return new Numbers(protocol, PortRange.fromString(port));
        }
        if (port.isEmpty() || slash >= 0) {
            throw new IllegalArgumentException("expected a port such as 443/TCP or a port name such as https: '"
                    + text + "'");
        }
        return new Named(port);
    }

    /** Port numbers of one protocol. */
    record Numbers(Protocol protocol, PortRange range) implements PortMatcher {
        public Numbers {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(range, "range");
        }

        @Override
        public ConnectionSet resolve(PodTemplate destination) {
            return ConnectionSet.of(protocol, range);
        }

        @Override
        public ConnectionSet resolveExternal() {
            return ConnectionSet.of(protocol, range);
        }

        @Override
        public String toString() {
            return range + "/" + protocol;
        }
    }

    /** The container port of this name, with its own protocol. */
    record Named(String name) implements PortMatcher {
        public Named {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public ConnectionSet resolve(PodTemplate destination) {
            return destination.namedPort(name)
                    .map(port -> ConnectionSet.of(port.protocol(), port.port()))
                    .orElse(ConnectionSet.NONE);
        }

        @Override
        public ConnectionSet resolveExternal() {
            return ConnectionSet.NONE;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
