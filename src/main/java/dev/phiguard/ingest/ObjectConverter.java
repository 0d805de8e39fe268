package dev.phiguard.ingest;

import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpRange;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.Service;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns fabric8 objects into phiguard's model, checking them as the API server would. Errors
 * (the object could never be applied) make the result empty; warnings keep the object.
 */
final class ObjectConverter {
    private ObjectConverter() {
    }

    static Optional<Namespace> namespace(io.fabric8.kubernetes.api.model.Namespace object, ObjectContext context) {
        ObjectMeta metadata = object.getMetadata();
        Map<String, String> labels = labels(metadata, FieldPath.of("metadata", "labels"), context);
        String nameLabel = labels.get(Namespace.NAME_LABEL);
        if (nameLabel != null && !nameLabel.equals(context.name())) {
            context.warning(FieldPath.of("metadata", "labels").key(Namespace.NAME_LABEL),
                    "the API server sets this label to the namespace's name, \"" + context.name() + "\"", nameLabel);
        }
        if (context.failed()) {
            return Optional.empty();
        }
        return Optional.of(new Namespace(context.name(), new TreeMap<>(labels), annotations(metadata),
                context.locate(FieldPath.root())));
    }

    static Optional<Service> service(io.fabric8.kubernetes.api.model.Service object, ObjectContext context) {
        ServiceSpec spec = object.getSpec();
        Map<String, String> selector = spec == null || spec.getSelector() == null ? Map.of() : spec.getSelector();
        List<Service.ServicePort> ports = new ArrayList<>();
        if (spec != null && spec.getPorts() != null) {
            for (int i = 0; i < spec.getPorts().size(); i++) {
                io.fabric8.kubernetes.api.model.ServicePort port = spec.getPorts().get(i);
                FieldPath path = FieldPath.of("spec", "ports", i);
                if (port == null || port.getPort() == null) {
                    context.error(path, "port is required", null);
                    continue;
                }
                Optional<Protocol> protocol = protocol(port.getProtocol(), path.child("protocol"), context);
                if (port.getPort() < PortRange.MIN_PORT || port.getPort() > PortRange.MAX_PORT) {
                    context.error(path.child("port"), "port must be between 1 and 65535", port.getPort());
                    continue;
                }
                String target = targetPort(port.getTargetPort(), port.getPort());
                protocol.ifPresent(p -> ports.add(new Service.ServicePort(
                        port.getName() == null ? "" : port.getName(), port.getPort(), target, p)));
            }
        }
        if (context.failed()) {
            return Optional.empty();
        }
        return Optional.of(new Service(context.namespace(), context.name(), new TreeMap<>(selector), ports,
                context.locate(FieldPath.root())));
    }

    private static String targetPort(IntOrString targetPort, int port) {
        if (targetPort == null) {
            return Integer.toString(port);
        }
        return targetPort.getIntVal() != null ? targetPort.getIntVal().toString() : targetPort.getStrVal();
    }

    /** The pod template at {@code path} (metadata and spec); empty when it is missing or invalid. */
    static Optional<PodTemplate> podTemplate(ObjectMeta metadata, PodSpec spec, FieldPath path, ObjectContext context) {
        if (spec == null) {
            context.error(path.child("spec"), "a pod spec is required", null);
            return Optional.empty();
        }
        Map<String, String> labels = labels(metadata, path.child("metadata").child("labels"), context);
        List<ContainerPort> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Container> containers = spec.getContainers() == null ? List.of() : spec.getContainers();
        for (int c = 0; c < containers.size(); c++) {
            Container container = containers.get(c);
            if (container == null || container.getPorts() == null) {
                continue;
            }
            for (int p = 0; p < container.getPorts().size(); p++) {
                io.fabric8.kubernetes.api.model.ContainerPort port = container.getPorts().get(p);
                FieldPath portPath = path.child("spec").child("containers").index(c).child("ports").index(p);
                containerPort(port, portPath, names, context).ifPresent(ports::add);
            }
        }
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        return Optional.of(new PodTemplate(new TreeMap<>(labels), annotations(metadata), ports, hostNetwork));
    }

