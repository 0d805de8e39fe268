package dev.phiguard.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What only a running cluster shows about its network, as read: the agents it runs, the custom
 * resource types it serves, Istio's PeerAuthentications and the flow-log settings. Manifests
 * carry none of it ({@link #NOT_OBSERVED}); the controls that need it judge it, the reader only
 * gathers it.
 *
 * @param observed whether a live cluster was read at all
 * @param source the cluster as a whole, where findings about it point
 * @param agents DaemonSets and Deployments with their container images, by which plugins are known
 * @param resourceTypes names of the CustomResourceDefinitions served ({@code plural.group})
 * @param peerAuthentications Istio PeerAuthentication objects
 * @param settings configuration objects read for flow logging (Cilium's ConfigMap, Calico's
 *     FelixConfiguration), reduced to the keys that matter
 * @param unread facts that could not be read, by name ({@code PeerAuthentication}), with why and
 *     what would grant them; a control that needs one is not assessed rather than guessed
 */
public record Platform(boolean observed, SourceRef source, List<Agent> agents, SortedSet<String> resourceTypes,
        List<PeerAuthentication> peerAuthentications, List<Setting> settings, SortedMap<String, String> unread) {

    /** Read from manifests: nothing about the running cluster is known. */
    public static final Platform NOT_OBSERVED = new Platform(false, SourceRef.UNKNOWN, List.of(), new TreeSet<>(), List.of(), List.of(),
            new TreeMap<>());

    /** A DaemonSet or Deployment, with the images of its pod template's containers. */
    public record Agent(WorkloadId id, List<String> images, SourceRef source) {
        public Agent {
            Objects.requireNonNull(id, "id");
            images = List.copyOf(images);
            Objects.requireNonNull(source, "source");
        }
    }

    /** Istio's mutual-TLS modes; UNSET inherits from the enclosing level. */
    public enum MtlsMode {
        UNSET,
        DISABLE,
        PERMISSIVE,
        STRICT;

        /** The mode named in a PeerAuthentication, UNSET for none or one this version does not know. */
        public static MtlsMode parse(String text) {
            if (text == null) {
                return UNSET;
            }
            for (MtlsMode mode : values()) {
                if (mode.name().equals(text)) {
                    return mode;
                }
            }
            return UNSET;
        }
    }

    /**
     * An Istio PeerAuthentication: mesh-wide in the root namespace without a selector,
     * namespace-wide without a selector elsewhere, for the selected workloads with one.
     *
     * @param selector {@code spec.selector.matchLabels}; empty for a mesh- or namespace-wide policy
     * @param portModes {@code spec.portLevelMtls}: per container port, overriding {@code mode}
     */
    public record PeerAuthentication(String namespace, String name, SortedMap<String, String> selector, MtlsMode mode,
            SortedMap<Integer, MtlsMode> portModes, SourceRef source) {
        public PeerAuthentication {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
            Objects.requireNonNull(mode, "mode");
            portModes = Collections.unmodifiableSortedMap(new TreeMap<>(portModes));
            Objects.requireNonNull(source, "source");
        }

        public String namespacedName() {
            return namespace + "/" + name;
        }
    }

    /** A configuration object, reduced to the keys a control reads (all values as text). */
    public record Setting(String kind, String namespace, String name, SortedMap<String, String> values,
            SourceRef source) {
        public Setting {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
            Objects.requireNonNull(source, "source");
        }

        public Optional<String> value(String key) {
            return Optional.ofNullable(values.get(key));
        }
    }

    public Platform {
        Objects.requireNonNull(source, "source");
        agents = List.copyOf(agents);
        resourceTypes = Collections.unmodifiableSortedSet(new TreeSet<>(resourceTypes));
        peerAuthentications = List.copyOf(peerAuthentications);
        settings = List.copyOf(settings);
        unread = Collections.unmodifiableSortedMap(new TreeMap<>(unread));
    }

    /** Why a fact could not be read, when it could not. */
    public Optional<String> unread(String fact) {
        return Optional.ofNullable(unread.get(fact));
    }

    /** True when the cluster serves the custom resource type ({@code peerauthentications.security.istio.io}). */
    public boolean serves(String resourceType) {
        return resourceTypes.contains(resourceType);
    }

    public static Platform observed(SourceRef source, List<Agent> agents, SortedSet<String> resourceTypes,
            List<PeerAuthentication> peerAuthentications, List<Setting> settings, Map<String, String> unread) {
        return new Platform(true, source, agents, resourceTypes, peerAuthentications, settings, new TreeMap<>(unread));
    }
}
