package dev.phiguard.model;

import java.util.Locale;
import java.util.Optional;

/** A transport protocol a NetworkPolicy can name; the order is the order of printing. */
public enum Protocol {
    SCTP,
    TCP,
    UDP;

    /** The protocol for a Kubernetes protocol name, which is case-sensitive ("TCP", not "tcp"). */
    public static Optional<Protocol> fromKubernetesName(String name) {
        for (Protocol protocol : values()) {
            if (protocol.name().equals(name)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }

    /** Parses a user-typed protocol, ignoring case. */
    public static Optional<Protocol> fromUserInput(String name) {
        return fromKubernetesName(name.toUpperCase(Locale.ROOT));
    }
}
