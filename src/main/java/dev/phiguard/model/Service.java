package dev.phiguard.model;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** A Service: the pods it selects and the ports it forwards. NetworkPolicy never names services. */
public record Service(String namespace, String name, SortedMap<String, String> selector, List<ServicePort> ports,
        SourceRef source) {
    public Service {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
        ports = List.copyOf(ports);
    }

    /** One port of a Service; {@code targetPort} is a number or a container port name. */
    public record ServicePort(String name, int port, String targetPort, Protocol protocol) {
        public ServicePort {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(targetPort, "targetPort");
            Objects.requireNonNull(protocol, "protocol");
        }
    }
}
