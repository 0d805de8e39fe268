package dev.phiguard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phiguard.compliance.PhiScope;
import dev.phiguard.eval.ConnectivityAnalyzer;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.ingest.ProfileReader;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhiPostureTest {
    /** Two PHI pods: one fenced in both ways and reached only from its own namespace, one open. */
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: phi, annotations: {phiguard.io/phi: "true"}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: web}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: phi, labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: phi, labels: {app: api}}
            spec: {containers: [{name: api, image: api}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: site, namespace: web, labels: {app: site}}
            spec: {containers: [{name: site, image: nginx}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db, namespace: phi}
            spec:
              podSelector: {matchLabels: {app: db}}
              policyTypes: [Ingress, Egress]
              ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
            """;

    @Test
    void testCountsPhiWorkloadsTheUnisolatedAndThoseReachableFromOutsideTheZone() {
        IngestResult in = ManifestReader.readString("test.yaml", CLUSTER);
        PhiScope phi = PhiScope.of(in.cluster(), ProfileReader.defaultProfile());
        PhiPosture posture = PhiPosture.of(in.cluster(), phi, ConnectivityAnalyzer.analyze(in.cluster()));
        assertThat(posture).isEqualTo(new PhiPosture(2, 1, 1));
    }

    @Test
    void testTheClinic() {
        IngestResult in = ManifestReader.read(List.of(System.getProperty("phiguard.projectRoot", ".")
                + "/examples/clinic"), InputStream.nullInputStream());
        PhiScope phi = PhiScope.of(in.cluster(), in.profiles().get(0));
        PhiPosture posture = PhiPosture.of(in.cluster(), phi, ConnectivityAnalyzer.analyze(in.cluster()));
        assertThat(posture.phiWorkloads()).isEqualTo(6);
        assertThat(posture.notIsolated()).as("billing/claims-worker has no egress policy").isEqualTo(1);
    }
}
