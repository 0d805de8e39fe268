package dev.phiguard.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.ingest.ProfileReader;
import dev.phiguard.model.Cluster;
import dev.phiguard.model.Direction;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PolicyRule;
import dev.phiguard.model.PodTemplate;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Protocol;
import dev.phiguard.model.Service;
import dev.phiguard.model.Workload;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.report.AuditJsonFormatter;
import dev.phiguard.report.AuditReport;
import dev.phiguard.synth.ClusterGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * An audit that takes judgements from an earlier one ({@code serve} after a change) gives, down to
 * the order of findings, the report a whole audit of the changed cluster gives; and it does judge
 * fewer PHI workloads when the change is small.
 */
class IncrementalAuditTest {
    private static final Profile PROFILE = ProfileReader.defaultProfile();

    @Property(tries = 500)
    void testAnAuditAfterPolicyChangesEqualsAWholeAudit(@ForAll @IntRange(min = 3, max = 10) int namespaces,
            @ForAll @IntRange(min = 20, max = 160) int workloads, @ForAll @IntRange(min = 0, max = 40) int policies,
            @ForAll @IntRange(min = 1, max = 3) int changes, @ForAll long seed) {
        Cluster before = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        Cluster after = change(before, changes, new Random(seed));
        auditAgainAgreesWithAWholeAudit(before, after, "policies %s, changed to %s".formatted(before.policies(),
                after.policies()));
    }

    /**
     * An audit of {@code after} on two threads, taking from one of {@code before}, gives the
     * report of a whole audit; the statistics say how many PHI workloads it judged again.
     */
    private static void auditAgainAgreesWithAWholeAudit(Cluster before, Cluster after, String change) {
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        Auditor.Audit again = Auditor.audit(after, PROFILE, 2, Optional.of(earlier.memory()));
        assertThat(json(again.result())).as(change).isEqualTo(json(Auditor.audit(after, PROFILE, 1)));
        assertRulesNumberedInOrder(again.result());
        int phi = again.result().phiWorkloads().size();
        Statistics.label("PHI workloads judged again").collect(phi == 0 ? "no PHI" : again.judged() == phi ? "all"
                : again.judged() == 0 ? "none" : "some");
        Statistics.label("PHI workloads judged again").coverage(coverage -> coverage.check("some").percentage(p -> p >= 5));
    }

    @Property(tries = 300)
    void testAnAuditAfterWorkloadChangesEqualsAWholeAudit(@ForAll @IntRange(min = 3, max = 10) int namespaces,
            @ForAll @IntRange(min = 20, max = 160) int workloads, @ForAll @IntRange(min = 0, max = 40) int policies,
            @ForAll @IntRange(min = 1, max = 3) int changes, @ForAll boolean alsoPolicies, @ForAll long seed) {
        Cluster before = ClusterGenerator.generate(new ClusterGenerator.Parameters(namespaces, workloads, policies,
                seed));
        Random random = new Random(seed);
        Cluster after = changeWorkloads(before, changes, random);
        if (alsoPolicies) {
            after = change(after, 1, random);
        }
        auditAgainAgreesWithAWholeAudit(before, after, "workloads %s and policies %s, changed to %s and %s"
                .formatted(before.workloads(), before.policies(), after.workloads(), after.policies()));
    }

    /** Removes, adds (a copy under another name), relabels or marks as PHI workloads at random. */
    static Cluster changeWorkloads(Cluster cluster, int changes, Random random) {
        List<Workload> workloads = new ArrayList<>(cluster.workloads());
        for (int c = 0; c < changes && !workloads.isEmpty(); c++) {
            Workload some = workloads.get(random.nextInt(workloads.size()));
            PodTemplate template = some.templates().get(0);
            switch (random.nextInt(4)) {
                case 0 -> workloads.remove(some);
                case 1 -> {
                    String namespace = cluster.namespaces().get(random.nextInt(cluster.namespaces().size())).name();
                    workloads.add(random.nextInt(workloads.size() + 1), new Workload(new WorkloadId(namespace,
                            some.id().name() + "-copy" + c, some.id().kind()), some.annotations(), some.templates(),
                            some.replicas(), some.source()));
                }
                case 2 -> workloads.set(workloads.indexOf(some),
                        relabelled(some, List.of("api", "db", "web", "relabelled").get(random.nextInt(4))));
                default -> workloads.set(workloads.indexOf(some),
                        withTemplate(some, annotated(template, Profile.PHI_ANNOTATION, "true")));
            }
        }
        return new Cluster(cluster.namespaces(), workloads, cluster.services(), cluster.policies(),
                cluster.platform());
    }

