package dev.phiguard.model;

import java.util.Objects;

/** A port a container declares; {@code name} is empty when it has none. */
public record ContainerPort(String name, int port, Protocol protocol) {
    public ContainerPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        if (port < PortRange.MIN_PORT || port > PortRange.MAX_PORT) {
            throw new IllegalArgumentException("Port out of range: " + port);
        }
    }

    public static ContainerPort of(int port, Protocol protocol) {
        return new ContainerPort("", port, protocol);
    }

    public boolean isNamed() {
        return !name.isEmpty();
    }
}