    /**
     * A container port; a port the API server would reject is ignored with a warning rather than
     * leaving the workload out, because the workload's other ports and labels still matter.
     */
    private static Optional<ContainerPort> containerPort(io.fabric8.kubernetes.api.model.ContainerPort port,
            FieldPath path, Set<String> names, ObjectContext context) {
        Integer number = port == null ? null : port.getContainerPort();
        if (number == null) {
            context.warning(path, "containerPort is required; this port is ignored", null);
            return Optional.empty();
        }
        if (number < PortRange.MIN_PORT || number > PortRange.MAX_PORT) {
            context.warning(path.child("containerPort"), "containerPort must be between 1 and 65535; this port is ignored",
                    number);
            return Optional.empty();
        }
        String protocolName = port.getProtocol() == null ? "TCP" : port.getProtocol();
        Optional<Protocol> protocol = Protocol.fromKubernetesName(protocolName);
        if (protocol.isEmpty()) {
            context.warning(path.child("protocol"),
                    "unsupported protocol, expected TCP, UDP or SCTP; this port is ignored", protocolName);
            return Optional.empty();
        }
        String name = port.getName() == null ? "" : port.getName();
        if (!name.isEmpty()) {
            Optional<String> problem = KubernetesNames.checkPortName(name);
            if (problem.isPresent()) {
                context.warning(path.child("name"), problem.get() + "; this name is ignored", name);
                name = "";
            } else if (!names.add(name)) {
                context.warning(path.child("name"), "port name is used twice in the pod; this name is ignored", name);
                name = "";
            }
        }
        return Optional.of(new ContainerPort(name, number, protocol.get()));
    }

    static Optional<NetworkPolicy> networkPolicy(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy object,
            ObjectContext context) {
        NetworkPolicySpec spec = object.getSpec();
        if (spec == null) {
            context.warning(FieldPath.root(),
                    "spec is missing: this policy selects every pod of its namespace and denies all their ingress",
                    null);
            spec = new NetworkPolicySpec();
        }
        FieldPath specPath = FieldPath.of("spec");
        LabelSelector podSelector;
        if (spec.getPodSelector() == null) {
            if (object.getSpec() != null) {
                context.warning(specPath, "podSelector is missing: this policy selects every pod of its namespace",
                        null);
            }
            podSelector = LabelSelector.ALL;
        } else {
            podSelector = selector(spec.getPodSelector(), specPath.child("podSelector"), context);
        }
        Optional<Set<Direction>> policyTypes = policyTypes(spec.getPolicyTypes(), specPath.child("policyTypes"), context);
        List<PolicyRule> ingress = new ArrayList<>();
        List<?> ingressRules = spec.getIngress() == null ? List.of() : spec.getIngress();
        for (int i = 0; i < ingressRules.size(); i++) {
            // the API server reads a null rule as an empty one, which allows everything
            var rule = Optional.ofNullable(spec.getIngress().get(i))
                    .orElseGet(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule::new);
            FieldPath path = specPath.child("ingress").index(i);
            ingress.add(rule(Direction.INGRESS, i, rule.getFrom(), "from", rule.getPorts(), path, context));
        }
        List<PolicyRule> egress = new ArrayList<>();
        List<?> egressRules = spec.getEgress() == null ? List.of() : spec.getEgress();
        for (int i = 0; i < egressRules.size(); i++) {
            var rule = Optional.ofNullable(spec.getEgress().get(i))
                    .orElseGet(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule::new);
            FieldPath path = specPath.child("egress").index(i);
            egress.add(rule(Direction.EGRESS, i, rule.getTo(), "to", rule.getPorts(), path, context));
        }
        if (policyTypes.isPresent()) {
            warnIgnoredRules(policyTypes.get(), Direction.INGRESS, ingress, specPath, context);
            warnIgnoredRules(policyTypes.get(), Direction.EGRESS, egress, specPath, context);
        }
        if (context.failed()) {
            return Optional.empty();
        }
        return Optional.of(new NetworkPolicy(context.namespace(), context.name(), podSelector, policyTypes, ingress,
                egress, context.locate(FieldPath.root())));
    }

