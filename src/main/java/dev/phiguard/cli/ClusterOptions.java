package dev.phiguard.cli;

import dev.phiguard.ingest.ClusterReader;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Whether a command reads the live cluster, and which one. */
public final class ClusterOptions {

    /** The footer lines every command that reads a cluster shows. */
    static final String FOOTER_NOTE = "With --cluster phiguard only reads (get, list); deploy/rbac.yaml is the\n"
            + "ClusterRole it needs. Live objects are named cluster:CONTEXT/Kind/namespace/name.";

    @Option(names = "--cluster",
            description = "Read the live cluster, read-only: the kubeconfig's current context (KUBECONFIG, else"
                    + " ~/.kube/config), or the pod's service account when phiguard runs in a pod. PATHs given as"
                    + " well are applied on top of it, as `kubectl apply` of them would change it.")
    boolean cluster;

    @Option(names = "--context", paramLabel = "NAME",
            description = "With --cluster: the kubeconfig context to use instead of the current one.")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "With --cluster: the kubeconfig file to use instead of KUBECONFIG or ~/.kube/config.")
    Path kubeconfig;

    ClusterReader.Target target() {
        return new ClusterReader.Target(Optional.ofNullable(kubeconfig), Optional.ofNullable(context));
    }

    /** A usage problem with these options, if any. */
    Optional<String> problem() {
        if (!cluster && (context != null || kubeconfig != null)) {
            return Optional.of((context != null ? "--context" : "--kubeconfig") + " needs --cluster");
        }
        return Optional.empty();
    }
}
