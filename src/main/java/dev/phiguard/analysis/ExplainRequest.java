package dev.phiguard.analysis;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.WorkloadId;
import java.util.List;
import java.util.Objects;

/**
 * An explain question as a person types it (SRC, DST, an optional port), resolved against a
 * cluster and answered. Shared by {@code phiguard explain} and the server's {@code /api/explain}
 * so that both accept and refuse the same text with the same words. Pure: no I/O.
 */
public final class ExplainRequest {
    private ExplainRequest() {
    }

    /**
     * Answers the question; throws {@link IllegalArgumentException} with a message fit for the
     * user (it names SRC, DST or the port, and suggests a workload when one is misspelled).
     *
     * @param port {@code 5432/TCP}, {@code 53/UDP}, a range, a container port name, or null for every port
     * @param portLabel how the port is named in messages, e.g. {@code --port}
     */
    public static Explanation explain(Cluster cluster, String sourceText, String destinationText, String port,
            String portLabel) {
        Objects.requireNonNull(cluster, "cluster");
        PortMatcher portMatcher = null;
        if (port != null) {
            try {
                portMatcher = PortMatcher.parse(port);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(portLabel + ": " + e.getMessage(), e);
            }
        }
        Peer source = peer(cluster, sourceText, "SRC");
        Peer destination = peer(cluster, destinationText, "DST");
        if (source instanceof Peer.ExternalPeer && destination instanceof Peer.ExternalPeer) {
            throw new IllegalArgumentException("SRC and DST are both addresses outside the cluster; no policy governs"
                    + " traffic between them");
        }
        return Explainer.explain(cluster, source, destination, asked(cluster, destination, portMatcher, port,
                portLabel));
    }

    private static ConnectionSet asked(Cluster cluster, Peer destination, PortMatcher portMatcher, String port,
            String portLabel) {
        if (portMatcher == null) {
            return ConnectionSet.ALL;
        }
        if (!(portMatcher instanceof PortMatcher.Named named)) {
            return portMatcher.resolveExternal();
        }
        if (!(destination instanceof Peer.WorkloadPeer peer)) {
            throw new IllegalArgumentException(portLabel + " " + port + ": a port name means a container port of the"
                    + " destination, which is outside the cluster here; give a number");
        }
        ConnectionSet asked = ConnectionSet.NONE;
        for (PodTemplate template : cluster.workload(peer.id()).orElseThrow().templates()) {
            asked = asked.union(named.resolve(template));
        }
        if (asked.isEmpty()) {
            throw new IllegalArgumentException(portLabel + " " + port + ": " + destination
                    + " has no container port named " + named.name());
        }
        return asked;
    }

    /** A workload by NAMESPACE/NAME[Kind], or an IP address; throws with a suggestion when unknown. */
    public static Peer peer(Cluster cluster, String text, String role) {
        int slash = text.indexOf('/');
        if (slash > 0 && looksLikeAddress(text.substring(0, slash))) {
            throw new IllegalArgumentException(role + ": give one IP address, not a range ('" + text + "')");
        }
        if (!text.contains("/") || looksLikeAddress(text)) {
            try {
                return new Peer.ExternalPeer(IpRange.fromAddress(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(role + ": expected NAMESPACE/NAME[Kind] or an IP address, got '"
                        + text + "'", e);
            }
        }
        WorkloadLookup.Reference reference;
        try {
            reference = WorkloadLookup.Reference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + ": " + e.getMessage(), e);
        }
        List<WorkloadId> found = WorkloadLookup.find(cluster, reference);
        if (found.isEmpty()) {
            throw new IllegalArgumentException(role + ": no workload " + reference
                    + didYouMean(WorkloadLookup.suggest(cluster, reference)));
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(role + ": " + reference + " names " + found.size() + " workloads ("
                    + String.join(", ", found.stream().map(WorkloadId::toString).toList()) + "); add the kind");
        }
        return new Peer.WorkloadPeer(found.get(0));
    }

    /** {@code "; did you mean a or b?"}, or nothing without suggestions. */
    public static String didYouMean(List<WorkloadId> suggestions) {
        if (suggestions.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", suggestions.stream().map(WorkloadId::toString).toList()) + "?";
    }

    /** A dotted IPv4 address or IPv6 text, not a name that happens to use hexadecimal letters. */
    private static boolean looksLikeAddress(String text) {
        return text.matches("[0-9]+(\\.[0-9]+)+") || text.contains(":") && text.matches("[0-9a-fA-F:.]+");
    }
}
