package dev.phiguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.model.Direction;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Writes a NetworkPolicy as the YAML manifest {@code kubectl apply} takes. */
public final class NetworkPolicyYaml {
    private static final Dump DUMP = new Dump(DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(2)
            .setIndentWithIndicator(true)
            .build());

    private NetworkPolicyYaml() {
    }

    /**
     * Renders each distinct policy of one report once: a report attaches one proposed policy to
     * every finding it fixes, and rendering YAML was most of the time a large report took.
     */
    static final class Rendered {
        private final Map<NetworkPolicy, String> yaml = new IdentityHashMap<>();

        String of(NetworkPolicy policy) {
            return yaml.computeIfAbsent(policy, NetworkPolicyYaml::write);
        }

        /** The proposed policies of a finding's remediation, each as namespace, name and YAML. */
        void addTo(ArrayNode proposed, List<NetworkPolicy> policies) {
            for (NetworkPolicy policy : policies) {
                ObjectNode item = proposed.addObject();
                item.put("namespace", policy.namespace());
                item.put("name", policy.name());
                item.put("yaml", of(policy));
            }
        }
    }

    public static String write(NetworkPolicy policy) {
        return DUMP.dumpToString(manifest(policy));
    }

    /** Several policies as one multi-document stream. */
    public static String writeAll(List<NetworkPolicy> policies) {
        StringBuilder out = new StringBuilder();
        for (NetworkPolicy policy : policies) {
            out.append("---\n").append(write(policy));
        }
        return out.toString();
    }

    static Map<String, Object> manifest(NetworkPolicy policy) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "networking.k8s.io/v1");
        root.put("kind", "NetworkPolicy");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", policy.name());
        metadata.put("namespace", policy.namespace());
        root.put("metadata", metadata);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("podSelector", selector(policy.podSelector()));
        List<String> types = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            if (policy.isolates(direction)) {
                types.add(direction.kubernetesName());
            }
        }
        spec.put("policyTypes", types);
        if (policy.isolates(Direction.INGRESS) && !policy.ingress().isEmpty()) {
            spec.put("ingress", rules(policy.ingress(), "from"));
        }
        if (policy.isolates(Direction.EGRESS) && !policy.egress().isEmpty()) {
            spec.put("egress", rules(policy.egress(), "to"));
        }
        root.put("spec", spec);
        return root;
    }

    private static List<Object> rules(List<PolicyRule> rules, String peersKey) {
        List<Object> written = new ArrayList<>();
        for (PolicyRule rule : rules) {
            Map<String, Object> item = new LinkedHashMap<>();
            if (!rule.peers().isEmpty()) {
                List<Object> peers = new ArrayList<>();
                rule.peers().forEach(peer -> peers.add(peer(peer)));
                item.put(peersKey, peers);
            }
            if (!rule.ports().isEmpty()) {
                List<Object> ports = new ArrayList<>();
                rule.ports().forEach(port -> ports.add(port(port)));
                item.put("ports", ports);
            }
            written.add(item);
        }
        return written;
    }

    private static Map<String, Object> peer(PolicyPeer peer) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (peer instanceof PolicyPeer.IpBlockPeer ipBlock) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("cidr", ipBlock.cidr());
            if (!ipBlock.except().isEmpty()) {
                block.put("except", ipBlock.except());
            }
            item.put("ipBlock", block);
            return item;
        }
        PolicyPeer.SelectorPeer selectors = (PolicyPeer.SelectorPeer) peer;
        selectors.namespaceSelector().ifPresent(selector -> item.put("namespaceSelector", selector(selector)));
        selectors.podSelector().ifPresent(selector -> item.put("podSelector", selector(selector)));
        return item;
    }

    private static Map<String, Object> port(PolicyPort port) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("protocol", port.protocol().name());
        if (port instanceof PolicyPort.PortNumbers numbers) {
            item.put("port", numbers.range().first());
            if (numbers.range().last() != numbers.range().first()) {
                item.put("endPort", numbers.range().last());
            }
        } else if (port instanceof PolicyPort.NamedPort named) {
            item.put("port", named.name());
        }
        return item;
    }

    private static Map<String, Object> selector(LabelSelector selector) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (!selector.matchLabels().isEmpty()) {
            item.put("matchLabels", new LinkedHashMap<>(selector.matchLabels()));
        }
        if (!selector.matchExpressions().isEmpty()) {
            List<Object> expressions = new ArrayList<>();
            for (LabelSelector.Requirement requirement : selector.matchExpressions()) {
                Map<String, Object> expression = new LinkedHashMap<>();
                expression.put("key", requirement.key());
                expression.put("operator", requirement.operator().kubernetesName());
                if (!requirement.values().isEmpty()) {
                    expression.put("values", new ArrayList<>(requirement.values()));
                }
                expressions.add(expression);
            }
            item.put("matchExpressions", expressions);
        }
        return item;
    }
}