    private static void warnIgnoredRules(Set<Direction> policyTypes, Direction direction, List<PolicyRule> rules,
            FieldPath specPath, ObjectContext context) {
        if (!rules.isEmpty() && !policyTypes.contains(direction)) {
            context.warning(specPath.child(direction == Direction.INGRESS ? "ingress" : "egress"),
                    "policyTypes does not list " + direction.kubernetesName() + ", so these rules have no effect",
                    null);
        }
    }

    private static Optional<Set<Direction>> policyTypes(List<String> declared, FieldPath path, ObjectContext context) {
        if (declared == null || declared.isEmpty()) {
            // the API server defaults an empty list exactly like an absent one
            return Optional.empty();
        }
        Set<Direction> types = EnumSet.noneOf(Direction.class);
        for (int i = 0; i < declared.size(); i++) {
            String type = declared.get(i);
            Optional<Direction> direction = type == null ? Optional.empty() : Direction.fromKubernetesName(type);
            if (direction.isEmpty()) {
                context.error(path.index(i), "unsupported policy type, expected Ingress or Egress", type);
            } else {
                types.add(direction.get());
            }
        }
        return Optional.of(types);
    }

    private static PolicyRule rule(Direction direction, int index, List<NetworkPolicyPeer> peers, String peersField,
            List<NetworkPolicyPort> ports, FieldPath path, ObjectContext context) {
        List<PolicyPeer> convertedPeers = new ArrayList<>();
        if (peers != null) {
            for (int i = 0; i < peers.size(); i++) {
                peer(peers.get(i), path.child(peersField).index(i), context).ifPresent(convertedPeers::add);
            }
        }
        List<PolicyPort> convertedPorts = new ArrayList<>();
        if (ports != null) {
            for (int i = 0; i < ports.size(); i++) {
                port(ports.get(i), path.child("ports").index(i), context).ifPresent(convertedPorts::add);
            }
        }
        return new PolicyRule(direction, index, convertedPeers, convertedPorts, context.locate(path));
    }

    private static Optional<PolicyPeer> peer(NetworkPolicyPeer peer, FieldPath path, ObjectContext context) {
        if (peer == null) {
            context.error(path, "must specify a peer: podSelector, namespaceSelector or ipBlock", null);
            return Optional.empty();
        }
        boolean hasSelector = peer.getPodSelector() != null || peer.getNamespaceSelector() != null;
        if (peer.getIpBlock() != null) {
            if (hasSelector) {
                context.error(path, "may not specify both ipBlock and another peer", null);
                return Optional.empty();
            }
            return ipBlock(peer.getIpBlock(), path.child("ipBlock"), context);
        }
        if (!hasSelector) {
            context.error(path, "must specify a peer: podSelector, namespaceSelector or ipBlock", null);
            return Optional.empty();
        }
        Optional<LabelSelector> namespaceSelector = Optional.ofNullable(peer.getNamespaceSelector())
                .map(selector -> selector(selector, path.child("namespaceSelector"), context));
        Optional<LabelSelector> podSelector = Optional.ofNullable(peer.getPodSelector())
                .map(selector -> selector(selector, path.child("podSelector"), context));
        return Optional.of(new PolicyPeer.SelectorPeer(namespaceSelector, podSelector));
    }

