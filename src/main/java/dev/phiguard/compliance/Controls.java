package dev.phiguard.compliance;

import dev.phiguard.model.Severity;
import java.util.List;
import java.util.Optional;

/** The catalogue of controls, in the order reports list them. Ids are stable and never reused. */
public final class Controls {
    static final ControlInfo CNI_ENFORCES = new ControlInfo("PG011", "cni-enforces-network-policy",
            "The cluster's network plugin enforces NetworkPolicy", Severity.CRITICAL,
            List.of(Citations.CIS_CNI, Citations.ACCESS_CONTROL),
            "NetworkPolicy objects do nothing unless the CNI implements them: with flannel or kindnet alone every"
                    + " policy here is decoration. Only the running cluster shows which plugin is there.",
            true);
    static final ControlInfo MTLS = new ControlInfo("PG012", "phi-mtls",
            "Mutual TLS from a service mesh covers every PHI workload", Severity.HIGH,
            List.of(Citations.TRANSMISSION_SECURITY, Citations.AUTHENTICATION, Citations.NIST66_TRANSMISSION),
            "NetworkPolicy says who may connect by address, not who is on the other end; mesh mTLS (Istio"
                    + " PeerAuthentication STRICT, Linkerd) authenticates both ends and encrypts every hop.",
            true);
    static final ControlInfo FLOW_LOGS = new ControlInfo("PG013", "flow-logging",
            "Network flow logging is on", Severity.MEDIUM,
            List.of(Citations.AUDIT_CONTROLS, Citations.NIST66_AUDIT),
            "Audit controls require recording activity on systems with PHI; flow logs (Cilium Hubble, Calico) show"
                    + " which connections were actually made and refused.",
            true);

    private static final List<Control> ALL = List.of(
            new PhiNamespaceDefaultDenyCheck(),
            new PhiWorkloadIsolatedCheck(),
            new PhiExternalIngressCheck(),
            new PhiLeastPrivilegeCheck(),
            new PhiExternalEgressCheck(),
            new PhiEncryptedPortsCheck(),
            new PhiBroadRuleCheck(),
            new PhiDnsCheck(),
            new NamespaceHasPolicyCheck(),
            new PhiNamespaceMixingCheck(),
            new CniEnforcesPolicyCheck(),
            new MeshMtlsCheck(),
            new FlowLoggingCheck());

    private Controls() {
    }

    public static List<Control> all() {
        return ALL;
    }

    public static List<ControlInfo> catalogue() {
        return ALL.stream().map(Control::info).toList();
    }

    /** A control by id ({@code PG004}) or name ({@code phi-least-privilege-ingress}). */
    public static Optional<Control> find(String idOrName) {
        return ALL.stream().filter(control -> control.info().id().equalsIgnoreCase(idOrName)
                || control.info().name().equals(idOrName)).findFirst();
    }
}
