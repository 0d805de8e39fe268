package dev.phiguard.ingest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Says when an object phiguard reads changes in a live cluster: one fabric8 informer per kind,
 * which lists, then watches, lists again after 410 Gone and reconnects with back-off on errors.
 * Writes that cannot change the answer — a pod's or a controller's status — are not reported,
 * so that a busy cluster is not read again for every heartbeat. Only reads: list and watch.
 */
public final class ClusterWatch implements AutoCloseable {
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
    private final List<String> unwatched = new ArrayList<>();
    private volatile boolean synced;

    private ClusterWatch() {
    }

    /**
     * Lists and starts watching every kind phiguard reads; returns once each has been listed.
     * A kind that cannot be watched (forbidden, say) is left out and named in {@link #unwatched}.
     */
    public static ClusterWatch start(KubernetesClient client, Runnable onChange) {
        ClusterWatch watch = new ClusterWatch();
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                // the first list adds everything there is: that is the state already read, not a change
                if (watch.synced) {
                    onChange.run();
                }
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                if (matters(before, after)) {
                    onChange.run();
                }
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                onChange.run();
            }
        };
        for (Map.Entry<String, Function<KubernetesClient, ? extends Informable<? extends HasMetadata>>> kind
                : ClusterReader.watchable().entrySet()) {
            try {
                watch.informers.put(kind.getKey(), kind.getValue().apply(client).inform(handler, 0));
            } catch (KubernetesClientException e) {
                watch.unwatched.add(kind.getKey() + " (" + (e.getCode() == 403 ? "forbidden: RBAC needs list and watch"
                        : e.getCode() > 0 ? "HTTP " + e.getCode() : "the API server did not answer") + ")");
            }
        }
        watch.synced = true;
        return watch;
    }

    /**
     * True when a write can change what phiguard reads of the object: its labels, annotations,
     * owners or spec (seen through {@code metadata.generation} where the kind keeps one), and for
     * a pod its containers and whether it still runs.
     */
    static boolean matters(HasMetadata before, HasMetadata after) {
        ObjectMeta was = before.getMetadata();
        ObjectMeta is = after.getMetadata();
        if (!Objects.equals(orEmpty(was.getLabels()), orEmpty(is.getLabels()))
                || !Objects.equals(orEmpty(was.getAnnotations()), orEmpty(is.getAnnotations()))
                || !Objects.equals(was.getOwnerReferences(), is.getOwnerReferences())) {
            return true;
        }
        if (before instanceof Pod wasPod && after instanceof Pod isPod) {
            return !Objects.equals(wasPod.getSpec(), isPod.getSpec())
                    || !Objects.equals(phase(wasPod), phase(isPod));
        }
        if (is.getGeneration() != null) {
            return !Objects.equals(was.getGeneration(), is.getGeneration());
        }
        // a kind without generations: any write may have changed it
        return !Objects.equals(was.getResourceVersion(), is.getResourceVersion());
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    /**
     * The objects of every watched kind as the watch holds them now, by kind, each kind in the
     * order the API server lists it (by namespace, then name).
     */
    public Map<String, List<HasMetadata>> held() {
        Map<String, List<HasMetadata>> held = new LinkedHashMap<>();
        informers.forEach((kind, informer) -> {
            List<HasMetadata> objects = new ArrayList<>(informer.getStore().list());
            objects.sort(Comparator.comparing((HasMetadata object) -> Objects.toString(
                    object.getMetadata().getNamespace(), "")).thenComparing(object -> object.getMetadata().getName()));
            held.put(kind, objects);
        });
        return held;
    }

    /** The kinds that could not be watched, each with why; changes to them are not seen. */
    public List<String> unwatched() {
        return List.copyOf(unwatched);
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}