    private static Optional<PolicyPeer> ipBlock(IPBlock block, FieldPath path, ObjectContext context) {
        String cidr = block.getCidr();
        if (cidr == null || cidr.isEmpty()) {
            context.error(path.child("cidr"), "cidr is required", null);
            return Optional.empty();
        }
        IpRange range;
        try {
            range = IpRange.fromCidr(cidr);
        } catch (IllegalArgumentException e) {
            context.error(path.child("cidr"), "invalid CIDR, expected an address and a prefix length such as"
                    + " 10.0.0.0/8 or fd00::/8", cidr);
            return Optional.empty();
        }
        warnNonCanonical(cidr, range, path.child("cidr"), context);
        List<String> except = block.getExcept() == null ? List.of() : block.getExcept();
        boolean valid = true;
        for (int i = 0; i < except.size(); i++) {
            String hole = except.get(i);
            FieldPath holePath = path.child("except").index(i);
            IpRange holeRange;
            try {
                holeRange = IpRange.fromCidr(hole == null ? "" : hole);
            } catch (IllegalArgumentException e) {
                context.error(holePath, "invalid CIDR, expected an address and a prefix length", hole);
                valid = false;
                continue;
            }
            if (!range.contains(holeRange) || IpRange.prefixLength(hole) <= IpRange.prefixLength(cidr)) {
                context.error(holePath, "except must be a strict subset of cidr " + cidr, hole);
                valid = false;
                continue;
            }
            warnNonCanonical(hole, holeRange, holePath, context);
        }
        return valid ? Optional.of(PolicyPeer.IpBlockPeer.of(cidr, except)) : Optional.empty();
    }

    private static void warnNonCanonical(String cidr, IpRange range, FieldPath path, ObjectContext context) {
        if (IpRange.hasLeadingZeros(cidr)) {
            context.warning(path, "leading zeros: Kubernetes reads them as decimal, other tools as octal; it means "
                    + IpRange.formatAddress(range.family(), range.first()) + "/" + IpRange.prefixLength(cidr), cidr);
        } else if (!IpRange.isCanonicalCidr(cidr)) {
            String canonical = IpRange.formatAddress(range.family(), range.first()) + "/" + IpRange.prefixLength(cidr);
            context.warning(path, "CIDR has bits set beyond its prefix length; it means " + canonical, cidr);
        }
    }

