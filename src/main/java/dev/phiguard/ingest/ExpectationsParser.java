package dev.phiguard.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.model.Expectations;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.WorkloadSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a phiguard Expectations document (the assertions of {@code phiguard test}), with a
 * diagnostic at the line of every unknown key and bad value, like any manifest. A document with
 * an error is not used: a test suite that silently lost an assertion would pass for the wrong
 * reason.
 */
final class ExpectationsParser {
    static final String KIND = "Expectations";

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "expectations");
    private static final Set<String> ASSERTION = Set.of("name", "from", "to", "port", "protocol", "expect", "only");
    private static final Set<String> ONLY = Set.of("from", "to");
    private static final Set<String> ENDPOINT = Set.of("namespaceSelector", "podSelector", "cidr", "except");

    /** The kinds a workload reference may name, as phiguard prints them. */
    private static final List<String> WORKLOAD_KINDS = List.of("CronJob", "DaemonSet", "Deployment", "Job", "Pod",
            "ReplicaSet", "ReplicationController", "StatefulSet");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern IPV4_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NUMBERS = Pattern.compile("\\d+(-\\d+)?");

    static final String PORT_EXPECTED = "invalid port, expected a number (5432), a range (8000-8100), NUMBER/PROTOCOL"
            + " (53/UDP; 1-65535; TCP, UDP or SCTP) or a container port name (https)";
    static final String ENDPOINT_EXPECTED = "expected a workload (NAMESPACE/NAME or NAMESPACE/NAME[Kind]), an IP"
            + " address or CIDR, or a mapping with namespaceSelector and podSelector, or cidr";

    private final ObjectContext context;
    private final JsonNode root;

    private ExpectationsParser(JsonNode root, ObjectContext context) {
        this.root = root;
        this.context = context;
    }

    /** Parses; diagnostics go to the context's sink, and an error makes the result empty. */
    static Optional<Expectations> parse(ObjectNode json, ObjectContext context) {
        return new ExpectationsParser(json, context).expectations();
    }

    private Optional<Expectations> expectations() {
        FieldPath top = FieldPath.root();
        keys(root, top, TOP);
        String apiVersion = root.path("apiVersion").asText("");
        if (!apiVersion.equals(ProfileParser.API_VERSION)) {
            context.error(FieldPath.of("apiVersion"), "unsupported apiVersion, expected " + ProfileParser.API_VERSION,
                    apiVersion);
        }
        JsonNode name = root.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            context.error(FieldPath.of("metadata"), "metadata.name is required: the name of the suite in test reports",
                    null);
        }
        List<Expectations.Assertion> assertions = new ArrayList<>();
        Map<String, FieldPath> names = new HashMap<>();
        JsonNode list = root.get("expectations");
        FieldPath listPath = top.child("expectations");
        if (list == null || list.isNull()) {
            context.error(top, "expectations is required: the list of assertions", null);
        } else if (!list.isArray()) {
            context.error(listPath, "must be a list", list.isContainerNode() ? null : list.asText());
        } else {
            if (list.isEmpty()) {
                context.warning(listPath, "the list is empty: nothing will be tested", null);
            }
            for (int i = 0; i < list.size(); i++) {
                assertion(list.get(i), listPath.index(i), names).ifPresent(assertions::add);
            }
        }
        if (context.failed()) {
            return Optional.empty();
        }
        return Optional.of(new Expectations(context.name(), assertions, context.locate(FieldPath.root())));
    }

    private Optional<Expectations.Assertion> assertion(JsonNode node, FieldPath path, Map<String, FieldPath> names) {
        if (!node.isObject()) {
            context.error(path, "must be a mapping with name and either from, to and expect, or only",
                    node.isContainerNode() ? null : node.asText());
            return Optional.empty();
        }
        keys(node, path, ASSERTION);
        Optional<String> name = name(node, path, names);
        Optional<Optional<PortMatcher>> port = port(node, path);
        boolean pair = node.has("from") || node.has("to") || node.has("expect");
        boolean only = node.has("only");
        if (pair && only) {
            context.errorAtKey(path.child("only"), "only cannot be combined with from, to or expect: an assertion is"
                    + " either a pair (from, to, expect) or a blanket one (only)", null);
            return Optional.empty();
        }
        if (!pair && !only) {
            context.error(path, "needs from, to and expect (a pair), or only (\"only these reach X\": only: {to: X,"
                    + " from: [A, B]}; \"X reaches only these\": only: {from: X, to: [A, B]})", null);
            return Optional.empty();
        }
        if (only) {
            return blanket(node.get("only"), path.child("only"), name, port, path);
        }
        Optional<Expectations.Endpoint> from = required(node, path, "from");
        Optional<Expectations.Endpoint> to = required(node, path, "to");
        Optional<Expectations.Verdict> expect = expect(node, path);
        if (name.isEmpty() || port.isEmpty() || from.isEmpty() || to.isEmpty() || expect.isEmpty()) {
            return Optional.empty();
        }
        if (from.get() instanceof Expectations.Endpoint.Addresses
                && to.get() instanceof Expectations.Endpoint.Addresses) {
            context.error(path.child("to"), "from and to are both addresses outside the cluster; no policy governs"
                    + " traffic between them", null);
            return Optional.empty();
        }
        if (port.get().orElse(null) instanceof PortMatcher.Named named
                && to.get() instanceof Expectations.Endpoint.Addresses) {
            context.error(path.child("port"), "a port name means a container port of the destination, which is"
                    + " outside the cluster here; give a number", named.name());
            return Optional.empty();
        }
        return Optional.of(new Expectations.Pair(name.get(), from.get(), to.get(), port.get(), expect.get(),
                context.locate(path)));
    }

    private Optional<Expectations.Assertion> blanket(JsonNode node, FieldPath path, Optional<String> name,
            Optional<Optional<PortMatcher>> port, FieldPath assertionPath) {
        if (!node.isObject()) {
            context.error(path, "must be a mapping: {to: X, from: [A, B]} or {from: X, to: [A, B]}",
                    node.isContainerNode() ? null : node.asText());
            return Optional.empty();
        }
        keys(node, path, ONLY);
        JsonNode from = node.get("from");
        JsonNode to = node.get("to");
        if (from == null || to == null) {
            context.error(path, "needs to and from: {to: X, from: [A, B]} (only these reach X) or {from: X, to: [A,"
                    + " B]} (X reaches only these)", null);
            return Optional.empty();
        }
        if (from.isArray() == to.isArray()) {
            context.error(path, "exactly one of from and to must be a list: {to: X, from: [A, B]} (only these reach X)"
                    + " or {from: X, to: [A, B]} (X reaches only these)", null);
            return Optional.empty();
        }
        boolean onlyReachedBy = from.isArray();
        String subjectKey = onlyReachedBy ? "to" : "from";
        String listKey = onlyReachedBy ? "from" : "to";
        Optional<Expectations.Endpoint> subject = endpoint(node.get(subjectKey), path.child(subjectKey));
        List<Expectations.Endpoint> listed = new ArrayList<>();
        JsonNode list = node.get(listKey);
        for (int i = 0; i < list.size(); i++) {
            endpoint(list.get(i), path.child(listKey).index(i)).ifPresent(listed::add);
        }
        if (name.isEmpty() || port.isEmpty() || subject.isEmpty() || listed.size() != list.size()) {
            return Optional.empty();
        }
        if (subject.get() instanceof Expectations.Endpoint.Addresses) {
            boolean external = false;
            for (int i = 0; i < listed.size(); i++) {
                if (listed.get(i) instanceof Expectations.Endpoint.Addresses) {
                    context.error(path.child(listKey).index(i), "addresses outside the cluster here would pair with"
                            + " the addresses of " + subjectKey + "; no policy governs traffic between them", null);
                    external = true;
                }
            }
            if (external) {
                return Optional.empty();
            }
        }
        if (port.get().orElse(null) instanceof PortMatcher.Named named && onlyReachedBy
                && subject.get() instanceof Expectations.Endpoint.Addresses) {
            context.error(assertionPath.child("port"), "a port name means a container port of the destination, which"
                    + " is outside the cluster here; give a number", named.name());
            return Optional.empty();
        }
        return Optional.of(onlyReachedBy
                ? new Expectations.OnlyReachedBy(name.get(), subject.get(), listed, port.get(),
                        context.locate(assertionPath))
                : new Expectations.ReachesOnly(name.get(), subject.get(), listed, port.get(),
                        context.locate(assertionPath)));
    }

    private Optional<String> name(JsonNode item, FieldPath path, Map<String, FieldPath> names) {
        JsonNode name = item.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            context.error(name == null ? path : path.child("name"), "name is required: a short sentence saying what"
                    + " must hold, the test case's name in reports", name == null || name.isContainerNode() ? null
                    : name.asText());
            return Optional.empty();
        }
        FieldPath earlier = names.putIfAbsent(name.asText(), path);
        if (earlier != null) {
            context.error(path.child("name"), "duplicate name: " + earlier + " has it already; test cases need"
                    + " distinct names", name.asText());
            return Optional.empty();
        }
        return Optional.of(name.asText());
    }

    private Optional<Expectations.Endpoint> required(JsonNode item, FieldPath path, String key) {
        JsonNode node = item.get(key);
        if (node == null || node.isNull()) {
            context.error(path, key + " is required: " + ENDPOINT_EXPECTED, null);
            return Optional.empty();
        }
        return endpoint(node, path.child(key));
    }

    private Optional<Expectations.Verdict> expect(JsonNode item, FieldPath path) {
        JsonNode node = item.get("expect");
        if (node == null || node.isNull()) {
            context.error(path, "expect is required: allow or deny", null);
            return Optional.empty();
        }
        String text = node.isTextual() ? node.asText() : "";
        return switch (text) {
            case "allow" -> Optional.of(Expectations.Verdict.ALLOW);
            case "deny" -> Optional.of(Expectations.Verdict.DENY);
            default -> {
                context.error(path.child("expect"), "expected allow or deny", node.isContainerNode() ? null
                        : node.asText());
                yield Optional.empty();
            }
        };
    }

    /**
     * The port and protocol of an assertion: empty (outer) after an error; an empty matcher for
     * every connection.
     */
    private Optional<Optional<PortMatcher>> port(JsonNode item, FieldPath path) {
        JsonNode portNode = item.get("port");
        JsonNode protocolNode = item.get("protocol");
        Optional<Protocol> protocol = Optional.empty();
        if (protocolNode != null && !protocolNode.isNull()) {
            protocol = protocolNode.isTextual() ? Protocol.fromUserInput(protocolNode.asText()) : Optional.empty();
            if (protocol.isEmpty()) {
                context.error(path.child("protocol"), "unsupported protocol, expected TCP, UDP or SCTP",
                        protocolNode.isContainerNode() ? null : protocolNode.asText());
                return Optional.empty();
            }
        }
        if (portNode == null || portNode.isNull()) {
            return Optional.of(protocol.map(p -> new PortMatcher.Numbers(p, PortRange.ALL)));
        }
        FieldPath portPath = path.child("port");
        if (!portNode.isTextual() && !portNode.isInt()) {
            context.error(portPath, PORT_EXPECTED, portNode.isContainerNode() ? null : portNode.asText());
            return Optional.empty();
        }
        String text = portNode.asText().trim();
        PortMatcher matcher;
        try {
            matcher = PortMatcher.parse(text);
        } catch (IllegalArgumentException e) {
            context.error(portPath, PORT_EXPECTED, text);
            return Optional.empty();
        }
        if (matcher instanceof PortMatcher.Named named) {
            Optional<String> problem = KubernetesNames.checkPortName(named.name());
            if (problem.isPresent()) {
                context.error(portPath, PORT_EXPECTED, text);
                return Optional.empty();
            }
            if (protocol.isPresent()) {
                context.error(path.child("protocol"), "a container port name carries its own protocol; leave"
                        + " protocol out", protocolNode.asText());
                return Optional.empty();
            }
            return Optional.of(Optional.of(named));
        }
        PortMatcher.Numbers numbers = (PortMatcher.Numbers) matcher;
        if (!NUMBERS.matcher(text).matches()) {
            // NUMBER/PROTOCOL
            if (protocol.isPresent()) {
                context.error(path.child("protocol"), "the port names its protocol already ('" + text + "'); give it"
                        + " once", protocolNode.asText());
                return Optional.empty();
            }
            return Optional.of(Optional.of(numbers));
        }
        return Optional.of(Optional.of(new PortMatcher.Numbers(protocol.orElse(Protocol.TCP), numbers.range())));
    }

    private Optional<Expectations.Endpoint> endpoint(JsonNode node, FieldPath path) {
        if (node.isTextual()) {
            return endpointText(node.asText().trim(), path);
        }
        if (!node.isObject()) {
            context.error(path, ENDPOINT_EXPECTED, node.isContainerNode() ? null : node.asText());
            return Optional.empty();
        }
        keys(node, path, ENDPOINT);
        boolean selectors = node.has("namespaceSelector") || node.has("podSelector");
        if (node.has("cidr")) {
            if (selectors) {
                context.error(path, "an endpoint is either workloads (namespaceSelector, podSelector) or addresses"
                        + " (cidr), not both", null);
                return Optional.empty();
            }
            return cidrEndpoint(node, path);
        }
        if (node.has("except")) {
            context.errorAtKey(path.child("except"), "except needs a cidr to take addresses out of", null);
            return Optional.empty();
        }
        // a bad selector is reported and the document left out; ALL stands in so the checks go on
        LabelSelector namespaces = node.has("namespaceSelector")
                ? selector(node.get("namespaceSelector"), path.child("namespaceSelector")) : LabelSelector.ALL;
        LabelSelector pods = node.has("podSelector")
                ? selector(node.get("podSelector"), path.child("podSelector")) : LabelSelector.ALL;
        return Optional.of(new Expectations.Endpoint.Selector(new WorkloadSelector(namespaces, pods),
                context.locate(path)));
    }

    private Optional<Expectations.Endpoint> endpointText(String text, FieldPath path) {
        if (looksLikeAddress(text)) {
            Optional<IpSet> addresses = addresses(text, path);
            return addresses.map(set -> new Expectations.Endpoint.Addresses(text, set, context.locate(path)));
        }
        int slash = text.indexOf('/');
        int bracket = text.indexOf('[');
        String body = bracket < 0 ? text : text.substring(0, bracket);
        Optional<String> kind = Optional.empty();
        boolean shape = slash > 0 && slash == body.lastIndexOf('/') && slash < body.length() - 1
                && (bracket < 0 || text.endsWith("]") && bracket < text.length() - 2);
        if (!shape) {
            context.error(path, ENDPOINT_EXPECTED, text);
            return Optional.empty();
        }
        String namespace = body.substring(0, slash);
        String name = body.substring(slash + 1);
        if (!DNS_LABEL.matcher(namespace).matches()) {
            context.error(path, "invalid namespace in workload: a namespace is a lower-case DNS label (phi, kube-system)",
                    text);
            return Optional.empty();
        }
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            context.error(path, "invalid name in workload: a workload name is a lower-case DNS subdomain (ehr-db)",
                    text);
            return Optional.empty();
        }
        if (bracket >= 0) {
            String written = text.substring(bracket + 1, text.length() - 1);
            kind = WORKLOAD_KINDS.stream().filter(k -> k.equalsIgnoreCase(written)).findFirst();
            if (kind.isEmpty()) {
                context.error(path, "unknown workload kind, expected one of: " + String.join(", ", WORKLOAD_KINDS),
                        text);
                return Optional.empty();
            }
        }
        return Optional.of(new Expectations.Endpoint.Workload(namespace, name, kind, context.locate(path)));
    }

    /** Dotted quads, IPv6 texts and CIDRs of either; a workload reference never has a dot before its slash. */
    private static boolean looksLikeAddress(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        return IPV4_ADDRESS.matcher(address).matches() || address.contains(":");
    }

    private Optional<Expectations.Endpoint> cidrEndpoint(JsonNode node, FieldPath path) {
        JsonNode cidr = node.get("cidr");
        if (!cidr.isTextual()) {
            context.error(path.child("cidr"), "invalid CIDR, expected an address and a prefix length such as"
                    + " 203.0.113.0/24, or an address", cidr.isContainerNode() ? null : cidr.asText());
            return Optional.empty();
        }
        String text = cidr.asText().trim();
        Optional<IpSet> block = addresses(text, path.child("cidr"));
        if (block.isEmpty()) {
            return Optional.empty();
        }
        JsonNode except = node.get("except");
        if (except == null || except.isNull()) {
            return Optional.of(new Expectations.Endpoint.Addresses(text, block.get(), context.locate(path)));
        }
        if (!except.isArray()) {
            context.error(path.child("except"), "must be a list of CIDRs", except.isContainerNode() ? null
                    : except.asText());
            return Optional.empty();
        }
        IpSet remaining = block.get();
        List<String> holes = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < except.size(); i++) {
            FieldPath holePath = path.child("except").index(i);
            String hole = except.get(i).asText("").trim();
            Optional<IpSet> holeSet = addresses(hole, holePath);
            if (holeSet.isEmpty()) {
                valid = false;
                continue;
            }
            if (!block.get().containsAll(holeSet.get()) || block.get().equals(holeSet.get())) {
                context.error(holePath, "except must be a strict subset of cidr " + text, hole);
                valid = false;
                continue;
            }
            holes.add(hole);
            remaining = remaining.minus(holeSet.get());
        }
        if (!valid) {
            return Optional.empty();
        }
        String written = holes.isEmpty() ? text : text + " except " + String.join(", ", holes);
        return Optional.of(new Expectations.Endpoint.Addresses(written, remaining, context.locate(path)));
    }

    /** A CIDR with no bits beyond its prefix, or one address. */
    private Optional<IpSet> addresses(String text, FieldPath path) {
        if (!text.contains("/")) {
            if (looksLikeAddress(text)) {
                try {
                    return Optional.of(IpSet.of(IpRange.fromAddress(text)));
                } catch (IllegalArgumentException e) {
                    // reported below
                }
            }
            context.error(path, "invalid address, expected an IP address such as 8.8.8.8 or a CIDR such as"
                    + " 203.0.113.0/24", text);
            return Optional.empty();
        }
        IpRange range;
        try {
            range = IpRange.fromCidr(text);
        } catch (IllegalArgumentException e) {
            context.error(path, "invalid CIDR, expected an address and a prefix length such as 203.0.113.0/24",
                    text);
            return Optional.empty();
        }
        if (IpRange.hasLeadingZeros(text) || !IpRange.isCanonicalCidr(text)) {
            context.error(path, "not a canonical CIDR (bits set beyond the prefix length, or leading zeros); write "
                    + IpRange.formatAddress(range.family(), range.first()) + "/" + IpRange.prefixLength(text), text);
            return Optional.empty();
        }
        return Optional.of(IpSet.of(range));
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
}
