package dev.phiguard.ingest;

import dev.phiguard.model.Platform;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.WorkloadId;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Reads a live cluster, read-only: lists the kinds phiguard analyses and gathers the facts the
 * cluster-only controls judge (network plugin, mesh, flow logs). It never writes.
 *
 * <p>What a missing permission costs is decided kind by kind. Without Namespaces (their labels)
 * or NetworkPolicies no answer would be right, so a 403 on either stops the read. A workload kind
 * or Services that cannot be listed are left out with an error diagnostic (so {@code --strict}
 * stops) and the rest is analysed: pods of an unread controller still show up, under their
 * owner's name. A custom resource type that is absent (404) is information, not a problem; one
 * that is forbidden leaves the control that needs it not assessed.
 */
public final class ClusterReader {
    /** Where live objects point: {@code cluster:CONTEXT/Kind/namespace/name}. */
    public static final String SCHEME = "cluster:";
    static final String IN_CLUSTER = "in-cluster";
    private static final long PAGE = 500;
    private static final List<String> READ_VERBS = List.of("get", "list", "watch");
    private static final String ISTIO_GROUP = "security.istio.io";
    private static final String CALICO_GROUP = "crd.projectcalico.org";

    /** Which cluster to read: a kubeconfig file and context, each defaulting as kubectl's do. */
    public record Target(Optional<Path> kubeconfig, Optional<String> context) {
        public static final Target DEFAULT = new Target(Optional.empty(), Optional.empty());
    }

    /** The cluster cannot be read at all; the message says why and what to do. */
    public static final class AccessException extends Exception {
        private static final long serialVersionUID = 1L;

        AccessException(String message) {
            super(message);
        }
    }

    /**
     * What was read: the objects to analyse (controllers, and only the pods and ReplicaSets no read
     * controller owns), the platform facts, and problems with parts of the read.
     */
    public record Snapshot(String context, String server, List<LiveObject> objects, Platform platform,
            List<Diagnostic> diagnostics) {
        public Snapshot {
            objects = List.copyOf(objects);
            diagnostics = List.copyOf(diagnostics);
        }

        /** {@code cluster:CONTEXT}, the name of this input in reports. */
        public String label() {
            return SCHEME + context;
        }

        /** Where an object of this snapshot points. */
        public SourceRef sourceOf(String kind, String namespace, String name) {
            return SourceRef.of(label() + "/" + kind + "/" + (namespace.isEmpty() ? name : namespace + "/" + name));
        }
    }

    /** An object as listed, with its kind and apiVersion, which list items may leave out. */
    public record LiveObject(String kind, String apiVersion, HasMetadata object) {
    }

