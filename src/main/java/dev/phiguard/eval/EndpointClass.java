package dev.phiguard.eval;

import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pods that NetworkPolicy cannot tell apart: same namespace, same labels, same named ports.
 * Selectors and rules are evaluated once per class; {@code members} are the workloads
 * (by index in the cluster) that have a pod template of this class.
 */
final class EndpointClass {
    final int index;
    final String namespace;
    final Map<String, String> namespaceLabels;
    final PodTemplate template;
    final List<Integer> members = new ArrayList<>();

    EndpointClass(int index, String namespace, Map<String, String> namespaceLabels, PodTemplate template) {
        this.index = index;
        this.namespace = namespace;
        this.namespaceLabels = namespaceLabels;
        this.template = template;
    }

    Map<String, String> labels() {
        return template.labels();
    }

    /** The connection a named port means on this class as a destination; none when no container port matches. */
    ConnectionSet resolve(PolicyPort.NamedPort namedPort) {
        return RuleEvaluator.resolve(namedPort, template);
    }

    /** What identifies the class: named ports are the only ports NetworkPolicy reads. */
    static List<Object> key(String namespace, PodTemplate template) {
        List<Object> namedPorts = new ArrayList<>();
        for (ContainerPort port : template.ports()) {
            if (port.isNamed()) {
                namedPorts.add(port);
            }
        }
        return List.of(namespace, template.labels(), namedPorts);
    }
}
