package dev.phiguard.model;

import java.util.Objects;

/** One item of a rule's {@code ports}: every port of a protocol, a number or range, or a container port name. */
public sealed interface PolicyPort {

    Protocol protocol();

    /** {@code protocol} with no {@code port}: every port of that protocol. */
    record AnyPort(Protocol protocol) implements PolicyPort {
        public AnyPort {
            Objects.requireNonNull(protocol, "protocol");
        }

        @Override
        public String toString() {
            return protocol.name();
        }
    }

    /** A numeric {@code port}, with {@code endPort} when it is a range. */
    record PortNumbers(Protocol protocol, PortRange range) implements PolicyPort {
        public PortNumbers {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(range, "range");
        }

        @Override
        public String toString() {
            return range + "/" + protocol;
        }
    }

    /** A named {@code port}, resolved on the destination pod's container ports of the same protocol. */
    record NamedPort(Protocol protocol, String name) implements PolicyPort {
        public NamedPort {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name + "/" + protocol;
        }
    }
}
