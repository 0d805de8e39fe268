package dev.phiguard.report;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The connectivity map as a Mermaid flowchart, for Markdown that renders Mermaid (GitHub,
 * GitLab): a subgraph per namespace, PHI workloads in red with a PHI line, the namespaces that
 * hold PHI tinted red, addresses outside the cluster in a subgraph of their own, one edge per
 * allowed pair labelled with its ports. Node ids are short and assigned in sorted order.
 */
public final class ConnectivityMermaidFormatter implements ConnectivityFormatter {
    private final PhiScope phi;

    /** @param phi which workloads hold PHI, as the audit decides it */
    public ConnectivityMermaidFormatter(PhiScope phi) {
        this.phi = Objects.requireNonNull(phi, "phi");
    }

    @Override
    public String format(ConnectivityMap map) {
        GraphPeers peers = GraphPeers.of(map);
        Map<Peer, String> ids = new HashMap<>();
        List<String> phiNodes = new ArrayList<>();
        List<String> externalNodes = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        out.append("%% phiguard connectivity: namespaces are subgraphs; PHI workloads and the namespaces that hold\n")
                .append("%% them are red; addresses outside the cluster are flags; edges carry the allowed ports.\n")
                .append("flowchart LR\n");
        int namespaceIndex = 0;
        int workloadIndex = 0;
        List<String> phiNamespaces = new ArrayList<>();
        for (Map.Entry<String, List<WorkloadId>> namespace : peers.namespaces().entrySet()) {
            String namespaceId = "ns" + namespaceIndex++;
            boolean phiNamespace = phi.isPhiNamespace(namespace.getKey());
            if (phiNamespace) {
                phiNamespaces.add(namespaceId);
            }
            out.append("  subgraph ").append(namespaceId).append("[\"")
                    .append(text("namespace " + namespace.getKey() + (phiNamespace ? " (holds PHI)" : "")))
                    .append("\"]\n");
            for (WorkloadId id : namespace.getValue()) {
                String nodeId = "w" + workloadIndex++;
                ids.put(new Peer.WorkloadPeer(id), nodeId);
                boolean phiWorkload = phi.isPhi(id);
                if (phiWorkload) {
                    phiNodes.add(nodeId);
                }
                String label = text(id.name()) + "<br/>" + text(id.kind()) + (phiWorkload ? "<br/><b>PHI</b>" : "");
                out.append("    ").append(nodeId).append(phiWorkload ? "[[\"" : "[\"").append(label)
                        .append(phiWorkload ? "\"]]\n" : "\"]\n");
            }
            out.append("  end\n");
        }
        if (!peers.externals().isEmpty()) {
            out.append("  subgraph outside[\"outside the cluster\"]\n");
            int externalIndex = 0;
            for (IpRange range : peers.externals()) {
                String nodeId = "x" + externalIndex++;
                ids.put(new Peer.ExternalPeer(range), nodeId);
                externalNodes.add(nodeId);
                out.append("    ").append(nodeId).append(">\"").append(text(GraphPeers.label(range)))
                        .append("\"]\n");
            }
            out.append("  end\n");
        }
        int edgeIndex = 0;
        List<Integer> phiEdges = new ArrayList<>();
        for (Connection connection : map.connections()) {
            out.append("  ").append(ids.get(connection.source())).append(" -->|\"")
                    .append(text(connection.connections().toString())).append("\"| ")
                    .append(ids.get(connection.destination())).append('\n');
            if (connection.destination() instanceof Peer.WorkloadPeer destination && phi.isPhi(destination.id())) {
                phiEdges.add(edgeIndex);
            }
            edgeIndex++;
        }
        out.append("  classDef phi fill:#ffd8d3,stroke:").append(ConnectivityDotFormatter.PHI_RED)
                .append(",stroke-width:2px,color:#82071e\n")
                .append("  classDef external fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 2\n");
        if (!phiNodes.isEmpty()) {
            out.append("  class ").append(String.join(",", phiNodes)).append(" phi\n");
        }
        if (!externalNodes.isEmpty()) {
            out.append("  class ").append(String.join(",", externalNodes)).append(" external\n");
        }
        for (String namespaceId : phiNamespaces) {
            out.append("  style ").append(namespaceId).append(" fill:#fff1f0,stroke:")
                    .append(ConnectivityDotFormatter.PHI_RED).append(",stroke-width:2px\n");
        }
        if (!phiEdges.isEmpty()) {
            out.append("  linkStyle ").append(String.join(",", phiEdges.stream().map(String::valueOf).toList()))
                    .append(" stroke:").append(ConnectivityDotFormatter.PHI_RED).append(",stroke-width:2px\n");
        }
        return out.toString();
    }

    /**
     * Text inside a quoted Mermaid label: the characters Mermaid or the HTML it renders to would
     * read as syntax become Mermaid's entity codes ({@code #quot;} style, by number).
     */
    static String text(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"', '#', '<', '>', '&', '|', '`' -> out.append('#').append((int) c).append(';');
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
