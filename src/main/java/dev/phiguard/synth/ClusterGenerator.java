package dev.phiguard.synth;

import dev.phiguard.model.Cluster;
import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Direction;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.Namespace;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyPort;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PortRange;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates realistic synthetic clusters for benchmarks and tests: namespaces of skewed sizes
 * owned by a few teams, workloads whose labels repeat across namespaces, and NetworkPolicies of
 * every shape (default deny, DNS, pod and namespace selectors alone and together, ipBlock with
 * except, named ports, port ranges, ingress and egress). The same parameters and seed always
 * give the same cluster. Pure: no I/O.
 */
public final class ClusterGenerator {

    /** What to generate. */
    public record Parameters(int namespaces, int workloads, int policies, long seed) {
        public Parameters {
            if (namespaces < 1 || workloads < 0 || policies < 0) {
                throw new IllegalArgumentException("need at least one namespace and no negative counts: "
                        + namespaces + " namespaces, " + workloads + " workloads, " + policies + " policies");
            }
        }
    }

    private static final String[] TEAMS = {"platform", "clinical", "billing", "identity", "data", "web", "mobile",
        "research", "security", "ops"};
    private static final String[] ENVS = {"prod", "prod", "prod", "staging", "staging", "dev"};
    private static final Tier[] TIERS = {
        new Tier("web", 8080, "http", Protocol.TCP),
        new Tier("api", 8443, "https", Protocol.TCP),
        new Tier("db", 5432, "postgres", Protocol.TCP),
        new Tier("cache", 6379, "redis", Protocol.TCP),
        new Tier("queue", 5671, "amqps", Protocol.TCP),
        new Tier("worker", 9090, "grpc", Protocol.TCP),
        new Tier("dns", 53, "dns", Protocol.UDP),
        new Tier("stream", 9000, "sctp-feed", Protocol.SCTP)};
    private static final String[] KINDS = {"Deployment", "Deployment", "Deployment", "Deployment", "Deployment",
        "Deployment", "Deployment", "StatefulSet", "StatefulSet", "DaemonSet", "CronJob", "Job"};
    private static final String[] CIDRS = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "0.0.0.0/0",
        "203.0.113.0/24", "198.51.100.0/24", "100.64.0.0/10"};

    private record Tier(String name, int port, String portName, Protocol protocol) {
    }

    private final Parameters parameters;
    private final SplittableRandom random;
    private final List<Namespace> namespaces = new ArrayList<>();
    private final Map<String, List<Workload>> byNamespace = new LinkedHashMap<>();
    private final List<Workload> workloads = new ArrayList<>();

    private ClusterGenerator(Parameters parameters) {
        this.parameters = parameters;
        this.random = new SplittableRandom(parameters.seed());
    }

    public static Cluster generate(Parameters parameters) {
        return new ClusterGenerator(Objects.requireNonNull(parameters, "parameters")).build();
    }

    private Cluster build() {
        for (int n = 0; n < parameters.namespaces(); n++) {
            TreeMap<String, String> labels = new TreeMap<>();
            labels.put("team", skewed(TEAMS));
            labels.put("env", ENVS[random.nextInt(ENVS.length)]);
            boolean phi = random.nextInt(10) == 0;
            if (phi) {
                labels.put("phiguard.io/zone", "phi");
            }
            TreeMap<String, String> annotations = new TreeMap<>();
            if (phi) {
                annotations.put(Profile.PHI_ANNOTATION, "true");
            }
            String name = String.format("ns-%04d", n);
            namespaces.add(new Namespace(name, labels, annotations, SourceRef.UNKNOWN));
            byNamespace.put(name, new ArrayList<>());
        }
        for (int w = 0; w < parameters.workloads(); w++) {
            // a few namespaces hold most workloads, as in real clusters
            Namespace namespace = namespaces.get(skewedIndex(namespaces.size()));
            Workload workload = workload(namespace, w);
            workloads.add(workload);
            byNamespace.get(namespace.name()).add(workload);
        }
        List<NetworkPolicy> policies = new ArrayList<>();
        int index = 0;
        // most teams deny by default and allow DNS, as a hospital's platform team would require; a few forget
        for (Namespace namespace : namespaces) {
            boolean phi = "true".equals(namespace.annotations().get(Profile.PHI_ANNOTATION));
            if (policies.size() < parameters.policies() && random.nextInt(100) < (phi ? 97 : 85)) {
                policies.add(defaultDeny(namespace, index++));
            }
            if (policies.size() < parameters.policies() && random.nextInt(100) < 80) {
                policies.add(allowDns(namespace, index++));
            }
        }
        while (policies.size() < parameters.policies()) {
            Namespace namespace = namespaces.get(skewedIndex(namespaces.size()));
            policies.add(policy(namespace, index++));
        }
        return new Cluster(namespaces, workloads, List.of(), policies);
    }

    private Workload workload(Namespace namespace, int n) {
        Tier tier = TIERS[skewedIndex(TIERS.length)];
        String app = tier.name() + "-" + random.nextInt(Math.max(2, parameters.workloads() / 20 + 1));
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("app", app);
        labels.put("tier", tier.name());
        labels.put("team", random.nextInt(4) == 0 ? skewed(TEAMS) : namespace.labels().get("team"));
        if (random.nextInt(3) == 0) {
            labels.put("version", "v" + (1 + random.nextInt(3)));
        }
        if (random.nextInt(5) == 0) {
            labels.put("metrics", "enabled");
        }
        List<ContainerPort> ports = new ArrayList<>();
        ports.add(new ContainerPort(tier.portName(), tier.port(), tier.protocol()));
        if (labels.containsKey("metrics")) {
            ports.add(new ContainerPort("metrics", 9102, Protocol.TCP));
        }
        TreeMap<String, String> annotations = new TreeMap<>();
        // PHI lives in PHI namespaces, with the odd stray PHI workload elsewhere
        if ("true".equals(namespace.annotations().get(Profile.PHI_ANNOTATION)) || random.nextInt(100) == 0) {
            annotations.put(Profile.PHI_ANNOTATION, "true");
        }
        String kind = KINDS[random.nextInt(KINDS.length)];
        PodTemplate template = new PodTemplate(labels, annotations, ports, false);
        return new Workload(new WorkloadId(namespace.name(), String.format("%s-%05d", app, n), kind), annotations,
                List.of(template), kind.equals("StatefulSet") || kind.equals("Deployment") ? 1 + random.nextInt(3)
                        : 1, SourceRef.UNKNOWN);
    }

    private NetworkPolicy defaultDeny(Namespace namespace, int n) {
        return new NetworkPolicy(namespace.name(), String.format("np-%05d-default-deny", n), LabelSelector.ALL,
                Optional.of(EnumSet.of(Direction.INGRESS, Direction.EGRESS)), List.of(), List.of(), SourceRef.UNKNOWN);
    }

    private NetworkPolicy allowDns(Namespace namespace, int n) {
        PolicyRule dns = new PolicyRule(Direction.EGRESS, 0, List.of(PolicyPeer.SelectorPeer.podsInNamespaces(
                LabelSelector.of(Map.of("team", "platform")), LabelSelector.of(Map.of("tier", "dns")))),
                List.of(new PolicyPort.PortNumbers(Protocol.UDP, PortRange.of(53)),
                        new PolicyPort.PortNumbers(Protocol.TCP, PortRange.of(53))), SourceRef.UNKNOWN);
        return new NetworkPolicy(namespace.name(), String.format("np-%05d-dns", n), LabelSelector.ALL,
                Optional.of(EnumSet.of(Direction.EGRESS)), List.of(), List.of(dns), SourceRef.UNKNOWN);
    }

    private NetworkPolicy policy(Namespace namespace, int n) {
        String name = String.format("np-%05d", n);
        LabelSelector subject = podSelector(namespace);
        List<PolicyRule> ingress = new ArrayList<>();
        List<PolicyRule> egress = new ArrayList<>();
        int rules = 1 + random.nextInt(3);
        for (int r = 0; r < rules; r++) {
            if (random.nextInt(3) == 0) {
                egress.add(rule(Direction.EGRESS, egress.size(), namespace));
            } else {
                ingress.add(rule(Direction.INGRESS, ingress.size(), namespace));
            }
        }
        Optional<java.util.Set<Direction>> types = random.nextInt(3) == 0 ? Optional.empty()
                : Optional.of(egress.isEmpty() ? EnumSet.of(Direction.INGRESS)
                        : EnumSet.of(Direction.INGRESS, Direction.EGRESS));
        return new NetworkPolicy(namespace.name(), name, subject, types, ingress, egress, SourceRef.UNKNOWN);
    }

    private PolicyRule rule(Direction direction, int index, Namespace namespace) {
        List<PolicyPeer> peers = new ArrayList<>();
        // a rule without peers admits everyone: common enough elsewhere, a rare mistake where PHI lives
        boolean phi = "true".equals(namespace.annotations().get(Profile.PHI_ANNOTATION));
        int peerCount = random.nextInt(phi ? 50 : 6) == 0 ? 0 : 1 + random.nextInt(2);
        for (int p = 0; p < peerCount; p++) {
            peers.add(peer(namespace));
        }
        List<PolicyPort> ports = new ArrayList<>();
        int portCount = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(2);
        for (int p = 0; p < portCount; p++) {
            ports.add(port());
        }
        return new PolicyRule(direction, index, peers, ports, SourceRef.UNKNOWN);
    }

    /**
     * Mostly named workloads, here or in a named namespace; sometimes a whole team or every
     * namespace. Rules in PHI namespaces are reviewed harder: they name the apps they admit, and
     * a broad peer is a rare mistake (one in fifty).
     */
    private PolicyPeer peer(Namespace namespace) {
        boolean reviewed = "true".equals(namespace.annotations().get(Profile.PHI_ANNOTATION))
                && random.nextInt(50) != 0;
        int shape = reviewed ? random.nextInt(70) : random.nextInt(100);
        if (shape < 40) {
            return PolicyPeer.SelectorPeer.pods(reviewed ? appSelector(namespace) : podSelector(namespace));
        }
        if (shape < 70) {
            Namespace other = namespaces.get(skewedIndex(namespaces.size()));
            return PolicyPeer.SelectorPeer.podsInNamespaces(
                    LabelSelector.of(Map.of(Namespace.NAME_LABEL, other.name())),
                    reviewed ? appSelector(other) : podSelector(other));
        }
        if (shape < 80) {
            return PolicyPeer.SelectorPeer.podsInNamespaces(namespaceSelector(), LabelSelector.of(Map.of("tier",
                    TIERS[skewedIndex(TIERS.length)].name())));
        }
        if (shape < 85) {
            return PolicyPeer.SelectorPeer.namespaces(namespaceSelector());
        }
        return ipBlock();
    }

    private PolicyPeer ipBlock() {
        String cidr = CIDRS[random.nextInt(CIDRS.length)];
        List<String> except = new ArrayList<>();
        if (cidr.equals("0.0.0.0/0") && random.nextBoolean()) {
            except.add("10.0.0.0/8");
        } else if (cidr.equals("10.0.0.0/8") && random.nextBoolean()) {
            except.add("10." + random.nextInt(256) + ".0.0/16");
        }
        return PolicyPeer.IpBlockPeer.of(cidr, except);
    }

    private PolicyPort port() {
        Tier tier = TIERS[skewedIndex(TIERS.length)];
        return switch (random.nextInt(6)) {
            case 0 -> new PolicyPort.NamedPort(tier.protocol(), tier.portName());
            case 1 -> new PolicyPort.PortNumbers(Protocol.TCP, PortRange.of(8000 + random.nextInt(100),
                    8100 + random.nextInt(900)));
            case 2 -> new PolicyPort.AnyPort(Protocol.UDP);
            default -> new PolicyPort.PortNumbers(tier.protocol(), PortRange.of(tier.port()));
        };
    }

    /** A selector over the labels workloads of the namespace carry, so it usually selects some. */
    private LabelSelector podSelector(Namespace namespace) {
        List<Workload> here = byNamespace.get(namespace.name());
        return switch (random.nextInt(12)) {
            case 0 -> LabelSelector.ALL;
            case 1 -> LabelSelector.of(Map.of(), List.of(LabelSelector.Requirement.of("tier",
                    LabelSelector.Operator.IN, TIERS[random.nextInt(TIERS.length)].name(),
                    TIERS[random.nextInt(TIERS.length)].name())));
            case 2 -> LabelSelector.of(Map.of(), List.of(LabelSelector.Requirement.of("metrics",
                    random.nextBoolean() ? LabelSelector.Operator.EXISTS : LabelSelector.Operator.DOES_NOT_EXIST)));
            case 3 -> LabelSelector.of(Map.of("tier", TIERS[skewedIndex(TIERS.length)].name()),
                    List.of(LabelSelector.Requirement.of("version", LabelSelector.Operator.NOT_IN, "v3")));
            default -> here.isEmpty() ? LabelSelector.of(Map.of("tier", "api"))
                    : LabelSelector.of(Map.of("app", here.get(random.nextInt(here.size())).labels().get("app")));
        };
    }

    /** One app of the namespace, by its label. */
    private LabelSelector appSelector(Namespace namespace) {
        List<Workload> here = byNamespace.get(namespace.name());
        return here.isEmpty() ? LabelSelector.of(Map.of("tier", "api"))
                : LabelSelector.of(Map.of("app", here.get(random.nextInt(here.size())).labels().get("app")));
    }

    private LabelSelector namespaceSelector() {
        return switch (random.nextInt(4)) {
            case 0 -> LabelSelector.ALL;
            case 1 -> LabelSelector.of(Map.of("env", ENVS[random.nextInt(ENVS.length)]));
            case 2 -> LabelSelector.of(Map.of("team", skewed(TEAMS)));
            default -> LabelSelector.of(Map.of(Namespace.NAME_LABEL,
                    namespaces.get(random.nextInt(namespaces.size())).name()));
        };
    }

    private String skewed(String[] values) {
        return values[skewedIndex(values.length)];
    }

    /** An index where small values are much likelier: roughly Zipf-distributed. */
    private int skewedIndex(int size) {
        double u = random.nextDouble();
        return Math.min(size - 1, (int) Math.floor(Math.pow(size + 1, u) - 1));
    }
}