    /**
     * A kind phiguard lists (and {@code serve --cluster} watches), with the RBAC resource that
     * grants it.
     */
    private record Kind(String kind, String group, String resource, boolean required,
            Function<KubernetesClient, FilterWatchListDeletable<? extends HasMetadata,
                    ? extends KubernetesResourceList<? extends HasMetadata>, ?>> operation) {
        String qualified() {
            return group.isEmpty() ? resource : resource + "." + group;
        }

        Function<ListOptions, KubernetesResourceList<? extends HasMetadata>> list(KubernetesClient client) {
            return options -> operation.apply(client).list(options);
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("Namespace", "", "namespaces", true, KubernetesClient::namespaces),
            new Kind("NetworkPolicy", "networking.k8s.io", "networkpolicies", true,
                    client -> client.network().v1().networkPolicies().inAnyNamespace()),
            new Kind("Service", "", "services", false, client -> client.services().inAnyNamespace()),
            new Kind("Deployment", "apps", "deployments", false,
                    client -> client.apps().deployments().inAnyNamespace()),
            new Kind("StatefulSet", "apps", "statefulsets", false,
                    client -> client.apps().statefulSets().inAnyNamespace()),
            new Kind("DaemonSet", "apps", "daemonsets", false, client -> client.apps().daemonSets().inAnyNamespace()),
            new Kind("ReplicaSet", "apps", "replicasets", false,
                    client -> client.apps().replicaSets().inAnyNamespace()),
            new Kind("ReplicationController", "", "replicationcontrollers", false,
                    client -> client.replicationControllers().inAnyNamespace()),
            new Kind("Job", "batch", "jobs", false, client -> client.batch().v1().jobs().inAnyNamespace()),
            new Kind("CronJob", "batch", "cronjobs", false, client -> client.batch().v1().cronjobs().inAnyNamespace()),
            new Kind("Pod", "", "pods", false, client -> client.pods().inAnyNamespace()));

    /** The kinds phiguard reads, each with how to watch it: what {@link ClusterWatch} informs on. */
    static Map<String, Function<KubernetesClient, ? extends Informable<? extends HasMetadata>>> watchable() {
        Map<String, Function<KubernetesClient, ? extends Informable<? extends HasMetadata>>> kinds =
                new LinkedHashMap<>();
        KINDS.forEach(kind -> kinds.put(kind.kind(), kind.operation()));
        return kinds;
    }

    /**
     * Every resource phiguard reads, as {@code group/resource} ({@code /pods} for the core group),
     * so that the ClusterRole in deploy/ can be checked against it. The one ConfigMap it reads,
     * Cilium's, is granted by name in a Role of its own.
     */
    public static List<String> resourcesRead() {
        List<String> resources = new ArrayList<>();
        KINDS.forEach(kind -> resources.add(kind.group() + "/" + kind.resource()));
        resources.add("apiextensions.k8s.io/customresourcedefinitions");
        resources.add(ISTIO_GROUP + "/peerauthentications");
        resources.add(CALICO_GROUP + "/felixconfigurations");
        return resources;
    }

    private final KubernetesClient client;
    private final String context;
    private final String server;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, String> unread = new TreeMap<>();
    /** Objects of some kinds as a watch already holds them, so that they need not be listed again. */
    private Map<String, List<HasMetadata>> held = Map.of();

    private ClusterReader(KubernetesClient client, String context) {
        this.client = client;
        this.context = context;
        this.server = client.getConfiguration().getMasterUrl();
    }

    /** Connects as kubectl would (the kubeconfig's context, or the pod's service account) and reads. */
    public static Snapshot read(Target target) throws AccessException {
        try (Connection connection = connect(target)) {
            return read(connection.client(), connection.context());
        }
    }

    /** A client kept for reading again and again ({@code phiguard serve}); closing it closes the client. */
    public record Connection(KubernetesClient client, String context) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** Connects as kubectl would (the kubeconfig's context, or the pod's service account), without reading. */
    public static Connection connect(Target target) throws AccessException {
        Config config = config(target);
        String contextName = config.getCurrentContext() != null ? config.getCurrentContext().getName() : IN_CLUSTER;
        // fail fast: phiguard is interactive or on a schedule, and the default retries take minutes
        Config quick = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).withConnectionTimeout(10_000)
                .withRequestTimeout(60_000).build();
        return new Connection(new KubernetesClientBuilder().withConfig(quick)
                .withHttpClientFactory(new JdkHttpClientFactory()).build(), contextName);
    }

    /** Reads through a client already made, naming the context {@code context} in sources. */
    public static Snapshot read(KubernetesClient client, String context) throws AccessException {
        return new ClusterReader(client, context).read();
    }

    /**
     * Reads as {@link #read(KubernetesClient, String)}, but takes the objects of the kinds in
     * {@code held} (by kind, as a {@link ClusterWatch} holds them) instead of listing them: a
     * server re-reading on every change would otherwise list every pod each time. The few
     * platform facts are still asked for, which also tells whether the API server answers.
     */
    public static Snapshot read(KubernetesClient client, String context, Map<String, List<HasMetadata>> held)
            throws AccessException {
        ClusterReader reader = new ClusterReader(client, context);
        reader.held = Map.copyOf(held);
        return reader.read();
    }

