package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.WorkloadId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One thing wrong, with its proof: the workloads and namespace concerned, the connections that
 * show it, the policy rules involved, the place in the manifests to look at, and the fix.
 *
 * @param id stable for the same input: derived from the control and {@code key}
 * @param key what makes this finding distinct within its control, e.g. the workload and ports
 * @param location where the finding points in the manifests: the rule that allows a connection,
 *     the workload, or the namespace
 * @param forbidden the traffic that must stop for the finding to clear, which fixes narrow rules by
 */
public record Finding(String id, String controlId, Severity severity, String namespace, String message, String key,
        List<WorkloadId> workloads, List<Connection> connections, List<RuleRef> rules, SourceRef location,
        Remediation remediation, List<Grant> forbidden) {

    /**
     * Traffic one side allows: for ingress, {@code peer} connecting to {@code subject}; for
     * egress, {@code subject} connecting to {@code peer}.
     */
    public record Grant(WorkloadId subject, Direction direction, Peer peer, ConnectionSet connections) {
        public Grant {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(connections, "connections");
        }

        /**
         * Spread over every bit: grants are looked up among thousands that share their subject,
         * side and connections and differ by a peer, and with the record's own hash the map of
         * them grew buckets deep enough to be made trees (seen in profiles).
         */
        @Override
        public int hashCode() {
            long mixed = (((long) subject.hashCode() * 31 + peer.hashCode()) * 31 + connections.hashCode()) * 2
                    + direction.ordinal();
            mixed *= 0x9E3779B97F4A7C15L;
            return (int) (mixed ^ (mixed >>> 32));
        }
    }

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(controlId, "controlId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        workloads = List.copyOf(workloads);
        connections = List.copyOf(connections);
        rules = List.copyOf(rules);
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(remediation, "remediation");
        forbidden = List.copyOf(forbidden);
    }

    public Finding withRemediation(Remediation newRemediation) {
        return new Finding(id, controlId, severity, namespace, message, key, workloads, connections, rules, location,
                newRemediation, forbidden);
    }

    /** A finding whose id is derived from its control and key. */
    public static Finding of(ControlInfo control, Severity severity, String namespace, String message, String key,
            List<WorkloadId> workloads, List<Connection> connections, List<RuleRef> rules, SourceRef location,
            Remediation remediation, List<Grant> forbidden) {
        return new Finding(stableId(control.id(), key), control.id(), severity, namespace, message, key, workloads,
                connections, rules, location, remediation, forbidden);
    }

    /** {@code PG004-3f2a9c1b07de}: the control id and 12 hex digits of SHA-256 of the key. */
    static String stableId(String controlId, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((controlId + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return controlId + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