    private static Optional<PolicyPort> port(NetworkPolicyPort port, FieldPath path, ObjectContext context) {
        if (port == null) {
            return Optional.of(new PolicyPort.AnyPort(Protocol.TCP));
        }
        Optional<Protocol> protocol = protocol(port.getProtocol(), path.child("protocol"), context);
        IntOrString value = port.getPort();
        Integer endPort = port.getEndPort();
        if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
            if (endPort != null) {
                context.error(path.child("endPort"), "endPort may not be specified when port is not", endPort);
                return Optional.empty();
            }
            return protocol.map(PolicyPort.AnyPort::new);
        }
        if (value.getIntVal() != null) {
            int first = value.getIntVal();
            boolean valid = true;
            if (first < PortRange.MIN_PORT || first > PortRange.MAX_PORT) {
                context.error(path.child("port"), "port must be between 1 and 65535", first);
                valid = false;
            }
            int last = first;
            if (endPort != null) {
                if (endPort < PortRange.MIN_PORT || endPort > PortRange.MAX_PORT) {
                    context.error(path.child("endPort"), "endPort must be between 1 and 65535", endPort);
                    valid = false;
                } else if (endPort < first) {
                    context.error(path.child("endPort"), "endPort must be greater than or equal to port " + first,
                            endPort);
                    valid = false;
                }
                last = endPort;
            }
            if (!valid || protocol.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PolicyPort.PortNumbers(protocol.get(), PortRange.of(first, last)));
        }
        String name = value.getStrVal();
        if (endPort != null) {
            context.error(path.child("endPort"), "endPort may not be specified when port is a name (\"" + name + "\")",
                    endPort);
            return Optional.empty();
        }
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            context.error(path.child("port"), "port is a quoted number; write it without quotes", name);
            return Optional.empty();
        }
        Optional<String> problem = KubernetesNames.checkPortName(name);
        if (problem.isPresent()) {
            context.error(path.child("port"), problem.get(), name);
            return Optional.empty();
        }
        return protocol.map(p -> new PolicyPort.NamedPort(p, name));
    }

    private static Optional<Protocol> protocol(String name, FieldPath path, ObjectContext context) {
        if (name == null) {
            return Optional.of(Protocol.TCP);
        }
        Optional<Protocol> protocol = Protocol.fromKubernetesName(name);
        if (protocol.isEmpty()) {
            context.error(path, "unsupported protocol, expected TCP, UDP or SCTP", name);
        }
        return protocol;
    }

    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector selector, FieldPath path,
            ObjectContext context) {
        Map<String, String> matchLabels = new TreeMap<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> {
                FieldPath labelPath = path.child("matchLabels").key(key);
                // the API server reads a null value as the empty string
                String text = value == null ? "" : value;
                if (checkLabel(key, text, labelPath, context)) {
                    matchLabels.put(key, text);
                }
            });
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null
                ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            requirement(expressions.get(i), path.child("matchExpressions").index(i), context)
                    .ifPresent(requirements::add);
        }
        return LabelSelector.of(matchLabels, requirements);
    }

    private static Optional<LabelSelector.Requirement> requirement(LabelSelectorRequirement item, FieldPath path,
            ObjectContext context) {
        LabelSelectorRequirement expression = item == null ? new LabelSelectorRequirement() : item;
        String key = expression.getKey();
        if (key == null || key.isEmpty()) {
            context.error(path.child("key"), "key is required", null);
            return Optional.empty();
        }
        Optional<String> keyProblem = KubernetesNames.checkLabelKey(key);
        if (keyProblem.isPresent()) {
            context.error(path.child("key"), "invalid label key: " + keyProblem.get(), key);
            return Optional.empty();
        }
        String operatorName = expression.getOperator();
        if (operatorName == null || operatorName.isEmpty()) {
            context.error(path, "operator is required: In, NotIn, Exists or DoesNotExist", null);
            return Optional.empty();
        }
        Optional<LabelSelector.Operator> operator = LabelSelector.Operator.fromKubernetesName(operatorName);
        if (operator.isEmpty()) {
            context.error(path.child("operator"), "unsupported operator, expected In, NotIn, Exists or DoesNotExist",
                    operatorName);
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        if (expression.getValues() != null) {
            // the API server reads a null item as the empty string
            expression.getValues().forEach(value -> values.add(value == null ? "" : value));
        }
        boolean needsValues = operator.get() == LabelSelector.Operator.IN
                || operator.get() == LabelSelector.Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
            context.error(path.child("values"), "values must be non-empty when operator is " + operatorName, null);
            return Optional.empty();
        }
        if (!needsValues && !values.isEmpty()) {
            context.error(path.child("values"), "values must be empty when operator is " + operatorName,
                    String.join(",", values));
            return Optional.empty();
        }
        boolean valid = true;
        for (int v = 0; v < values.size(); v++) {
            String value = values.get(v);
            Optional<String> problem = KubernetesNames.checkLabelValue(value);
            if (problem.isPresent()) {
                context.error(path.child("values").index(v), "invalid label value: " + problem.get(), value);
                valid = false;
            }
        }
        return valid ? Optional.of(new LabelSelector.Requirement(key, operator.get(), new TreeSet<>(values)))
                : Optional.empty();
    }

    private static boolean checkLabel(String key, String value, FieldPath path, ObjectContext context) {
        Optional<String> keyProblem = KubernetesNames.checkLabelKey(key);
        if (keyProblem.isPresent()) {
            context.errorAtKey(path, "invalid label key: " + keyProblem.get(), key);
            return false;
        }
        Optional<String> valueProblem = KubernetesNames.checkLabelValue(value == null ? "" : value);
        if (valueProblem.isPresent()) {
            context.error(path, "invalid label value: " + valueProblem.get(), value);
            return false;
        }
        return true;
    }

    static Map<String, String> labels(ObjectMeta metadata, FieldPath path, ObjectContext context) {
        Map<String, String> labels = new TreeMap<>();
        if (metadata == null || metadata.getLabels() == null) {
            return labels;
        }
        metadata.getLabels().forEach((key, value) -> {
            if (checkLabel(key, value, path.key(key), context)) {
                labels.put(key, value == null ? "" : value);
            }
        });
        return labels;
    }

    static TreeMap<String, String> annotations(ObjectMeta metadata) {
        TreeMap<String, String> annotations = new TreeMap<>();
        if (metadata != null && metadata.getAnnotations() != null) {
            metadata.getAnnotations().forEach((key, value) -> annotations.put(key, value == null ? "" : value));
        }
        return annotations;
    }
}
