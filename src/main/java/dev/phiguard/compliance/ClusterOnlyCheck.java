package dev.phiguard.compliance;

/**
 * A control that only a live cluster can answer (which CNI runs, whether mTLS and flow logs are
 * on): from manifests it is reported as not assessed, never as passed.
 */
final class ClusterOnlyCheck implements Control {
    private final ControlInfo info;

    ClusterOnlyCheck(ControlInfo info) {
        this.info = info;
    }

    @Override
    public ControlInfo info() {
        return info;
    }

    @Override
    public ControlResult check(AuditContext context) {
        return ControlResult.notAssessed(info, "needs --cluster: manifests cannot show it");
    }
}
