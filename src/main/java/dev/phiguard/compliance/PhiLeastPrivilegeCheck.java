package dev.phiguard.compliance;

import dev.phiguard.eval.Connection;
import dev.phiguard.model.ConnectionSet;
import dev.phiguard.model.Direction;
import dev.phiguard.model.Peer;
import dev.phiguard.model.Severity;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import java.util.ArrayList;
import java.util.List;

/** PG004: only PHI workloads and profile-listed clients reach a PHI workload, on the listed ports. */
final class PhiLeastPrivilegeCheck extends PhiWorkloadCheck {
    static final ControlInfo INFO = new ControlInfo("PG004", "phi-least-privilege-ingress",
            "Only PHI workloads and profile-listed clients reach a PHI workload", Severity.HIGH,
            List.of(Citations.ACCESS_CONTROL, Citations.NIST_SEPARATION, Citations.NIST_MIXING,
                    Citations.NIST66_ACCESS),
            "Access control means only authorised software reaches electronic PHI. Every path from a workload"
                    + " that neither holds PHI nor is listed as a client is access nobody decided to grant: a"
                    + " compromise of that workload becomes a path to the records.",
            false);

    @Override
    public ControlInfo info() {
        return INFO;
    }

    @Override
    void check(AuditContext context, Workload workload, List<Finding> findings, List<String> evidence) {
        WorkloadId id = workload.id();
        int accepted = 0;
        for (Connection connection : context.inbound(id)) {
            if (!(connection.source() instanceof Peer.WorkloadPeer source)) {
                continue;
            }
            if (context.phi().isPhi(source.id())) {
                accepted++;
                continue;
            }
            Workload client = context.workload(source.id());
            ConnectionSet excess = connection.connections()
                    .minus(context.clientAllowance(client, workload, false));
            if (excess.isEmpty()) {
                accepted++;
                continue;
            }
            List<String> clients = context.clients(client, workload).stream().map(c -> c.name()).toList();
            String why = clients.isEmpty() ? "it is neither a PHI workload nor a profile client"
                    : "profile client " + String.join(", ", clients) + " does not cover these ports";
            findings.add(Finding.of(INFO, INFO.severity(), id.namespace(),
                    source.id() + " can connect to PHI workload " + id + " on " + Checks.ports(excess) + " ("
                            + why + "; " + Checks.how(connection.ingress()) + ")",
                    source.id() + "|" + id + "|" + excess, List.of(source.id(), id), List.of(connection),
                    Checks.rules(connection), Checks.location(connection.ingress(), workload),
                    Remediation.text("Narrow the ingress of " + id + " so that " + source.id()
                            + " is no longer admitted on " + Checks.ports(excess) + ", or, if it needs the access,"
                            + " list it as a client in the profile."),
                    List.of(new Finding.Grant(id, Direction.INGRESS, source, excess))));
        }
        evidence.add(id + ": " + accepted + " inbound connection(s) from PHI workloads or profile clients");
    }
}