    /** The workload with its first pod template's {@code tier} label set so. */
    private static Workload relabelled(Workload workload, String tier) {
        PodTemplate template = workload.templates().get(0);
        java.util.SortedMap<String, String> labels = new java.util.TreeMap<>(template.labels());
        labels.put("tier", tier);
        return withTemplate(workload, new PodTemplate(labels, template.annotations(), template.ports(),
                template.hostNetwork()));
    }

    private static Workload withTemplate(Workload workload, PodTemplate template) {
        List<PodTemplate> templates = new ArrayList<>(workload.templates());
        templates.set(0, template);
        return new Workload(workload.id(), workload.annotations(), templates, workload.replicas(), workload.source());
    }

    @Test
    void testNothingChangedJudgesNothingAgainAndAnotherProfileEverything() {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(10, 400, 80, 7));
        Auditor.Audit earlier = Auditor.audit(cluster, PROFILE, 1, Optional.empty());
        int phi = earlier.result().phiWorkloads().size();
        assertThat(phi).isGreaterThan(10);
        assertThat(earlier.judged()).isEqualTo(phi);
        Auditor.Audit same = Auditor.audit(cluster, PROFILE, 1, Optional.of(earlier.memory()));
        assertThat(same.judged()).isZero();
        assertThat(json(same.result())).isEqualTo(json(earlier.result()));
        Profile other = new Profile("other", PROFILE.phiNamespaces(), PROFILE.phiWorkloads(), PROFILE.clients(),
                PROFILE.gateways(), PROFILE.externalDestinations(), List.of(), PROFILE.dns(), PROFILE.failOn(),
                PROFILE.source());
        assertThat(Auditor.audit(cluster, other, 1, Optional.of(earlier.memory())).judged()).isEqualTo(phi);
    }

    @Test
    void testAWorkloadChangeJudgesAgainWhatTalksWithItAndAgreesWithAWholeAudit() {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(10, 400, 80, 11));
        Auditor.Audit earlier = Auditor.audit(cluster, PROFILE, 1, Optional.empty());
        List<Workload> workloads = new ArrayList<>(cluster.workloads());
        workloads.set(workloads.size() / 2, relabelled(workloads.get(workloads.size() / 2), "relabelled"));
        Cluster relabelled = new Cluster(cluster.namespaces(), workloads, cluster.services(), cluster.policies(),
                cluster.platform());
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, relabelled);
        assertThat(again.judged()).isPositive().isLessThan(again.result().phiWorkloads().size());
    }

    /** The audit of {@code after} taking from {@code earlier}, once its report is found equal to a whole audit's. */
    /**
     * Every rule of every proposed policy is numbered by its place, as in a whole audit: the
     * report prints rules in order, not their numbers, so it would not show a narrowing taken
     * again under its earlier numbering.
     */
    private static void assertRulesNumberedInOrder(AuditResult result) {
        for (ControlResult control : result.controls()) {
            for (Finding finding : control.findings()) {
                for (NetworkPolicy policy : finding.remediation().policies()) {
                    for (Direction direction : Direction.values()) {
                        for (int r = 0; r < policy.rules(direction).size(); r++) {
                            assertThat(policy.rules(direction).get(r).index()).as("%s %s", policy, direction)
                                    .isEqualTo(r);
                        }
                    }
                }
            }
        }
    }

    private static Auditor.Audit againAgreeingWithAWholeAudit(Auditor.Audit earlier, Cluster after) {
        Auditor.Audit again = Auditor.audit(after, PROFILE, 1, Optional.of(earlier.memory()));
        assertThat(json(again.result())).isEqualTo(json(Auditor.audit(after, PROFILE, 1)));
        return again;
    }

    @Test
    void testAServiceChangeJudgesNothingAgainAndAgreesWithAWholeAudit() {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(10, 400, 80, 13));
        Auditor.Audit earlier = Auditor.audit(cluster, PROFILE, 1, Optional.empty());
        Workload target = cluster.workloads().get(cluster.workloads().size() / 3);
        List<Service> services = new ArrayList<>(cluster.services());
        services.add(new Service(target.namespace(), "new-front", target.templates().get(0).labels(),
                List.of(new Service.ServicePort("https", 443, "8443", Protocol.TCP)), target.source()));
        Cluster withService = new Cluster(cluster.namespaces(), cluster.workloads(), services, cluster.policies(),
                cluster.platform());
        assertThat(earlier.judged()).isPositive();
        assertThat(againAgreeingWithAWholeAudit(earlier, withService).judged()).isZero();
    }

    @Test
    void testScalingOrRestartingWorkloadsJudgesNothingAgainAndAgreesWithAWholeAudit() {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(10, 400, 80, 17));
        Auditor.Audit earlier = Auditor.audit(cluster, PROFILE, 1, Optional.empty());
        // every seventh workload scaled, and its pod template stamped as `kubectl rollout restart` does
        Cluster rolled = withWorkloads(cluster, 7, workload -> new Workload(workload.id(), workload.annotations(),
                List.of(annotated(workload.templates().get(0), "kubectl.kubernetes.io/restartedAt",
                        "2026-11-26T08:00:00Z")), workload.replicas() + 3, workload.source()));
        assertThat(earlier.judged()).isPositive();
        assertThat(againAgreeingWithAWholeAudit(earlier, rolled).judged()).isZero();
    }

    @Test
    void testMarkingWorkloadsAsPhiJudgesThemAgainAndAgreesWithAWholeAudit() {
        Cluster cluster = ClusterGenerator.generate(new ClusterGenerator.Parameters(10, 400, 80, 19));
        Auditor.Audit earlier = Auditor.audit(cluster, PROFILE, 1, Optional.empty());
        Cluster marked = withWorkloads(cluster, 11, workload ->
                withTemplate(workload, annotated(workload.templates().get(0), Profile.PHI_ANNOTATION, "true")));
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, marked);
        assertThat(again.result().phiWorkloads()).hasSizeGreaterThan(earlier.result().phiWorkloads().size());
        // the newly marked are judged, as is what shares their namespaces or talks with them; not all
        assertThat(again.judged()).isGreaterThanOrEqualTo(again.result().phiWorkloads().size()
                - earlier.result().phiWorkloads().size()).isLessThan(again.result().phiWorkloads().size());
    }

    /** The cluster with every {@code step}th workload (of one pod template) changed. */
    private static Cluster withWorkloads(Cluster cluster, int step,
            java.util.function.UnaryOperator<Workload> change) {
        List<Workload> workloads = new ArrayList<>(cluster.workloads());
        for (int i = 0; i < workloads.size(); i += step) {
            if (workloads.get(i).templates().size() == 1) {
                workloads.set(i, change.apply(workloads.get(i)));
            }
        }
        return new Cluster(cluster.namespaces(), workloads, cluster.services(), cluster.policies(),
                cluster.platform());
    }

    private static PodTemplate annotated(PodTemplate template, String key, String value) {
        java.util.SortedMap<String, String> annotations = new java.util.TreeMap<>(template.annotations());
        annotations.put(key, value);
        return new PodTemplate(template.labels(), annotations, template.ports(), template.hostNetwork());
    }

    private static final String TWO_WAYS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: phi, annotations: {phiguard.io/phi: "true"}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: caller, namespace: phi}
            spec:
              selector: {matchLabels: {app: caller}}
              template:
                metadata: {labels: {app: caller}}
                spec: {containers: [{name: c, image: i, ports: [{containerPort: 8443}]}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: callee, namespace: phi}
            spec:
              selector: {matchLabels: {app: callee}}
              template:
                metadata: {labels: {app: callee}}
                spec: {containers: [{name: c, image: i, ports: [{containerPort: 8443}]}]}
            ---
            # caller accepts nothing, callee opens nothing: caller only calls out, callee is only called
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: caller-in, namespace: phi}
            spec: {podSelector: {matchLabels: {app: caller}}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: callee-out, namespace: phi}
            spec: {podSelector: {matchLabels: {app: callee}}, policyTypes: [Egress]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x, namespace: app}
            spec:
              selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x}}
                spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
            """;

    @Test
    void testAPolicyOnAWorkloadsIngressJudgesAgainOnlyWhatCanReachIt() {
        Cluster before = cluster(TWO_WAYS);
        Cluster after = cluster(TWO_WAYS + policy("x-in", "app", """
                podSelector: {matchLabels: {app: x}}
                ingress: [{ports: [{port: 8001}]}]
                """));
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        assertThat(earlier.judged()).isEqualTo(2);
        // caller reaches x, whose ingress changed; x reaching callee is as it was
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, after);
        assertThat(again.judged()).isEqualTo(1);
        // and of caller, only what it reaches changed: what reaches it was judged by PG004, whose answer is taken again
        assertThat(evidenceAbout(again, "PG004", "phi/caller")).isNotNull()
                .isSameAs(evidenceAbout(earlier, "PG004", "phi/caller"));
    }

    @Test
    void testAnIngressPolicyOnAWorkloadKeepsWhatItsEgressSideFound() {
        Cluster before = cluster(TWO_WAYS);
        // not callee-...: a name callee's fixes could take judges it again whole
        Cluster after = cluster(TWO_WAYS + policy("guard-in", "phi", """
                podSelector: {matchLabels: {app: callee}}
                ingress: [{from: [{podSelector: {matchLabels: {app: caller}}}]}]
                """));
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, after);
        // callee on its ingress side, and caller, which reaches it
        assertThat(again.judged()).isEqualTo(2);
        // callee's egress side (PG005 reads its egress policies only) was not judged again
        assertThat(evidenceAbout(again, "PG005", "phi/callee")).isNotNull()
                .isSameAs(evidenceAbout(earlier, "PG005", "phi/callee"));
    }

    /** TWO_WAYS with x serving http and https, its ingress isolated and open on the port named {@code PORT}. */
    private static final String X_ISOLATED = TWO_WAYS.replace("ports: [{containerPort: 8080}]",
            "ports: [{name: http, containerPort: 8080}, {name: https, containerPort: 8443}]") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: x-in, namespace: app}
            spec:
              podSelector: {matchLabels: {app: x}}
              ingress: [{ports: [{port: PORT}]}]
            """;

    @Test
    void testAPolicyChangeOnPortsAWorkloadCannotUseJudgesItNotAgainButOneOnANamedPortItUsesDoes() {
        Cluster before = cluster(X_ISOLATED.replace("PORT", "http"));
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        // x, isolated already, opens 9090 to its own namespace alone: caller reaches x, but not on 9090
        Cluster more = cluster(X_ISOLATED.replace("PORT", "http") + policy("x-more", "app", """
                podSelector: {matchLabels: {app: x}}
                ingress: [{from: [{podSelector: {}}], ports: [{port: 9090}]}]
                """));
        assertThat(againAgreeingWithAWholeAudit(earlier, more).judged()).isZero();
        // from one named port to another: caller reaches x on 8443 instead of 8080, which its isolation fix keeps
        Cluster renamed = cluster(X_ISOLATED.replace("PORT", "https"));
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, renamed);
        assertThat(again.judged()).isEqualTo(1);
        assertThat(json(again.result())).isNotEqualTo(json(earlier.result()));
    }

    /** db in phi admits app's pods on every port, and its own on 5432; a opens only 5432, b {@code B_PORTS}. */
    private static final String TWO_RULES = phiNamespaceAnd("app") + workload("db", "phi", 5432, 8443)
            + policy("guard", "phi", """
            podSelector: {matchLabels: {app: db}}
            ingress:
              - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: app}}}]
              - from: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: 5432}]
            """) + workload("a", "app") + workload("b", "app")
            + policy("a-out", "app", "podSelector: {matchLabels: {app: a}}\negress: [{ports: [{port: 5432}]}]\n")
            + policy("b-out", "app", "podSelector: {matchLabels: {app: b}}\negress: [{ports: B_PORTS}]\n");

    @Test
    void testARuleNarrowedAsBeforeIsNumberedAfterTheRulesBeforeItAsTheyAreNow() {
        Cluster before = cluster(TWO_RULES.replace("B_PORTS", "[{port: 5432}]"));
        // b reaches db on 8443 now, not on 5432 as a does: the first rule of guard keeps two groups of peers, not one
        Cluster after = cluster(TWO_RULES.replace("B_PORTS", "[{port: 8443}]"));
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, after);
        NetworkPolicy guard = again.result().controls().stream().flatMap(control -> control.findings().stream())
                .flatMap(finding -> finding.remediation().policies().stream())
                .filter(policy -> policy.name().equals("guard")).findFirst().orElseThrow();
        assertThat(guard.ingress()).hasSize(3);
        assertRulesNumberedInOrder(again.result());
    }

    @Test
    void testABroadRuleOfAPolicyThatStayedIsTheFindingOfTheAuditBefore() {
        Auditor.Audit earlier = Auditor.audit(cluster(TWO_RULES.replace("B_PORTS", "[{port: 5432}]")), PROFILE, 1,
                Optional.empty());
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier,
                cluster(TWO_RULES.replace("B_PORTS", "[{port: 8443}]")));
        // guard admits app's pods on every port: PG007, about guard alone, which b-out's change left as it was
        assertThat(findingsOf(again, "PG007")).hasSize(1).isEqualTo(findingsOf(earlier, "PG007"));
        assertThat(findingsOf(again, "PG007").get(0)).isSameAs(findingsOf(earlier, "PG007").get(0));
    }

    @Test
    void testTheNamespaceMixingFindingOfTheAuditBeforeIsTakenAfterAPolicyChange() {
        String manifest = phiNamespaceAnd("app") + workload("a", "phi") + workload("plain", "app")
                + workload("marked", "app").replace("metadata: {labels: {app: marked}}",
                        "metadata: {labels: {app: marked}, annotations: {phiguard.io/phi: \"true\"}}")
                + policy("open", "app", "podSelector: {}\ningress: [{ports: [{port: PORT}]}]\n");
        Auditor.Audit earlier = Auditor.audit(cluster(manifest.replace("PORT", "8080")), PROFILE, 1,
                Optional.empty());
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, cluster(manifest.replace("PORT", "8081")));
        // PG010 reads workloads and namespaces alone: app mixes marked, PHI, with plain, as before
        assertThat(findingsOf(again, "PG010")).hasSize(1);
        assertThat(findingsOf(again, "PG010").get(0)).isSameAs(findingsOf(earlier, "PG010").get(0));
    }

    private static List<Finding> findingsOf(Auditor.Audit audit, String control) {
        return audit.result().controls().stream().filter(result -> result.control().id().equals(control))
                .flatMap(result -> result.findings().stream()).toList();
    }

    private static String evidenceAbout(Auditor.Audit audit, String control, String workload) {
        return audit.result().controls().stream().filter(result -> result.control().id().equals(control))
                .flatMap(result -> result.evidence().stream()).filter(line -> line.startsWith(workload))
                .findFirst().orElse(null);
    }

    @Test
    void testAPolicyInTheNamespaceJudgesAgainOnlyTheWorkloadsWhoseFixesCouldTakeItsName() {
        Cluster before = cluster(TWO_WAYS);
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        // selects no pod, so only its name can matter: callee's ingress fix would have taken it
        Cluster named = withPolicyOnNoPod(before, "callee-allow-ingress");
        Auditor.Audit again = Auditor.audit(named, PROFILE, 1, Optional.of(earlier.memory()));
        assertThat(again.judged()).isEqualTo(1);
        assertThat(json(again.result())).isEqualTo(json(Auditor.audit(named, PROFILE, 1)))
                .contains("callee-allow-ingress-phiguard");
        // default-deny-... is a name any workload's isolation fix may take
        Cluster denyNamed = withPolicyOnNoPod(before, "default-deny-ingress");
        assertThat(againAgreeingWithAWholeAudit(earlier, denyNamed).judged()).isEqualTo(2);
        // any other name, on no pod, changes nothing a PHI workload is judged on
        Cluster elsewhere = withPolicyOnNoPod(before, "unrelated");
        assertThat(againAgreeingWithAWholeAudit(earlier, elsewhere).judged()).isZero();
    }

    /** Namespace phi, whose workloads hold PHI, and another, {@code other}, as the start of a manifest. */
    private static String phiNamespaceAnd(String other) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: phi, annotations: {phiguard.io/phi: "true"}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                ---
                """.formatted(other);
    }

    // one policy admits everything to both PHI workloads: a fix narrows it for both at once
    private static final String SHARED_POLICY = phiNamespaceAnd("app") + policy("open", "phi", """
            podSelector: {}
            ingress: [{ports: [{port: 8080}, {port: 8081}]}]
            """) + policy("sender-out", "app", """
            podSelector: {matchLabels: {app: sender}}
            policyTypes: [Egress]
            egress:
            - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}]
              ports: [{port: PORT}]
            """) + workload("a", "phi") + workload("b", "phi") + workload("sender", "app") + workload("other", "app");

    /** The cluster a manifest gives, read as a file c.yaml. */
    private static Cluster cluster(String manifest) {
        return dev.phiguard.ingest.ManifestReader.readString("c.yaml", manifest).cluster();
    }

    /** A NetworkPolicy document to add to a manifest: its name, its namespace and its spec's lines. */
    private static String policy(String name, String namespace, String spec) {
        return """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                """.formatted(name, namespace) + spec.indent(2);
    }

    private static String workload(String name, String namespace) {
        return workload(name, namespace, 8080, 8081);
    }

    /** A Deployment document labelled {@code app: NAME}, its container on the ports given. */
    private static String workload(String name, String namespace, int... ports) {
        return """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec: {containers: [{name: c, image: i, ports: [%3$s]}]}
                """.formatted(name, namespace, String.join(", ", java.util.Arrays.stream(ports)
                        .mapToObj(port -> "{containerPort: " + port + "}").toList()));
    }

    @Test
    void testAFindingJudgedBeforeHasItsFixesAgainWhenAPolicyItSharesIsNarrowedForOthers() {
        Cluster before = cluster(SHARED_POLICY.replace("PORT", "8080"));
        Cluster after = cluster(SHARED_POLICY.replace("PORT", "8081"));
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        assertThat(earlier.judged()).isEqualTo(2);
        // sender reaches a alone, on another port now: b's findings stand, but the fix of policy open they share differs
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, after);
        assertThat(again.judged()).isEqualTo(1);
        assertThat(json(again.result())).isNotEqualTo(json(earlier.result()));
    }

    private static final String DNS_BEHIND_A_WALL = phiNamespaceAnd("kube-system") + policy("to-dns", "phi", """
            podSelector: {}
            policyTypes: [Egress]
            egress:
            - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}},
                    podSelector: {matchLabels: {k8s-app: kube-dns}}}]
              ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
            """) + policy("deny", "kube-system", "podSelector: {}\npolicyTypes: [Ingress]\n") + workload("p", "phi");

    @Test
    void testADnsServerAddedJudgesAgainEveryWorkloadItServesThoughNoneReachesIt() {
        Cluster before = cluster(DNS_BEHIND_A_WALL);
        Cluster after = cluster(DNS_BEHIND_A_WALL
                + workload("coredns", "kube-system").replace("app: coredns", "k8s-app: kube-dns"));
        Auditor.Audit earlier = Auditor.audit(before, PROFILE, 1, Optional.empty());
        // without a DNS server in the input, p's rules are judged against the one the profile describes: they admit it
        assertThat(json(earlier.result())).doesNotContain("cannot reach cluster DNS");
        // the server that comes is walled off: p cannot reach it, before or after, yet its DNS finding is new
        Auditor.Audit again = againAgreeingWithAWholeAudit(earlier, after);
        assertThat(json(again.result())).contains("cannot reach cluster DNS");
        assertThat(again.judged()).isEqualTo(1);
    }

    /** The cluster with one more ingress policy in namespace phi, named so, selecting no pod. */
    private static Cluster withPolicyOnNoPod(Cluster cluster, String name) {
        List<NetworkPolicy> policies = new ArrayList<>(cluster.policies());
        policies.add(new NetworkPolicy("phi", name, LabelSelector.of(java.util.Map.of("app", "nobody")),
                Optional.of(java.util.EnumSet.of(Direction.INGRESS)), List.of(), List.of(),
                cluster.policies().get(0).source()));
        return new Cluster(cluster.namespaces(), cluster.workloads(), cluster.services(), policies,
                cluster.platform());
    }

    /** Removes, adds, narrows or widens policies at random, and moves one within the list. */
    static Cluster change(Cluster cluster, int changes, Random random) {
        List<NetworkPolicy> policies = new ArrayList<>(cluster.policies());
        List<String> namespaces = cluster.namespaces().stream().map(n -> n.name()).toList();
        for (int c = 0; c < changes; c++) {
            int kind = policies.isEmpty() ? 1 : random.nextInt(6);
            NetworkPolicy some = policies.isEmpty() ? null : policies.get(random.nextInt(policies.size()));
            switch (kind) {
                case 0 -> policies.remove(some);
                case 1 -> {
                    String namespace = namespaces.get(random.nextInt(namespaces.size()));
                    String name = "added-" + c;
                    if (random.nextInt(3) == 0) {
                        // a name a fix of some workload would take, so that fixes named around it are covered
                        Workload named = cluster.workloads().get(random.nextInt(cluster.workloads().size()));
                        namespace = named.namespace();
                        String direction = random.nextBoolean() ? "ingress" : "egress";
                        name = random.nextBoolean() ? named.id().name() + "-allow-" + direction : "default-deny-" + direction;
                    }
                    String taken = namespace + "/" + name;
                    if (policies.stream().anyMatch(policy -> policy.namespacedName().equals(taken))) {
                        name = "added-" + c;
                    }
                    NetworkPolicy model = some != null ? some : new NetworkPolicy(namespace, "x", LabelSelector.ALL,
                            Optional.empty(), List.of(), List.of(), cluster.workloads().get(0).source());
                    policies.add(random.nextInt(policies.size() + 1), new NetworkPolicy(namespace, name,
                            model.podSelector(), model.declaredPolicyTypes(), model.ingress(), model.egress(),
                            model.source()));
                }
                case 2 -> policies.set(policies.indexOf(some), new NetworkPolicy(some.namespace(), some.name(),
                        some.podSelector(), some.declaredPolicyTypes(), drop(some.ingress(), random),
                        drop(some.egress(), random), some.source()));
                case 3 -> policies.set(policies.indexOf(some), new NetworkPolicy(some.namespace(), some.name(),
                        LabelSelector.ALL, some.declaredPolicyTypes(), some.ingress(), some.egress(), some.source()));
                case 4 -> {
                    policies.remove(some);
                    policies.add(random.nextInt(policies.size() + 1), some);
                }
                default -> policies.set(policies.indexOf(some), new NetworkPolicy(some.namespace(), some.name(),
                        some.podSelector(), some.declaredPolicyTypes(), otherPorts(some.ingress(), random),
                        otherPorts(some.egress(), random), some.source()));
            }
        }
        return new Cluster(cluster.namespaces(), cluster.workloads(), cluster.services(), policies,
                cluster.platform());
    }

    /**
     * The rules with one of them on other ports: a named one, a number, any UDP port, or all; what
     * such a change alters is confined to the ports before and after, on pods it isolated before.
     */
    private static List<PolicyRule> otherPorts(List<PolicyRule> rules, Random random) {
        if (rules.isEmpty()) {
            return rules;
        }
        List<PolicyRule> changed = new ArrayList<>(rules);
        int r = random.nextInt(changed.size());
        PolicyRule rule = changed.get(r);
        List<dev.phiguard.model.PolicyPort> ports = switch (random.nextInt(4)) {
            case 0 -> List.of(new dev.phiguard.model.PolicyPort.NamedPort(Protocol.TCP,
                    List.of("http", "https", "postgres").get(random.nextInt(3))));
            case 1 -> List.of(new dev.phiguard.model.PolicyPort.PortNumbers(Protocol.TCP,
                    dev.phiguard.model.PortRange.of(List.of(8080, 8443, 5432).get(random.nextInt(3)))));
            case 2 -> List.of(new dev.phiguard.model.PolicyPort.AnyPort(Protocol.UDP));
            default -> List.of();
        };
        changed.set(r, new PolicyRule(rule.direction(), rule.index(), rule.peers(), ports, rule.source()));
        return changed;
    }

    private static List<PolicyRule> drop(List<PolicyRule> rules, Random random) {
        if (rules.isEmpty()) {
            return rules;
        }
        List<PolicyRule> fewer = new ArrayList<>(rules);
        fewer.remove(random.nextInt(fewer.size()));
        return fewer;
    }

    private static String json(AuditResult result) {
        return new AuditJsonFormatter().format(new AuditReport(result, List.of(), "profile", "test",
                Optional.of("2026-01-01")));
    }
}
