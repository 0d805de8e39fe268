package dev.phiguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.DirectionVerdict;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.PortSet;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.WorkloadId;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the interactive network map draws, as the JSON its page embeds: groups (namespaces, and
 * the addresses outside the cluster), nodes, the workload-level connections with the rules that
 * allow each side, the connections aggregated between groups, and the audit's findings linked to
 * the nodes and connections they concern.
 *
 * <p>A large cluster can allow millions of pairs. The group-to-group aggregates always count
 * every connection; the workload-level connections are embedded up to {@link Limits#maxEdges()}:
 * first those that prove a finding, then those to or from a PHI workload, then the rest, each
 * tier taken in turns across group pairs so that every pair of namespaces keeps examples. The
 * page says so when it leaves connections out.
 */
final class NetworkMapData {
    static final String SCHEMA = "phiguard.dev/network-map/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param collapseAbove more workloads than this and the map opens with namespaces collapsed
     * @param maxEdges the most workload-level connections the page embeds
     * @param layeredLimit the most nodes drawn with the layered layout; more get a linear-time one
     * @param expandAllLimit the most workloads "expand all" draws at once
     */
    record Limits(int collapseAbove, int maxEdges, int layeredLimit, int expandAllLimit) {
        static final Limits DEFAULT = new Limits(200, 30_000, 300, 1_500);

        Limits {
            if (collapseAbove < 0 || maxEdges < 0 || layeredLimit < 0 || expandAllLimit < 0) {
                throw new IllegalArgumentException("Limits must not be negative: " + collapseAbove + ", " + maxEdges
                        + ", " + layeredLimit + ", " + expandAllLimit);
            }
        }
    }

    /** A finding as the map shows it; the audit's own record stays in {@code compliance}. */
    record MapFinding(String id, String controlId, String title, String severity, String namespace, String message,
            String location, List<WorkloadId> workloads, List<Connection> connections, List<RuleRef> rules,
            String remediation, String anchor) {
    }

    private record Pair(Peer source, Peer destination) {
    }

    /** A workload's side of connections to or from addresses outside the cluster. */
    private record Side(Peer workload, boolean outbound) {
    }

    /** An embedded connection between a workload and a range outside the cluster. */
    private record ExternalEdge(IpRange range, String edgeId) {
    }

    /**
     * The connections findings name. The audit may cut addresses outside the cluster at other
     * boundaries than the map (its profile names CIDRs too), so a finding's range matches every
     * range of the map it overlaps.
     */
    private static final class FindingConnections {
        final Set<Pair> exact = new HashSet<>();
        final Map<Side, List<IpRange>> external = new HashMap<>();

        FindingConnections(List<MapFinding> findings) {
            for (MapFinding finding : findings) {
                for (Connection connection : finding.connections()) {
                    exact.add(new Pair(connection.source(), connection.destination()));
                    Side side = side(connection);
                    if (side != null) {
                        external.computeIfAbsent(side, key -> new ArrayList<>()).add(range(connection));
                    }
                }
            }
        }

        boolean contains(Connection connection) {
            if (exact.contains(new Pair(connection.source(), connection.destination()))) {
                return true;
            }
            Side side = side(connection);
            if (side == null) {
                return false;
            }
            IpRange range = range(connection);
            return external.getOrDefault(side, List.of()).stream().anyMatch(range::overlaps);
        }

        static Side side(Connection connection) {
            if (connection.source() instanceof Peer.WorkloadPeer && connection.destination() instanceof Peer.ExternalPeer) {
                return new Side(connection.source(), true);
            }
            if (connection.destination() instanceof Peer.WorkloadPeer && connection.source() instanceof Peer.ExternalPeer) {
                return new Side(connection.destination(), false);
            }
            return null;
        }

        static IpRange range(Connection connection) {
            return connection.source() instanceof Peer.ExternalPeer source ? source.range()
                    : ((Peer.ExternalPeer) connection.destination()).range();
        }
    }

    private static final class Aggregate {
        long count;
        int embedded;
        ConnectionSet ports = ConnectionSet.NONE;
        boolean toPhi;
        boolean finding;
    }

    private NetworkMapData() {
    }

    /** The page's data as JSON text, safe to place inside a {@code <script type="application/json">}. */
    static String json(String title, String mode, ConnectivityMap map, PhiScope phi, List<MapFinding> findings,
            Limits limits) {
        Objects.requireNonNull(title, "title");
        GraphPeers peers = GraphPeers.of(map);
        Map<String, String> groupIds = new LinkedHashMap<>();
        Map<Peer, Integer> nodeIndex = new HashMap<>();
        List<Peer> nodes = new ArrayList<>();
        List<String> groupOfNode = new ArrayList<>();
        List<ObjectNode> groupJson = new ArrayList<>();
        List<ObjectNode> nodeJson = new ArrayList<>();
        int namespaceIndex = 0;
        for (Map.Entry<String, List<WorkloadId>> namespace : peers.namespaces().entrySet()) {
            String groupId = "n" + namespaceIndex++;
            groupIds.put(namespace.getKey(), groupId);
            ObjectNode group = MAPPER.createObjectNode();
            group.put("id", groupId);
            group.put("name", namespace.getKey());
            group.put("label", "namespace " + namespace.getKey());
            group.put("phi", phi.isPhiNamespace(namespace.getKey()));
            group.put("outside", false);
            group.put("members", namespace.getValue().size());
            groupJson.add(group);
            for (WorkloadId id : namespace.getValue()) {
                ObjectNode node = MAPPER.createObjectNode();
                node.put("id", "w" + nodes.size());
                node.put("g", groupId);
                node.put("type", "workload");
                node.put("name", id.name());
                node.put("kind", id.kind());
                node.put("ns", id.namespace());
                node.put("full", id.toString());
                node.put("phi", phi.isPhi(id));
                phi.reason(id).ifPresent(why -> node.put("why", why));
                nodeJson.add(node);
                Peer peer = new Peer.WorkloadPeer(id);
                nodeIndex.put(peer, nodes.size());
                nodes.add(peer);
                groupOfNode.add(groupId);
            }
        }
        int workloadCount = nodes.size();
        if (!peers.externals().isEmpty()) {
            ObjectNode group = MAPPER.createObjectNode();
            group.put("id", "outside");
            group.put("name", "outside the cluster");
            group.put("label", "outside the cluster");
            group.put("phi", false);
            group.put("outside", true);
            group.put("members", peers.externals().size());
            groupJson.add(group);
            int externalIndex = 0;
            for (IpRange range : peers.externals()) {
                ObjectNode node = MAPPER.createObjectNode();
                node.put("id", "x" + externalIndex++);
                node.put("g", "outside");
                node.put("type", "external");
                node.put("name", GraphPeers.label(range));
                node.put("full", range + "[External]");
                node.put("phi", false);
                node.put("range", range.toString());
                ArrayNode cidrs = node.putArray("cidrs");
                range.toCidrs().forEach(cidrs::add);
                nodeJson.add(node);
                Peer peer = new Peer.ExternalPeer(range);
                nodeIndex.put(peer, nodes.size());
                nodes.add(peer);
                groupOfNode.add("outside");
            }
        }

        FindingConnections findingConnections = new FindingConnections(findings);

        // one pass over every connection: group aggregates, and the tiers of what to embed
        List<Connection> connections = map.connections();
        int total = connections.size();
        Map<String, Aggregate> aggregates = new TreeMap<>();
        String[] groupKeyOf = new String[total];
        byte[] tierOf = new byte[total];
        for (int i = 0; i < total; i++) {
            Connection connection = connections.get(i);
            String sourceGroup = groupOfNode.get(nodeIndex.get(connection.source()));
            String destinationGroup = groupOfNode.get(nodeIndex.get(connection.destination()));
            String key = sourceGroup + ">" + destinationGroup;
            groupKeyOf[i] = key;
            Aggregate aggregate = aggregates.computeIfAbsent(key, k -> new Aggregate());
            aggregate.count++;
            if (!aggregate.ports.isAll()) {
                aggregate.ports = aggregate.ports.union(connection.connections());
            }
            boolean toPhi = connection.destination() instanceof Peer.WorkloadPeer destination
                    && phi.isPhi(destination.id());
            boolean fromPhi = connection.source() instanceof Peer.WorkloadPeer source && phi.isPhi(source.id());
            boolean finding = !findings.isEmpty() && findingConnections.contains(connection);
            aggregate.toPhi |= toPhi;
            aggregate.finding |= finding;
            tierOf[i] = (byte) (finding ? 0 : toPhi || fromPhi ? 1 : 2);
        }
        BitSet embedded = choose(total, groupKeyOf, tierOf, limits.maxEdges());
        boolean capped = embedded.cardinality() < total;

        Map<RuleRef, Integer> ruleIndex = new LinkedHashMap<>();
        Map<Pair, String> edgeIds = new HashMap<>();
        Map<Side, List<ExternalEdge>> externalEdges = new HashMap<>();
        List<String> edgeLines = new ArrayList<>();
        for (int i = embedded.nextSetBit(0); i >= 0; i = embedded.nextSetBit(i + 1)) {
            Connection connection = connections.get(i);
            String edgeId = "e" + edgeLines.size();
            edgeIds.put(new Pair(connection.source(), connection.destination()), edgeId);
            Side side = FindingConnections.side(connection);
            if (side != null) {
                externalEdges.computeIfAbsent(side, key -> new ArrayList<>())
                        .add(new ExternalEdge(FindingConnections.range(connection), edgeId));
            }
            aggregates.get(groupKeyOf[i]).embedded++;
            ObjectNode edge = MAPPER.createObjectNode();
            edge.put("id", edgeId);
            edge.put("s", nodeJsonId(nodeIndex.get(connection.source()), workloadCount));
            edge.put("t", nodeJsonId(nodeIndex.get(connection.destination()), workloadCount));
            edge.put("label", connection.connections().toString());
            ports(edge, connection.connections());
            edge.set("eg", side(connection.egress(), ruleIndex));
            edge.set("in", side(connection.ingress(), ruleIndex));
            edgeLines.add(write(edge));
        }

        StringBuilder out = new StringBuilder("{\n");
        field(out, "schema", SCHEMA);
        field(out, "title", title);
        field(out, "mode", mode);
        field(out, "collapsed", workloadCount > limits.collapseAbove());
        field(out, "layeredLimit", limits.layeredLimit());
        field(out, "expandAllLimit", limits.expandAllLimit());
        ObjectNode totals = MAPPER.createObjectNode();
        totals.put("namespaces", peers.namespaces().size());
        totals.put("workloads", workloadCount);
        totals.put("externals", peers.externals().size());
        totals.put("connections", total);
        totals.put("embedded", edgeLines.size());
        out.append("\"totals\": ").append(write(totals)).append(",\n");
        field(out, "capped", capped);
        field(out, "note", capped ? capNote(total, edgeLines.size(), limits.maxEdges()) : "");
        array(out, "groups", groupJson.stream().map(NetworkMapData::write).toList());
        array(out, "nodes", nodeJson.stream().map(NetworkMapData::write).toList());
        List<String> ruleLines = new ArrayList<>();
        for (RuleRef rule : ruleIndex.keySet()) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("policy", rule.policyName());
            node.put("rule", (rule.direction() == Direction.INGRESS ? "ingress[" : "egress[") + rule.index() + "]");
            node.put("at", rule.ruleSource().file().isEmpty() ? "" : rule.ruleSource().toString());
            ruleLines.add(write(node));
        }
        array(out, "rules", ruleLines);
        array(out, "edges", edgeLines);
        List<String> aggregateLines = new ArrayList<>();
        for (Map.Entry<String, Aggregate> entry : aggregates.entrySet()) {
            String[] ends = entry.getKey().split(">", 2);
            Aggregate aggregate = entry.getValue();
            ObjectNode node = MAPPER.createObjectNode();
            node.put("s", ends[0]);
            node.put("t", ends[1]);
            node.put("n", aggregate.count);
            node.put("shown", aggregate.embedded);
            ports(node, aggregate.ports);
            node.put("toPhi", aggregate.toPhi);
            node.put("finding", aggregate.finding);
            aggregateLines.add(write(node));
        }
        array(out, "groupEdges", aggregateLines);
        List<String> findingLines = new ArrayList<>();
        for (MapFinding finding : findings) {
            findingLines.add(write(finding(finding, nodeIndex, workloadCount, edgeIds, externalEdges)));
        }
        out.append("\"findings\": [");
        out.append(findingLines.isEmpty() ? "" : "\n" + String.join(",\n", findingLines) + "\n");
        out.append("]\n}");
        return scriptSafe(out.toString());
    }

    /**
     * Which connections to embed: all when they fit; else by tier (findings, PHI, the rest), and
     * within a tier in turns across group pairs, in map order within each pair.
     */
    static BitSet choose(int total, String[] groupKeyOf, byte[] tierOf, int maxEdges) {
        BitSet chosen = new BitSet(total);
        if (total <= maxEdges) {
            chosen.set(0, total);
            return chosen;
        }
        int budget = maxEdges;
        for (byte tier = 0; tier <= 2 && budget > 0; tier++) {
            Map<String, List<Integer>> byGroup = new TreeMap<>();
            for (int i = 0; i < total; i++) {
                if (tierOf[i] == tier) {
                    byGroup.computeIfAbsent(groupKeyOf[i], key -> new ArrayList<>()).add(i);
                }
            }
            List<List<Integer>> queues = new ArrayList<>(byGroup.values());
            for (int round = 0; budget > 0 && !queues.isEmpty(); round++) {
                final int turn = round;
                queues.removeIf(queue -> queue.size() <= turn);
                for (List<Integer> queue : queues) {
                    if (budget == 0) {
                        break;
                    }
                    chosen.set(queue.get(turn));
                    budget--;
                }
            }
        }
        return chosen;
    }

    static String capNote(int total, int embedded, int maxEdges) {
        return String.format(Locale.ROOT, "This cluster allows %,d connections; the page embeds %,d of them (at most"
                + " %,d): first those that prove a finding, then those to or from a PHI workload, then the rest,"
                + " spread evenly over pairs of namespaces. The arrows between collapsed namespaces count every"
                + " connection. For the full list, run phiguard connectivity -o json.", total, embedded, maxEdges);
    }

    private static ObjectNode finding(MapFinding finding, Map<Peer, Integer> nodeIndex, int workloadCount,
            Map<Pair, String> edgeIds, Map<Side, List<ExternalEdge>> externalEdges) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", finding.id());
        node.put("control", finding.controlId());
        node.put("title", finding.title());
        node.put("severity", finding.severity());
        node.put("namespace", finding.namespace());
        node.put("message", finding.message());
        node.put("location", finding.location());
        ArrayNode workloads = node.putArray("workloads");
        for (WorkloadId id : finding.workloads()) {
            Integer index = nodeIndex.get(new Peer.WorkloadPeer(id));
            if (index != null) {
                workloads.add(nodeJsonId(index, workloadCount));
            }
        }
        ArrayNode edges = node.putArray("edges");
        ArrayNode texts = node.putArray("connections");
        ArrayNode edgeOf = node.putArray("edgeOf");
        Set<String> linked = new java.util.LinkedHashSet<>();
        for (Connection connection : finding.connections()) {
            texts.add(connection.toString());
            List<String> ids = new ArrayList<>();
            String exact = edgeIds.get(new Pair(connection.source(), connection.destination()));
            if (exact != null) {
                ids.add(exact);
            } else if (FindingConnections.side(connection) != null) {
                IpRange range = FindingConnections.range(connection);
                for (ExternalEdge edge : externalEdges.getOrDefault(FindingConnections.side(connection), List.of())) {
                    if (edge.range().overlaps(range)) {
                        ids.add(edge.edgeId());
                    }
                }
            }
            if (ids.isEmpty()) {
                edgeOf.addNull();
            } else {
                edgeOf.add(ids.get(0));
                linked.addAll(ids);
            }
        }
        linked.forEach(edges::add);
        ArrayNode rules = node.putArray("rules");
        for (RuleRef rule : finding.rules()) {
            ObjectNode item = rules.addObject();
            item.put("policy", rule.policyName());
            item.put("rule", (rule.direction() == Direction.INGRESS ? "ingress[" : "egress[") + rule.index() + "]");
            item.put("at", rule.ruleSource().file().isEmpty() ? "" : rule.ruleSource().toString());
        }
        node.put("remediation", finding.remediation());
        node.put("anchor", finding.anchor());
        return node;
    }

    private static String nodeJsonId(int index, int workloadCount) {
        return index < workloadCount ? "w" + index : "x" + (index - workloadCount);
    }

    private static void ports(ObjectNode node, ConnectionSet connections) {
        node.put("all", connections.isAll());
        if (connections.isAll()) {
            return;
        }
        ObjectNode protocols = node.putObject("p");
        for (Map.Entry<Protocol, PortSet> entry : connections.byProtocol().entrySet()) {
            ArrayNode ranges = protocols.putArray(entry.getKey().name());
            for (PortRange range : entry.getValue().ranges()) {
                ranges.addArray().add(range.first()).add(range.last());
            }
        }
    }

    private static ObjectNode side(DirectionVerdict verdict, Map<RuleRef, Integer> ruleIndex) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("iso", verdict.isolation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        ArrayNode rules = node.putArray("r");
        for (RuleRef rule : verdict.allowedBy()) {
            rules.add(ruleIndex.computeIfAbsent(rule, key -> ruleIndex.size()));
        }
        return node;
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(write(name)).append(": ").append(write(value)).append(",\n");
    }

    private static void array(StringBuilder out, String name, List<String> lines) {
        out.append(write(name)).append(": [");
        out.append(lines.isEmpty() ? "" : "\n" + String.join(",\n", lines) + "\n");
        out.append("],\n");
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JSON that can sit in a {@code <script>} element: {@code <}, {@code >} and {@code &} (and
     * the line separators JavaScript once rejected) as {@code \\u} escapes, which JSON reads back
     * unchanged but HTML never sees as {@code </script>} or {@code <!--}.
     */
    static String scriptSafe(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