    private static Config config(Target target) throws AccessException {
        if (target.kubeconfig().isPresent()) {
            Path file = target.kubeconfig().get();
            if (!Files.isReadable(file)) {
                throw new AccessException("--kubeconfig " + file + ": no such file, or it cannot be read");
            }
            Config config;
            try {
                config = Config.fromKubeconfig(target.context().orElse(null), file.toFile());
            } catch (RuntimeException e) {
                // fabric8 lets the YAML parser's exceptions through; a broken file is bad input, not a defect
                throw new AccessException("--kubeconfig " + file + ": not a usable kubeconfig: "
                        + firstLine(e.getMessage()));
            }
            checkContext(config, target, file.toString());
            return config;
        }
        boolean inPod = new File(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH).isFile();
        boolean kubeconfig = Config.getKubeconfigFilenames().stream().anyMatch(name -> new File(name).isFile());
        if (!kubeconfig && !inPod) {
            throw new AccessException("no kubeconfig found (" + String.join(", ", Config.getKubeconfigFilenames())
                    + ") and not running in a pod: point at one with --kubeconfig FILE or KUBECONFIG");
        }
        Config config;
        try {
            config = Config.autoConfigure(target.context().orElse(null));
        } catch (RuntimeException e) {
            throw new AccessException("the kubeconfig (" + String.join(", ", Config.getKubeconfigFilenames())
                    + ") is not usable: " + firstLine(e.getMessage()));
        }
        checkContext(config, target, "the kubeconfig");
        return config;
    }

    private static void checkContext(Config config, Target target, String where) throws AccessException {
        if (target.context().isEmpty()) {
            return;
        }
        String wanted = target.context().get();
        List<String> names = config.getContexts() == null ? List.of()
                : config.getContexts().stream().map(named -> named.getName()).toList();
        if (!names.contains(wanted)) {
            throw new AccessException("--context " + wanted + ": no such context in " + where
                    + (names.isEmpty() ? "" : " (it has: " + String.join(", ", names) + ")"));
        }
    }

    private Snapshot read() throws AccessException {
        Map<String, List<HasMetadata>> byKind = new LinkedHashMap<>();
        List<Kind> forbiddenRequired = new ArrayList<>();
        List<Kind> forbiddenWorkloads = new ArrayList<>();
        for (Kind kind : KINDS) {
            if (held.containsKey(kind.kind())) {
                byKind.put(kind.kind(), held.get(kind.kind()));
                continue;
            }
            try {
                byKind.put(kind.kind(), listAll(kind.list(client)));
            } catch (KubernetesClientException e) {
                fatalUnlessPartial(e, kind.qualified());
                if (e.getCode() == 403 && kind.required()) {
                    forbiddenRequired.add(kind);
                } else if (e.getCode() == 403) {
                    if (!kind.kind().equals("Service")) {
                        forbiddenWorkloads.add(kind);
                    }
                    diagnostics.add(Diagnostic.error(SourceRef.of(SCHEME + context), "cannot list "
                            + kind.qualified() + " (403 Forbidden): " + kind.kind() + " objects are left out and the"
                            + " rest is analysed" + (kind.kind().equals("Pod") || kind.kind().equals("Service") ? ""
                            : "; their pods are still analysed if Pods can be listed, under the nearest owner that"
                            + " can be") + ". Grant it with this ClusterRole rule: "
                            + flowRule(kind.group(), kind.resource())));
                } else {
                    diagnostics.add(Diagnostic.warning(SourceRef.of(SCHEME + context), "the API server does not serve "
                            + kind.qualified() + " (" + e.getCode() + "); no " + kind.kind() + " objects read"));
                }
            }
        }
        if (!forbiddenRequired.isEmpty()) {
            throw new AccessException(forbiddenMessage(forbiddenRequired, "without NetworkPolicies and Namespaces"
                    + " no answer would be right"));
        }
        long workloadKinds = KINDS.stream().filter(kind -> !kind.required() && !kind.kind().equals("Service")).count();
        if (forbiddenWorkloads.size() == workloadKinds) {
            // an audit of no workloads would pass every PHI control: refuse rather than pass vacuously
            throw new AccessException(forbiddenMessage(forbiddenWorkloads, "no workload of any kind can be read,"
                    + " and an audit of none would pass vacuously"));
        }
        List<LiveObject> objects = analysed(byKind);
        Platform platform = platform(byKind);
        return new Snapshot(context, server, objects, platform, diagnostics);
    }

