package dev.phiguard.compliance;

import dev.phiguard.model.ContainerPort;
import dev.phiguard.model.Platform;
import dev.phiguard.model.Platform.MtlsMode;
import dev.phiguard.model.Platform.PeerAuthentication;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * PG012: mutual TLS from a service mesh covers every PHI workload. Istio: the workload has a
 * sidecar (or runs in ambient mode) and its effective PeerAuthentication mode is STRICT on every
 * port, resolved as Istio does (workload selector, else namespace, else mesh-wide in the root
 * namespace, else PERMISSIVE; port-level modes override). Linkerd: the workload or its namespace
 * asks for injection and the Linkerd control plane runs. Where two policies of one level apply,
 * the least strict counts: Istio picks the oldest, which phiguard cannot tell from a list.
 */
final class MeshMtlsCheck extends ClusterOnlyCheck {
    static final String ISTIO_ROOT_NAMESPACE = "istio-system";
    private static final String INJECT = "sidecar.istio.io/inject";
    private static final String LINKERD_INJECT = "linkerd.io/inject";

    MeshMtlsCheck() {
        super(Controls.MTLS);
    }

    /** How one PHI workload stands: covered, with how, or not, with why. */
    private record Coverage(boolean covered, String how) {
    }

    @Override
    ControlResult judge(AuditContext context, Platform platform) {
        List<Finding> findings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        boolean linkerd = platform.agents().stream().anyMatch(agent -> agent.id().kind().equals("Deployment")
                && List.of("linkerd-destination", "linkerd-identity").contains(agent.id().name()))
                || platform.resourceTypes().stream().anyMatch(type -> type.endsWith(".linkerd.io"));
        boolean istio = platform.serves("peerauthentications.security.istio.io")
                || !platform.peerAuthentications().isEmpty() || platform.unread("PeerAuthentication").isPresent()
                || platform.agents().stream().anyMatch(agent -> agent.id().kind().equals("Deployment")
                        && agent.id().name().equals("istiod"));
        for (WorkloadId id : new TreeSet<>(context.phi().workloads())) {
            Workload workload = context.workload(id);
            Coverage coverage = linkerd ? linkerd(context, workload)
                    : new Coverage(false, "no service mesh found (neither Istio nor Linkerd)");
            if (!coverage.covered() && istio) {
                coverage = istio(context, platform, workload);
            }
            if (coverage.covered()) {
                evidence.add(id + ": " + coverage.how());
                continue;
            }
            findings.add(Finding.of(info(), Severity.HIGH, id.namespace(), "PHI workload " + id
                    + " is not covered by mesh mutual TLS: " + coverage.how(), "mtls:" + id, List.of(id), List.of(),
                    List.of(), workload.source(), remediation(id.namespace()), List.of()));
        }
        Optional<String> unread = platform.unread("PeerAuthentication");
        if (!findings.isEmpty() && unread.isPresent()) {
            return ControlResult.notAssessed(info(), unread.get());
        }
        if (context.phi().workloads().isEmpty()) {
            evidence.add("no PHI workloads");
        }
        return ControlResult.assessed(info(), findings, evidence);
    }

    private static Remediation remediation(String namespace) {
        return Remediation.text("Mesh the namespace and require mTLS: label it istio-injection=enabled (restart its"
                + " pods) and apply `apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: {name:"
                + " default, namespace: " + namespace + "}, spec: {mtls: {mode: STRICT}}`; or annotate it"
                + " linkerd.io/inject=enabled with Linkerd installed.");
    }

    private static Coverage linkerd(AuditContext context, Workload workload) {
        String namespaceAsks = context.namespace(workload.namespace())
                .map(namespace -> namespace.annotations().get(LINKERD_INJECT)).orElse(null);
        for (PodTemplate template : workload.templates()) {
            String asks = template.annotations().getOrDefault(LINKERD_INJECT, namespaceAsks);
            if (!"enabled".equals(asks)) {
                return new Coverage(false, "");
            }
        }
        return new Coverage(true, "Linkerd injection (" + LINKERD_INJECT + ": enabled), whose proxies use mTLS");
    }

