package dev.phiguard.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an audit judges against: which workloads hold PHI, who may reach them, where they may
 * connect outside the cluster, which ports count as encrypted, where DNS lives, and from which
 * severity findings fail the audit ({@code failOn} empty: never).
 *
 * <p>A workload holds PHI when it, its pod template or its namespace carries the annotation
 * {@value #PHI_ANNOTATION}{@code : "true"}, or when its namespace or pods match one of the
 * selectors.
 */
public record Profile(String name, List<LabelSelector> phiNamespaces, List<LabelSelector> phiWorkloads,
        List<Client> clients, List<Gateway> gateways, List<ExternalDestination> externalDestinations,
        List<PortMatcher> encryptedPorts, DnsService dns, Optional<Severity> failOn, SourceRef source) {

    public static final String PHI_ANNOTATION = "phiguard.io/phi";

    public Profile {
        Objects.requireNonNull(name, "name");
        phiNamespaces = List.copyOf(phiNamespaces);
        phiWorkloads = List.copyOf(phiWorkloads);
        clients = List.copyOf(clients);
        gateways = List.copyOf(gateways);
        externalDestinations = List.copyOf(externalDestinations);
        encryptedPorts = List.copyOf(encryptedPorts);
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(failOn, "failOn");
        Objects.requireNonNull(source, "source");
    }

    public Profile withFailOn(Optional<Severity> threshold) {
        return new Profile(name, phiNamespaces, phiWorkloads, clients, gateways, externalDestinations,
                encryptedPorts, dns, threshold, source);
    }

    /**
     * Non-PHI workloads allowed to reach PHI workloads.
     *
     * @param to which PHI workloads; empty for all
     * @param ports which ports of the destination; empty for all
     * @param plaintext true when these connections need not be encrypted (metrics, health checks)
     */
    public record Client(String name, WorkloadSelector from, Optional<WorkloadSelector> to, List<PortMatcher> ports,
            boolean plaintext, SourceRef source) {
        public Client {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            ports = List.copyOf(ports);
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * PHI workloads that may accept connections from outside the cluster.
     *
     * @param from the addresses allowed in; {@link IpSet#ALL} for any
     * @param ports which ports; empty for all
     */
    public record Gateway(String name, WorkloadSelector workloads, IpSet from, List<PortMatcher> ports,
            SourceRef source) {
        public Gateway {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(workloads, "workloads");
            Objects.requireNonNull(from, "from");
            ports = List.copyOf(ports);
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Addresses outside the cluster that PHI workloads may connect to.
     *
     * @param ports which ports; empty for all
     */
    public record ExternalDestination(String name, List<String> cidrs, IpSet addresses, List<PortMatcher> ports,
            SourceRef source) {
        public ExternalDestination {
            Objects.requireNonNull(name, "name");
            cidrs = List.copyOf(cidrs);
            Objects.requireNonNull(addresses, "addresses");
            ports = List.copyOf(ports);
            Objects.requireNonNull(source, "source");
        }
    }

    /** Where cluster DNS runs and on which ports. */
    public record DnsService(WorkloadSelector workloads, List<PortMatcher> ports) {
        public DnsService {
            Objects.requireNonNull(workloads, "workloads");
            ports = List.copyOf(ports);
        }
    }
}
