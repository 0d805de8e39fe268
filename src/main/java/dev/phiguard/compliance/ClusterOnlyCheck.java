package dev.phiguard.compliance;

import dev.phiguard.model.Platform;

/**
 * A control that only a live cluster can answer (which CNI runs, whether mTLS and flow logs are
 * on): from manifests it is reported as not assessed, never as passed; with {@code --cluster}
 * it judges what the reader observed of the platform.
 */
abstract class ClusterOnlyCheck implements Control {
    static final String NEEDS_CLUSTER = "needs --cluster: manifests cannot show it";

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
        Platform platform = context.cluster().platform();
        if (!platform.observed()) {
            return ControlResult.notAssessed(info, NEEDS_CLUSTER);
        }
        return judge(context, platform);
    }

    /** The outcome on a live cluster, from what was observed of it. */
    abstract ControlResult judge(AuditContext context, Platform platform);
}
