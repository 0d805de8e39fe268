package dev.phiguard.compliance;

import dev.phiguard.model.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The network plugins phiguard recognises, by their agent DaemonSet (name or image) and by the
 * custom resource types they install, and whether they enforce NetworkPolicy.
 */
enum NetworkPlugins {
    CALICO("Calico", true, List.of("calico-node"), List.of("calico/node"), List.of(".crd.projectcalico.org",
            ".projectcalico.org")),
    CILIUM("Cilium", true, List.of("cilium"), List.of("cilium/cilium"), List.of(".cilium.io")),
    ANTREA("Antrea", true, List.of("antrea-agent"), List.of("antrea/antrea-agent", "antrea/antrea-ubuntu"),
            List.of(".crd.antrea.io")),
    WEAVE_NET("Weave Net", true, List.of("weave-net"), List.of("weaveworks/weave-npc", "weaveworks/weave-kube"),
            List.of()),
    KUBE_ROUTER("kube-router", true, List.of("kube-router"), List.of("kube-router"), List.of()),
    OVN_KUBERNETES("OVN-Kubernetes", true, List.of("ovnkube-node"), List.of("ovn-kubernetes", "ovn-daemonset"),
            List.of(".k8s.ovn.org")),
    FLANNEL("flannel", false, List.of("kube-flannel-ds", "flannel"), List.of("flannel"), List.of()),
    KINDNET("kindnet", false, List.of("kindnet"), List.of("kindnetd"), List.of());

    final String title;
    final boolean enforces;
    private final List<String> daemonSets;
    private final List<String> images;
    private final List<String> groupSuffixes;

    NetworkPlugins(String title, boolean enforces, List<String> daemonSets, List<String> images,
            List<String> groupSuffixes) {
        this.title = title;
        this.enforces = enforces;
        this.daemonSets = daemonSets;
        this.images = images;
        this.groupSuffixes = groupSuffixes;
    }

    /** What shows this plugin runs: its DaemonSets and custom resource types; empty when it does not. */
    List<String> evidence(Platform platform) {
        List<String> found = new ArrayList<>();
        for (Platform.Agent agent : agents(platform)) {
            String image = agent.images().stream().filter(this::isImage).findFirst().orElse("");
            found.add("DaemonSet " + agent.id().namespace() + "/" + agent.id().name()
                    + (image.isEmpty() ? "" : " (image " + image + ")"));
        }
        for (String type : platform.resourceTypes()) {
            if (groupSuffixes.stream().anyMatch(type::endsWith)) {
                found.add("CustomResourceDefinition " + type);
            }
        }
        return found;
    }

    /** The DaemonSets of this plugin, known by name or by image. */
    List<Platform.Agent> agents(Platform platform) {
        return platform.agents().stream()
                .filter(agent -> agent.id().kind().equals("DaemonSet"))
                .filter(agent -> daemonSets.contains(agent.id().name()) || agent.images().stream().anyMatch(this::isImage))
                .toList();
    }

    private boolean isImage(String image) {
        String repository = image.toLowerCase(Locale.ROOT);
        int at = repository.indexOf('@');
        repository = at < 0 ? repository : repository.substring(0, at);
        int colon = repository.lastIndexOf(':');
        if (colon > repository.lastIndexOf('/')) {
            repository = repository.substring(0, colon);
        }
        String path = repository;
        List<String> segments = List.of(path.split("/"));
        return images.stream().anyMatch(name -> path.equals(name) || path.endsWith("/" + name)
                || !name.contains("/") && segments.contains(name));
    }
}