    private String forbiddenMessage(List<Kind> forbidden, String why) {
        String resources = forbidden.stream().map(Kind::qualified).collect(Collectors.joining(", "));
        StringBuilder message = new StringBuilder("the API server at ").append(server).append(" (context ")
                .append(context).append(") forbids listing ").append(resources).append(" in all namespaces (403);"
                        + " ").append(why).append(", so nothing is analysed.\n")
                .append("Grant phiguard read access (verbs get, list, watch) with a ClusterRole such as this one,"
                        + " bound to the user or service account phiguard runs as (deploy/rbac.yaml holds the"
                        + " complete role):\n")
                .append("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                        + "  name: phiguard-reader\nrules:\n");
        for (Kind kind : forbidden) {
            message.append("- apiGroups: [\"").append(kind.group()).append("\"]\n  resources: [\"")
                    .append(kind.resource()).append("\"]\n  verbs: [\"get\", \"list\", \"watch\"]\n");
        }
        return message.append("Check with: kubectl --context ").append(context).append(" auth can-i list ")
                .append(forbidden.get(0).qualified()).append(" --all-namespaces").toString();
    }

    static String flowRule(String group, String resource) {
        return "{apiGroups: [\"" + group + "\"], resources: [\"" + resource + "\"], verbs: "
                + READ_VERBS.stream().map(verb -> "\"" + verb + "\"").collect(Collectors.joining(", ", "[", "]"))
                + "}";
    }

    /** Stops the read for a problem no partial answer survives: no connection, refused credentials. */
    private void fatalUnlessPartial(KubernetesClientException e, String what) throws AccessException {
        int code = e.getCode();
        if (code == 403 || code == 404) {
            return;
        }
        if (code == 401) {
            throw new AccessException("the API server at " + server + " refused the credentials of context " + context
                    + " (401 Unauthorized): they are missing, invalid or expired. Log in again (refresh the token,"
                    + " e.g. with your cloud provider's CLI), then check with: kubectl --context " + context
                    + " auth whoami");
        }
        Throwable cause = rootCause(e);
        if (code <= 0 && isUnreachable(cause)) {
            throw new AccessException("cannot reach the API server at " + server + " (context " + context + "): "
                    + describe(e) + ". Is the cluster running and the context the right one? Check with:"
                    + " kubectl --context " + context + " cluster-info; choose another with --context NAME or"
                    + " --kubeconfig FILE");
        }
        throw new AccessException("the API server at " + server + " (context " + context + ") failed to list " + what
                + (code <= 0 ? "" : " (" + code + ")") + ": " + firstLine(e.getMessage())
                + ". Try again; if it persists, check the API server's health with: kubectl --context " + context
                + " get --raw /readyz");
    }

    /** No HTTP answer came back: every I/O failure (refused, unknown host, timeout, TLS) is one. */
    private static boolean isUnreachable(Throwable cause) {
        return cause instanceof java.io.IOException;
    }

    /** The most telling cause in the chain: the JDK client wraps a refused connection in others. */
    private static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof HttpTimeoutException) {
                return "no answer in time";
            }
            if (cause instanceof SSLException) {
                return "TLS failed (" + cause.getMessage() + "); is the certificate authority in the kubeconfig right?";
            }
        }
        Throwable root = rootCause(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Every item of a list, page by page, so a large cluster is not one huge response. */
    private static List<HasMetadata> listAll(Function<ListOptions, KubernetesResourceList<? extends HasMetadata>> list) {
        List<HasMetadata> items = new ArrayList<>();
        String next = null;
        do {
            ListOptions options = new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build();
            KubernetesResourceList<? extends HasMetadata> page = list.apply(options);
            items.addAll(page.getItems());
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return items;
    }

    /**
     * The objects to analyse. Controllers speak for the pods they own, so an object whose
     * controlling owner was read is left to that owner: a Deployment's ReplicaSets and their pods,
     * a CronJob's Jobs. Pods that have finished hold no address and are left out too.
     */
    private static List<LiveObject> analysed(Map<String, List<HasMetadata>> byKind) {
        Set<String> read = new HashSet<>();
        for (Map.Entry<String, List<HasMetadata>> entry : byKind.entrySet()) {
            for (HasMetadata object : entry.getValue()) {
                read.add(key(entry.getKey(), object.getMetadata().getNamespace(), object.getMetadata().getName()));
            }
        }
        List<LiveObject> kept = new ArrayList<>();
        for (Map.Entry<String, List<HasMetadata>> entry : byKind.entrySet()) {
            for (HasMetadata object : entry.getValue()) {
                if (object instanceof Pod pod && pod.getStatus() != null
                        && Set.of("Succeeded", "Failed").contains(pod.getStatus().getPhase())) {
                    continue;
                }
                Optional<OwnerReference> owner = controller(object);
                if (owner.isPresent() && read.contains(key(owner.get().getKind(), object.getMetadata().getNamespace(),
                        owner.get().getName()))) {
                    continue;
                }
                // list items come without kind and apiVersion from the API server; the conversion needs both
                kept.add(new LiveObject(entry.getKey(), ObjectDecoder.DEFAULT_API_VERSIONS.get(entry.getKey()),
                        object));
            }
        }
        return kept;
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        if (owners == null) {
            return Optional.empty();
        }
        return owners.stream().filter(owner -> Boolean.TRUE.equals(owner.getController())).findFirst();
    }

    private static String key(String kind, String namespace, String name) {
        return kind + " " + (namespace == null ? "" : namespace) + "/" + name;
    }

    // ---- the facts of the cluster-only controls ----

    private Platform platform(Map<String, List<HasMetadata>> byKind) throws AccessException {
        List<Platform.Agent> agents = new ArrayList<>();
        for (String kind : List.of("DaemonSet", "Deployment")) {
            for (HasMetadata object : byKind.getOrDefault(kind, List.of())) {
                PodTemplateSpec template = object instanceof DaemonSet daemonSet && daemonSet.getSpec() != null
                        ? daemonSet.getSpec().getTemplate()
                        : object instanceof Deployment deployment && deployment.getSpec() != null
                        ? deployment.getSpec().getTemplate() : null;
                List<String> images = new ArrayList<>();
                if (template != null && template.getSpec() != null) {
                    List<Container> containers = new ArrayList<>();
                    if (template.getSpec().getInitContainers() != null) {
                        containers.addAll(template.getSpec().getInitContainers());
                    }
                    if (template.getSpec().getContainers() != null) {
                        containers.addAll(template.getSpec().getContainers());
                    }
                    containers.stream().map(Container::getImage).filter(image -> image != null).forEach(images::add);
                }
                String namespace = object.getMetadata().getNamespace();
                String name = object.getMetadata().getName();
                agents.add(new Platform.Agent(new WorkloadId(namespace, name, kind), images,
                        sourceOf(kind, namespace, name)));
            }
        }
        if (!byKind.containsKey("DaemonSet")) {
            unread.put("DaemonSet", "DaemonSets cannot be listed; grant " + flowRule("apps", "daemonsets"));
        }
        TreeSet<String> resourceTypes = customResourceTypes();
        boolean typesKnown = !unread.containsKey("CustomResourceDefinition");
        List<Platform.PeerAuthentication> peerAuthentications = new ArrayList<>();
        if (!typesKnown || resourceTypes.contains("peerauthentications." + ISTIO_GROUP)) {
            peerAuthentications = peerAuthentications();
        }
        List<Platform.Setting> settings = new ArrayList<>();
        ciliumConfig(agents).ifPresent(settings::add);
        if (!typesKnown || resourceTypes.contains("felixconfigurations." + CALICO_GROUP)) {
            settings.addAll(felixConfigurations());
        }
        return Platform.observed(SourceRef.of(SCHEME + context), agents, resourceTypes, peerAuthentications, settings, unread);
    }

    private SourceRef sourceOf(String kind, String namespace, String name) {
        return SourceRef.of(SCHEME + context + "/" + kind + "/"
                + (namespace == null || namespace.isEmpty() ? name : namespace + "/" + name));
    }

    private TreeSet<String> customResourceTypes() throws AccessException {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (HasMetadata definition : listAll(options -> client.apiextensions().v1()
                    .customResourceDefinitions().list(options))) {
                names.add(definition.getMetadata().getName());
            }
        } catch (KubernetesClientException e) {
            fatalUnlessPartial(e, "customresourcedefinitions.apiextensions.k8s.io");
            if (e.getCode() == 403) {
                unread.put("CustomResourceDefinition", "CustomResourceDefinitions cannot be listed (403); grant "
                        + flowRule("apiextensions.k8s.io", "customresourcedefinitions"));
            }
        }
        return names;
    }

    private List<Platform.PeerAuthentication> peerAuthentications() throws AccessException {
        for (String version : List.of("v1", "v1beta1")) {
            ResourceDefinitionContext type = new ResourceDefinitionContext.Builder().withGroup(ISTIO_GROUP)
                    .withVersion(version).withKind("PeerAuthentication").withPlural("peerauthentications")
                    .withNamespaced(true).build();
            try {
                List<Platform.PeerAuthentication> result = new ArrayList<>();
                for (HasMetadata object : listAll(options -> client.genericKubernetesResources(type).inAnyNamespace()
                        .list(options))) {
                    result.add(peerAuthentication((GenericKubernetesResource) object));
                }
                return result;
            } catch (KubernetesClientException e) {
                fatalUnlessPartial(e, "peerauthentications." + ISTIO_GROUP);
                if (e.getCode() == 403) {
                    unread.put("PeerAuthentication", "Istio PeerAuthentications cannot be listed (403); grant "
                            + flowRule(ISTIO_GROUP, "peerauthentications"));
                    return List.of();
                }
                // 404: this version is not served; the next one may be, else Istio is not installed
            }
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private Platform.PeerAuthentication peerAuthentication(GenericKubernetesResource object) {
        Map<String, Object> spec = object.getAdditionalProperties().get("spec") instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of();
        Map<String, String> selector = new TreeMap<>();
        if (spec.get("selector") instanceof Map<?, ?> selectorMap
                && selectorMap.get("matchLabels") instanceof Map<?, ?> labels) {
            labels.forEach((key, value) -> selector.put(String.valueOf(key), String.valueOf(value)));
        }
        Platform.MtlsMode mode = spec.get("mtls") instanceof Map<?, ?> mtls
                ? Platform.MtlsMode.parse(mtls.get("mode") instanceof String text ? text : null)
                : Platform.MtlsMode.UNSET;
        Map<Integer, Platform.MtlsMode> portModes = new TreeMap<>();
        if (spec.get("portLevelMtls") instanceof Map<?, ?> ports) {
            ports.forEach((port, mtls) -> {
                try {
                    Platform.MtlsMode portMode = mtls instanceof Map<?, ?> m && m.get("mode") instanceof String text
                            ? Platform.MtlsMode.parse(text) : Platform.MtlsMode.UNSET;
                    portModes.put(Integer.parseInt(String.valueOf(port)), portMode);
                } catch (NumberFormatException e) {
                    // Istio rejects such a key; nothing to apply
                }
            });
        }
        String namespace = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        return new Platform.PeerAuthentication(namespace, name, new TreeMap<>(selector), mode,
                new TreeMap<>(portModes), sourceOf("PeerAuthentication", namespace, name));
    }

    /** Cilium's ConfigMap in the namespace of its agent, reduced to the Hubble keys. */
    private Optional<Platform.Setting> ciliumConfig(List<Platform.Agent> agents) throws AccessException {
        Optional<Platform.Agent> cilium = agents.stream()
                .filter(agent -> agent.id().kind().equals("DaemonSet") && agent.id().name().equals("cilium"))
                .findFirst();
        if (cilium.isEmpty()) {
            return Optional.empty();
        }
        String namespace = cilium.get().id().namespace();
        try {
            io.fabric8.kubernetes.api.model.ConfigMap config = client.configMaps().inNamespace(namespace)
                    .withName("cilium-config").get();
            if (config == null || config.getData() == null) {
                return Optional.empty();
            }
            Map<String, String> hubble = new TreeMap<>();
            config.getData().forEach((key, value) -> {
                if (key.startsWith("enable-hubble") || key.startsWith("hubble-")) {
                    hubble.put(key, value);
                }
            });
            return Optional.of(new Platform.Setting("ConfigMap", namespace, "cilium-config", new TreeMap<>(hubble),
                    sourceOf("ConfigMap", namespace, "cilium-config")));
        } catch (KubernetesClientException e) {
            fatalUnlessPartial(e, "configmaps");
            if (e.getCode() == 403) {
                unread.put("ConfigMap " + namespace + "/cilium-config", "Cilium's ConfigMap " + namespace
                        + "/cilium-config cannot be read (403); grant get on it with a Role in " + namespace + ": "
                        + "{apiGroups: [\"\"], resources: [\"configmaps\"], resourceNames: [\"cilium-config\"],"
                        + " verbs: [\"get\"]}");
            }
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Platform.Setting> felixConfigurations() throws AccessException {
        ResourceDefinitionContext type = new ResourceDefinitionContext.Builder().withGroup(CALICO_GROUP)
                .withVersion("v1").withKind("FelixConfiguration").withPlural("felixconfigurations")
                .withNamespaced(false).build();
        List<Platform.Setting> settings = new ArrayList<>();
        try {
            for (HasMetadata listed : listAll(options -> client.genericKubernetesResources(type).list(options))) {
                GenericKubernetesResource object = (GenericKubernetesResource) listed;
                Map<String, Object> spec = object.getAdditionalProperties().get("spec") instanceof Map<?, ?> map
                        ? (Map<String, Object>) map : Map.of();
                Map<String, String> flowLogs = new TreeMap<>();
                spec.forEach((key, value) -> {
                    if (key.startsWith("flowLogs")) {
                        flowLogs.put(key, String.valueOf(value));
                    }
                });
                String name = object.getMetadata().getName();
                settings.add(new Platform.Setting("FelixConfiguration", "", name, new TreeMap<>(flowLogs),
                        sourceOf("FelixConfiguration", "", name)));
            }
        } catch (KubernetesClientException e) {
            fatalUnlessPartial(e, "felixconfigurations." + CALICO_GROUP);
            if (e.getCode() == 403) {
                unread.put("FelixConfiguration", "Calico FelixConfigurations cannot be listed (403); grant "
                        + flowRule(CALICO_GROUP, "felixconfigurations"));
            }
        }
        return settings;
    }
}
