package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.WorkloadSelector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a phiguard Profile document, with a diagnostic at the line of every unknown key and
 * bad value, like any manifest. A profile with an error is not used.
 */
final class ProfileParser {
    static final String API_GROUP = "phiguard.dev";
    static final String API_VERSION = "phiguard.dev/v1alpha1";
    static final String KIND = "Profile";

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "phi", "clients", "gateways",
            "externalDestinations", "encryptedPorts", "dns", "failOn");
    private static final Set<String> PHI = Set.of("namespaceSelectors", "podSelectors");
    private static final Set<String> CLIENT = Set.of("name", "namespaceSelector", "podSelector", "to", "ports",
            "plaintext");
    private static final Set<String> SELECTOR_PAIR = Set.of("namespaceSelector", "podSelector");
    private static final Set<String> GATEWAY = Set.of("name", "namespaceSelector", "podSelector", "from", "ports");
    private static final Set<String> DESTINATION = Set.of("name", "cidrs", "ports");
    private static final Set<String> DNS = Set.of("namespaceSelector", "podSelector", "ports");

    private static final String PORT_EXPECTED = "invalid port, expected PORT/PROTOCOL (443/TCP, 8000-8100/UDP; 1-65535;"
            + " TCP, UDP or SCTP) or a container port name (https)";

    private final ObjectContext context;
    private final JsonNode root;

    private ProfileParser(JsonNode root, ObjectContext context) {
        this.root = root;
        this.context = context;
    }

    /** Parses; diagnostics go to the context's sink, and an error makes the result empty. */
    static Optional<Profile> parse(ObjectNode json, ObjectContext context) {
        return new ProfileParser(json, context).profile();
    }

    private Optional<Profile> profile() {
        FieldPath top = FieldPath.root();
        keys(root, top, TOP);
        String apiVersion = root.path("apiVersion").asText("");
        if (!apiVersion.equals(API_VERSION)) {
            context.error(FieldPath.of("apiVersion"), "unsupported apiVersion, expected " + API_VERSION, apiVersion);
        }
        JsonNode phi = object(root.get("phi"), top.child("phi"));
        keys(phi, top.child("phi"), PHI);
        List<LabelSelector> phiNamespaces = selectors(phi.get("namespaceSelectors"),
                top.child("phi").child("namespaceSelectors"));
        List<LabelSelector> phiPods = selectors(phi.get("podSelectors"), top.child("phi").child("podSelectors"));
        List<Profile.Client> clients = new ArrayList<>();
        forEach(root.get("clients"), top.child("clients"), (item, path) -> client(item, path).ifPresent(clients::add));
        List<Profile.Gateway> gateways = new ArrayList<>();
        forEach(root.get("gateways"), top.child("gateways"),
                (item, path) -> gateway(item, path).ifPresent(gateways::add));
        List<Profile.ExternalDestination> destinations = new ArrayList<>();
        forEach(root.get("externalDestinations"), top.child("externalDestinations"),
                (item, path) -> destination(item, path).ifPresent(destinations::add));
        List<PortMatcher> encrypted = ports(root.get("encryptedPorts"), top.child("encryptedPorts"));
        Profile.DnsService dns = dns(root.get("dns"), top.child("dns"));
        Optional<Severity> failOn = failOn(root.get("failOn"), top.child("failOn"));
        if (context.failed()) {
            return Optional.empty();
        }
        return Optional.of(new Profile(context.name(), phiNamespaces, phiPods, clients, gateways, destinations,
                encrypted, dns, failOn, context.locate(FieldPath.root())));
    }

    private interface ItemReader {
        void read(JsonNode item, FieldPath path);
    }

    private void forEach(JsonNode list, FieldPath path, ItemReader reader) {
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            context.error(path, "must be a list", list.isContainerNode() ? null : list.asText());
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            reader.read(list.get(i), path.index(i));
        }
    }

    /** The node as a mapping; an empty one when absent, with an error when it is something else. */
    private JsonNode object(JsonNode node, FieldPath path) {
        if (node == null || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            context.error(path, "must be a mapping", node.isContainerNode() ? null : node.asText());
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        return node;
    }

    private void keys(JsonNode node, FieldPath path, Set<String> allowed) {
        if (!node.isObject()) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                context.errorAtKey(path.child(name), "unknown key, expected one of: "
                        + String.join(", ", new TreeSet<>(allowed)), name);
            }
        }
    }

    private Optional<String> name(JsonNode item, FieldPath path) {
        JsonNode name = item.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            context.error(path, "name is required: a short text saying what the entry is for", null);
            return Optional.empty();
        }
        return Optional.of(name.asText());
    }

    private Optional<Profile.Client> client(JsonNode node, FieldPath path) {
        JsonNode item = object(node, path);
        keys(item, path, CLIENT);
        Optional<String> name = name(item, path);
        WorkloadSelector from = pair(item, path);
        Optional<WorkloadSelector> to = Optional.empty();
        if (item.has("to")) {
            JsonNode target = object(item.get("to"), path.child("to"));
            keys(target, path.child("to"), SELECTOR_PAIR);
            to = Optional.of(pair(target, path.child("to")));
        }
        List<PortMatcher> ports = ports(item.get("ports"), path.child("ports"));
        boolean plaintext = bool(item.get("plaintext"), path.child("plaintext"));
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Profile.Client(name.get(), from, to, ports, plaintext, context.locate(path)));
    }

    private Optional<Profile.Gateway> gateway(JsonNode node, FieldPath path) {
        JsonNode item = object(node, path);
        keys(item, path, GATEWAY);
        Optional<String> name = name(item, path);
        WorkloadSelector workloads = pair(item, path);
        IpSet from = item.has("from") ? cidrs(item.get("from"), path.child("from")) : IpSet.ALL;
        List<PortMatcher> ports = ports(item.get("ports"), path.child("ports"));
        return name.map(n -> new Profile.Gateway(n, workloads, from, ports, context.locate(path)));
    }

    private Optional<Profile.ExternalDestination> destination(JsonNode node, FieldPath path) {
        JsonNode item = object(node, path);
        keys(item, path, DESTINATION);
        Optional<String> name = name(item, path);
        if (!item.has("cidrs")) {
            context.error(path, "cidrs is required: the address ranges, such as [203.0.113.0/24]", null);
            return Optional.empty();
        }
        IpSet addresses = cidrs(item.get("cidrs"), path.child("cidrs"));
        List<String> texts = new ArrayList<>();
        item.get("cidrs").forEach(cidr -> texts.add(cidr.asText()));
        List<PortMatcher> ports = ports(item.get("ports"), path.child("ports"));
        return name.map(n -> new Profile.ExternalDestination(n, texts, addresses, ports, context.locate(path)));
    }

    /** Cluster DNS; each key left out takes its default: kube-system, k8s-app=kube-dns, 53/UDP and 53/TCP. */
    private Profile.DnsService dns(JsonNode node, FieldPath path) {
        JsonNode item = object(node, path);
        keys(item, path, DNS);
        LabelSelector namespaces = item.has("namespaceSelector")
                ? selector(item.get("namespaceSelector"), path.child("namespaceSelector"))
                : LabelSelector.of(java.util.Map.of(dev.phiguard.model.Namespace.NAME_LABEL, "kube-system"));
        LabelSelector pods = item.has("podSelector")
                ? selector(item.get("podSelector"), path.child("podSelector"))
                : LabelSelector.of(java.util.Map.of("k8s-app", "kube-dns"));
        List<PortMatcher> ports = item.has("ports") ? ports(item.get("ports"), path.child("ports"))
                : List.of(PortMatcher.parse("53/UDP"), PortMatcher.parse("53/TCP"));
        return new Profile.DnsService(new WorkloadSelector(namespaces, pods), ports);
    }

    private Optional<Severity> failOn(JsonNode node, FieldPath path) {
        if (node == null || node.isNull()) {
            return Optional.of(Severity.HIGH);
        }
        String text = node.asText("");
        if (text.equals("none")) {
            return Optional.empty();
        }
        Optional<Severity> severity = Severity.fromLabel(text);
        if (severity.isEmpty() || severity.get() == Severity.INFO) {
            context.error(path, "expected critical, high, medium, low or none", text);
            return Optional.of(Severity.HIGH);
        }
        return severity;
    }

    private boolean bool(JsonNode node, FieldPath path) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            context.error(path, "expected true or false", node.asText());
            return false;
        }
        return node.asBoolean();
    }

    private WorkloadSelector pair(JsonNode item, FieldPath path) {
        LabelSelector namespaces = item.has("namespaceSelector")
                ? selector(item.get("namespaceSelector"), path.child("namespaceSelector")) : LabelSelector.ALL;
        LabelSelector pods = item.has("podSelector")
                ? selector(item.get("podSelector"), path.child("podSelector")) : LabelSelector.ALL;
        return new WorkloadSelector(namespaces, pods);
    }

    private List<LabelSelector> selectors(JsonNode list, FieldPath path) {
        List<LabelSelector> selectors = new ArrayList<>();
        forEach(list, path, (item, itemPath) -> selectors.add(selector(item, itemPath)));
        return selectors;
    }

    private LabelSelector selector(JsonNode node, FieldPath path) {
        if (node == null || node.isNull()) {
            return LabelSelector.ALL;
        }
        if (!node.isObject()) {
            context.error(path, "must be a label selector (matchLabels, matchExpressions)",
                    node.isContainerNode() ? null : node.asText());
            return LabelSelector.ALL;
        }
        keys(node, path, Set.of("matchLabels", "matchExpressions"));
        Optional<io.fabric8.kubernetes.api.model.LabelSelector> decoded = ObjectDecoder.decodeValue(node,
                io.fabric8.kubernetes.api.model.LabelSelector.class, path, context);
        return decoded.map(selector -> ObjectConverter.selector(selector, path, context)).orElse(LabelSelector.ALL);
    }

    private List<PortMatcher> ports(JsonNode list, FieldPath path) {
        List<PortMatcher> ports = new ArrayList<>();
        forEach(list, path, (item, itemPath) -> {
            if (!item.isTextual() && !item.isInt()) {
                context.error(itemPath, PORT_EXPECTED, item.isContainerNode() ? null : item.asText());
                return;
            }
            try {
                ports.add(PortMatcher.parse(item.asText()));
            } catch (IllegalArgumentException e) {
                context.error(itemPath, PORT_EXPECTED, item.asText());
            }
        });
        return ports;
    }

    private IpSet cidrs(JsonNode list, FieldPath path) {
        List<IpRange> ranges = new ArrayList<>();
        forEach(list, path, (item, itemPath) -> {
            try {
                ranges.add(IpRange.fromCidr(item.asText("")));
            } catch (IllegalArgumentException e) {
                context.error(itemPath, "invalid CIDR, expected an address and a prefix length such as"
                        + " 203.0.113.0/24", item.asText(""));
            }
        });
        return IpSet.of(ranges);
    }
}
