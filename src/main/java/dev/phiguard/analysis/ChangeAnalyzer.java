package dev.phiguard.analysis;

import dev.phiguard.compliance.Auditor;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.eval.ConnectivityMap;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Direction;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyPeer;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.Profile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares two versions of a cluster: which connections the change from {@code before} to
 * {@code after} adds, removes and alters, and which findings it makes appear and disappear
 * under one profile. Pure: no I/O, no clock.
 */
public final class ChangeAnalyzer {
    private ChangeAnalyzer() {
    }

    /**
     * Compares the clusters. Both are analysed with the address boundaries of both clusters'
     * ipBlocks, so that their external ranges line up, and both are audited with
     * {@code profile}, whose threshold decides whether a new finding fails the change.
     */
    public static ChangeReport compare(Cluster before, Cluster after, Profile profile) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(profile, "profile");
        LinkedHashSet<IpSet> union = new LinkedHashSet<>(ipBlocks(before));
        union.addAll(ipBlocks(after));
        List<IpSet> boundaries = List.copyOf(union);
        ConnectivityAnalyzer.Options options = ConnectivityAnalyzer.Options.DEFAULT.withBoundaries(boundaries);
        ConnectivityMap beforeMap = ConnectivityAnalyzer.analyze(before, options);
        ConnectivityMap afterMap = ConnectivityAnalyzer.analyze(after, options);
        return new ChangeReport(ConnectivityDiff.between(beforeMap, afterMap),
                AuditDiff.between(Auditor.audit(before, profile), Auditor.audit(after, profile)));
    }

    /** The address sets of every ipBlock of every rule, in both directions. */
    static List<IpSet> ipBlocks(Cluster cluster) {
        List<IpSet> blocks = new ArrayList<>();
        for (NetworkPolicy policy : cluster.policies()) {
            for (Direction direction : Direction.values()) {
                for (PolicyRule rule : policy.rules(direction)) {
                    for (PolicyPeer peer : rule.peers()) {
                        if (peer instanceof PolicyPeer.IpBlockPeer ipBlock && !blocks.contains(ipBlock.addresses())) {
                            blocks.add(ipBlock.addresses());
                        }
                    }
                }
            }
        }
        return blocks;
    }
}
