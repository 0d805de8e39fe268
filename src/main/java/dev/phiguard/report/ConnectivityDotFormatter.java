package dev.phiguard.report;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.WorkloadId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The connectivity map as a Graphviz DOT digraph: a cluster per namespace (filled red when it
 * holds PHI), PHI workloads drawn red with a PHI line, addresses outside the cluster as notes in
 * a cluster of their own, and one edge per allowed pair labelled with its ports; edges into PHI
 * workloads are red. Render with {@code dot -Tsvg}.
 */
public final class ConnectivityDotFormatter implements ConnectivityFormatter {
    static final String PHI_RED = "#cf222e";

    private final PhiScope phi;

    /** @param phi which workloads hold PHI, as the audit decides it */
    public ConnectivityDotFormatter(PhiScope phi) {
        this.phi = Objects.requireNonNull(phi, "phi");
    }

    @Override
    public String format(ConnectivityMap map) {
        GraphPeers peers = GraphPeers.of(map);
        StringBuilder out = new StringBuilder();
        out.append("// phiguard connectivity: namespaces are clusters; PHI workloads and the namespaces that hold\n")
                .append("// them are red; addresses outside the cluster are notes; edges carry the allowed ports.\n")
                .append("digraph \"phiguard-connectivity\" {\n")
                .append("  graph [rankdir=LR, compound=true, newrank=true, fontname=\"Helvetica\", fontsize=11,")
                .append(" nodesep=0.25, ranksep=1.2];\n")
                .append("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\",")
                .append(" fillcolor=\"#ffffff\", color=\"#57606a\"];\n")
                .append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#57606a\", fontcolor=\"#32383f\",")
                .append(" arrowsize=0.6];\n");
        for (Map.Entry<String, List<WorkloadId>> namespace : peers.namespaces().entrySet()) {
            boolean phiNamespace = phi.isPhiNamespace(namespace.getKey());
            out.append("\n  subgraph ").append(quote("cluster_ns_" + namespace.getKey())).append(" {\n")
                    .append("    label=").append(quote("namespace " + namespace.getKey()
                            + (phiNamespace ? " (holds PHI)" : ""))).append(";\n");
            if (phiNamespace) {
                out.append("    style=\"rounded,filled\"; fillcolor=\"#fff1f0\"; color=\"").append(PHI_RED)
                        .append("\"; penwidth=2; fontcolor=\"").append(PHI_RED).append("\";\n");
            } else {
                out.append("    style=\"rounded\"; color=\"#8c959f\";\n");
            }
            for (WorkloadId id : namespace.getValue()) {
                out.append("    ").append(quote(id.toString())).append(" [label=")
                        .append(quote(id.name() + "\n" + id.kind() + (phi.isPhi(id) ? "\nPHI" : "")));
                if (phi.isPhi(id)) {
                    out.append(", fillcolor=\"#ffd8d3\", color=\"").append(PHI_RED)
                            .append("\", penwidth=2, fontcolor=\"#82071e\"");
                }
                out.append("];\n");
            }
            out.append("  }\n");
        }
        if (!peers.externals().isEmpty()) {
            out.append("\n  subgraph \"cluster_external\" {\n")
                    .append("    label=\"outside the cluster\"; style=\"dashed\"; color=\"#8c959f\";\n");
            for (IpRange range : peers.externals()) {
                out.append("    ").append(quote(new Peer.ExternalPeer(range).toString())).append(" [label=")
                        .append(quote(GraphPeers.label(range))).append(", shape=note, style=filled,")
                        .append(" fillcolor=\"#f6f8fa\"];\n");
            }
            out.append("  }\n");
        }
        out.append('\n');
        for (Connection connection : map.connections()) {
            out.append("  ").append(quote(connection.source().toString())).append(" -> ")
                    .append(quote(connection.destination().toString())).append(" [label=")
                    .append(quote(connection.connections().toString()));
            if (connection.destination() instanceof Peer.WorkloadPeer destination && phi.isPhi(destination.id())) {
                out.append(", color=\"").append(PHI_RED).append("\", fontcolor=\"").append(PHI_RED).append('"');
            }
            out.append("];\n");
        }
        out.append("}\n");
        return out.toString();
    }

    /** A DOT quoted string: backslashes and quotes escaped, line breaks as DOT's centred {@code \n}. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> { }
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
