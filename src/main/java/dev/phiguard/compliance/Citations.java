package dev.phiguard.compliance;

/** The citations controls share, written once. */
final class Citations {
    static final Citation ACCESS_CONTROL = Citation.hipaa("(a)(1)", "Access control");
    static final Citation AUDIT_CONTROLS = Citation.hipaa("(b)", "Audit controls");
    static final Citation AUTHENTICATION = Citation.hipaa("(d)", "Person or entity authentication");
    static final Citation TRANSMISSION_SECURITY = Citation.hipaa("(e)(1)", "Transmission security");
    static final Citation ENCRYPTION = Citation.hipaa("(e)(2)(ii)", "Encryption");
    static final Citation CIS_CNI = Citation.cis("5.3.1", "Ensure that the CNI in use supports Network Policies");
    static final Citation CIS_NAMESPACES = Citation.cis("5.3.2",
            "Ensure that all Namespaces have Network Policies defined");
    static final Citation NIST_SEPARATION = Citation.nist800190("4.3.3",
            "Poorly separated inter-container network traffic");
    static final Citation NIST_MIXING = Citation.nist800190("4.3.4", "Mixing of workload sensitivity levels");
    static final Citation NIST_EGRESS = Citation.nist800190("4.4.2", "Unbounded network access from containers");
    static final Citation NIST66_ACCESS = Citation.nist80066("5.3.1", "Access Control");
    static final Citation NIST66_AUDIT = Citation.nist80066("5.3.2", "Audit Controls");
    static final Citation NIST66_TRANSMISSION = Citation.nist80066("5.3.5", "Transmission Security");

    private Citations() {
    }
}
