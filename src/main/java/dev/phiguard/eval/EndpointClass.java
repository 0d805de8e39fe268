package dev.phiguard.eval;

import dev.phiguard.model.PodTemplate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Pods that NetworkPolicy cannot tell apart: same namespace, same answer from every pod
 * selector that can reach them, same named ports that rules use. Rules are evaluated once per
 * class; {@code members} are the workloads (by index in the cluster) with a pod template of
 * this class, and {@code template} is one of those templates.
 */
final class EndpointClass {
    final int index;
    final int namespace;
    final String namespaceName;
    final Map<String, String> namespaceLabels;
    final PodTemplate template;
    /** Which of its namespace's relevant pod selectors match: the class's identity with the namespace. */
    final BitSet selectors;
    /** Identifies the named ports rules use, as this class resolves them; classes that agree share it. */
    final int namedPorts;
    final List<Integer> members = new ArrayList<>();

    EndpointClass(int index, int namespace, String namespaceName, Map<String, String> namespaceLabels,
            PodTemplate template, BitSet selectors, int namedPorts) {
        this.index = index;
        this.namespace = namespace;
        this.namespaceName = namespaceName;
        this.namespaceLabels = namespaceLabels;
        this.template = template;
        this.selectors = selectors;
        this.namedPorts = namedPorts;
    }

    Map<String, String> labels() {
        return template.labels();
    }
}
