package dev.phiguard.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.eval.DirectionVerdict;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.Peer;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.PortSet;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.WorkloadId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;

/**
 * The connectivity map as JSON, following the schema {@code schema/connectivity-v1.json}
 * (documented in docs/connectivity-json.md): every pair with its ports per protocol and, for
 * each direction, whether the side is isolated and which policy rules allow the connection.
 */
public final class ConnectivityJsonFormatter implements ConnectivityFormatter {
    public static final String SCHEMA_VERSION = "phiguard.dev/connectivity/v1";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String format(ConnectivityMap map) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA_VERSION);
        ArrayNode workloads = root.putArray("workloads");
        for (WorkloadId id : map.workloads()) {
            workloads.add(workload(id));
        }
        ArrayNode connections = root.putArray("connections");
        for (Connection connection : map.connections()) {
            ObjectNode node = connections.addObject();
            node.set("source", peer(connection.source()));
            node.set("destination", peer(connection.destination()));
            connections(node, connection.connections());
            node.set("egress", verdict(connection.egress()));
            node.set("ingress", verdict(connection.ingress()));
        }
        return write(root);
    }

    static String write(ObjectNode root) {
        try {
            return writer().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same text as {@link #write(ObjectNode)}, streamed: the report of a large cluster runs to
     * hundreds of megabytes, which as one string (twice, UTF-16) did not fit in the heap.
     */
    static void write(ObjectNode root, Writer out) throws IOException {
        writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, root);
        out.write("\n");
        out.flush();
    }

    private static ObjectWriter writer() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        return MAPPER.writer(printer);
    }

    private static ObjectNode workload(WorkloadId id) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "workload");
        node.put("id", id.toString());
        node.put("namespace", id.namespace());
        node.put("name", id.name());
        node.put("kind", id.kind());
        return node;
    }

    static ObjectNode peer(Peer peer) {
        if (peer instanceof Peer.WorkloadPeer workload) {
            return workload(workload.id());
        }
        IpRange range = ((Peer.ExternalPeer) peer).range();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "external");
        node.put("id", peer.toString());
        node.put("family", range.family() == dev.phiguard.model.IpFamily.IPV4 ? "IPv4" : "IPv6");
        node.put("first", IpRange.formatAddress(range.family(), range.first()));
        node.put("last", IpRange.formatAddress(range.family(), range.last()));
        return node;
    }

    static void connections(ObjectNode node, ConnectionSet connections) {
        node.put("connections", connections.toString());
        node.put("allConnections", connections.isAll());
        ObjectNode protocols = node.putObject("protocols");
        for (Map.Entry<Protocol, PortSet> entry : connections.byProtocol().entrySet()) {
            ArrayNode ranges = protocols.putArray(entry.getKey().name());
            for (PortRange range : entry.getValue().ranges()) {
                ObjectNode item = ranges.addObject();
                item.put("first", range.first());
                item.put("last", range.last());
            }
        }
    }

    private static ObjectNode verdict(DirectionVerdict verdict) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("isolation", verdict.isolation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        ArrayNode rules = node.putArray("allowedBy");
        for (RuleRef rule : verdict.allowedBy()) {
            ObjectNode item = rules.addObject();
            item.put("policy", rule.policyName());
            item.put("namespace", rule.namespace());
            item.put("name", rule.policy());
            item.put("rule", (rule.direction() == dev.phiguard.model.Direction.INGRESS ? "ingress[" : "egress[")
                    + rule.index() + "]");
            item.set("location", location(rule.ruleSource()));
        }
        return node;
    }

    static ObjectNode location(SourceRef source) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("file", source.file());
        if (source.hasLine()) {
            node.put("line", source.line());
            node.put("column", source.column());
        }
        return node;
    }
}