    private static Coverage istio(AuditContext context, Platform platform, Workload workload) {
        Map<String, String> namespaceLabels = context.namespaceLabels(workload.namespace());
        for (PodTemplate template : workload.templates()) {
            Optional<String> noSidecar = sidecarMissing(namespaceLabels, template, workload.namespace());
            if (noSidecar.isPresent()) {
                return new Coverage(false, noSidecar.get());
            }
        }
        List<PeerAuthentication> workloadLevel = new ArrayList<>();
        Optional<PeerAuthentication> namespaceLevel = Optional.empty();
        Optional<PeerAuthentication> meshLevel = Optional.empty();
        Comparator<PeerAuthentication> leastStrict = Comparator.comparing(PeerAuthentication::mode,
                Comparator.comparing(MeshMtlsCheck::strictness));
        for (PeerAuthentication policy : platform.peerAuthentications()) {
            if (!policy.selector().isEmpty()) {
                if (policy.namespace().equals(workload.namespace()) && workload.templates().stream()
                        .allMatch(template -> template.labels().entrySet().containsAll(policy.selector().entrySet()))) {
                    workloadLevel.add(policy);
                }
            } else if (policy.namespace().equals(workload.namespace())) {
                namespaceLevel = least(namespaceLevel, policy, leastStrict);
            } else if (policy.namespace().equals(ISTIO_ROOT_NAMESPACE)) {
                meshLevel = least(meshLevel, policy, leastStrict);
            }
        }
        MtlsMode mode = MtlsMode.UNSET;
        String by = "";
        for (Optional<PeerAuthentication> level : List.of(workloadLevel.stream().min(leastStrict), namespaceLevel,
                meshLevel)) {
            if (mode == MtlsMode.UNSET && level.isPresent() && level.get().mode() != MtlsMode.UNSET) {
                mode = level.get().mode();
                by = "PeerAuthentication " + level.get().namespacedName();
            }
        }
        if (mode == MtlsMode.UNSET) {
            return new Coverage(false, "no PeerAuthentication applies (mesh-wide in " + ISTIO_ROOT_NAMESPACE
                    + ", namespace " + workload.namespace() + " or workload), so Istio accepts plaintext"
                    + " (PERMISSIVE)");
        }
        if (mode != MtlsMode.STRICT) {
            return new Coverage(false, by + " sets mode " + mode);
        }
        for (PeerAuthentication policy : workloadLevel) {
            for (PodTemplate template : workload.templates()) {
                for (ContainerPort port : template.ports()) {
                    MtlsMode portMode = policy.portModes().getOrDefault(port.port(), MtlsMode.UNSET);
                    if (portMode != MtlsMode.UNSET && portMode != MtlsMode.STRICT) {
                        return new Coverage(false, "PeerAuthentication " + policy.namespacedName() + " sets port "
                                + port.port() + " to " + portMode);
                    }
                }
            }
        }
        return new Coverage(true, "Istio STRICT by " + by);
    }

    private static Optional<PeerAuthentication> least(Optional<PeerAuthentication> known, PeerAuthentication other,
            Comparator<PeerAuthentication> leastStrict) {
        return known.isEmpty() || leastStrict.compare(other, known.get()) < 0 ? Optional.of(other) : known;
    }

    /** UNSET inherits, so it ranks as strict as the strictest; DISABLE is the least strict. */
    private static int strictness(MtlsMode mode) {
        return switch (mode) {
            case DISABLE -> 0;
            case PERMISSIVE -> 1;
            case STRICT, UNSET -> 2;
        };
    }

    /** Why the pods have no Istio proxy, if they have none: PeerAuthentication binds only proxies. */
    private static Optional<String> sidecarMissing(Map<String, String> namespaceLabels, PodTemplate template,
            String namespace) {
        String podAsks = template.labels().getOrDefault(INJECT, template.annotations().get(INJECT));
        if ("false".equals(podAsks)) {
            return Optional.of("its pods opt out of the Istio sidecar (" + INJECT + ": \"false\")");
        }
        if ("ambient".equals(namespaceLabels.get("istio.io/dataplane-mode"))) {
            return Optional.empty();
        }
        String namespaceAsks = namespaceLabels.get("istio-injection");
        if ("disabled".equals(namespaceAsks)) {
            return Optional.of("namespace " + namespace + " disables Istio injection (istio-injection=disabled)");
        }
        boolean injected = "enabled".equals(namespaceAsks) || namespaceLabels.containsKey("istio.io/rev")
                || "true".equals(podAsks);
        return injected ? Optional.empty() : Optional.of("its pods get no Istio sidecar (namespace " + namespace
                + " has neither istio-injection=enabled nor istio.io/rev, and the pods do not ask for one)");
    }
}
