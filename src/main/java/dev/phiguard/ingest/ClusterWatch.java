package dev.phiguard.ingest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Says when an object phiguard reads changes in a live cluster: one fabric8 informer per kind,
 * which lists, then watches, lists again when a watch ends with 410 Gone and reconnects with
 * back-off on errors.
 * Writes that cannot change the answer — a pod's or a controller's status — are not reported,
 * so that a busy cluster is not read again for every heartbeat. Only reads: list and watch.
 *
 * <p>fabric8 lists again only when the 410 comes as an ERROR event on the watch; a reconnecting
 * watch refused with an HTTP 410 is taken for a connection error and retried from the same,
 * expired resourceVersion, and what changes meanwhile would never be seen. So an informer found
 * not watching at two checks in a row is replaced by a new one, which lists afresh, as a restart
 * of phiguard would.
 */
public final class ClusterWatch implements AutoCloseable {
    /** How often informers are checked for a watch that is not running. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Runnable onChange;
    // replaced when an informer is restarted; guarded by itself
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
    private final List<String> unwatched = new ArrayList<>();
    // both touched only on the checker's thread
    private final Set<String> notWatchingLastCheck = new HashSet<>();
    private final Set<String> restarting = new HashSet<>();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "phiguard-watch-check");
        thread.setDaemon(true);
        return thread;
    });
    private final ResourceEventHandler<HasMetadata> handler;
    private volatile boolean synced;
    private volatile boolean closed;

    private ClusterWatch(KubernetesClient client, Runnable onChange) {
        this.client = client;
        this.onChange = onChange;
        this.handler = handler(this, onChange);
    }

    /**
     * Lists and starts watching every kind phiguard reads; returns once each has been listed.
     * A kind that cannot be watched (forbidden, say) is left out and named in {@link #unwatched}.
     */
    public static ClusterWatch start(KubernetesClient client, Runnable onChange) {
        return start(client, onChange, CHECK_EVERY);
    }

    /** As {@link #start(KubernetesClient, Runnable)}, checking the informers every {@code checkEvery}. */
    public static ClusterWatch start(KubernetesClient client, Runnable onChange, Duration checkEvery) {
        ClusterWatch watch = new ClusterWatch(client, onChange);
        for (Map.Entry<String, Function<KubernetesClient, ? extends Informable<? extends HasMetadata>>> kind
                : ClusterReader.watchable().entrySet()) {
            try {
                SharedIndexInformer<? extends HasMetadata> informer = kind.getValue().apply(client)
                        .inform(watch.handler, 0);
                synchronized (watch.informers) {
                    watch.informers.put(kind.getKey(), informer);
                }
            } catch (KubernetesClientException e) {
                watch.unwatched.add(kind.getKey() + " (" + (e.getCode() == 403 ? "forbidden: RBAC needs list and watch"
                        : e.getCode() > 0 ? "HTTP " + e.getCode() : "the API server did not answer") + ")");
            }
        }
        watch.synced = true;
        long millis = checkEvery.toMillis();
        watch.checker.scheduleWithFixedDelay(watch::restartStalled, millis, millis, TimeUnit.MILLISECONDS);
        return watch;
    }

    private static ResourceEventHandler<HasMetadata> handler(ClusterWatch watch, Runnable onChange) {
        return new ResourceEventHandler<>() {
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
    }

    /**
     * Starts a new informer for each kind whose informer was not watching at this check and the
     * last; the old one keeps serving its objects until the new one has listed.
     */
    private void restartStalled() {
        Map<String, SharedIndexInformer<? extends HasMetadata>> now;
        synchronized (informers) {
            now = new LinkedHashMap<>(informers);
        }
        now.forEach((kind, informer) -> {
            if (informer.isWatching()) {
                notWatchingLastCheck.remove(kind);
            } else if (!notWatchingLastCheck.add(kind) && restarting.add(kind)) {
                notWatchingLastCheck.remove(kind);
                try {
                    restart(kind, informer);
                } catch (RuntimeException e) {
                    // a failing check must not end the checking: the next ones try again
                    restarting.remove(kind);
                }
            }
        });
    }

    private void restart(String kind, SharedIndexInformer<? extends HasMetadata> stalled) {
        SharedIndexInformer<? extends HasMetadata> fresh = ClusterReader.watchable().get(kind).apply(client)
                .runnableInformer(0);
        fresh.addEventHandler(handler);
        fresh.start().whenComplete((listed, failed) -> {
            try {
                checker.execute(() -> {
                    restarting.remove(kind);
                    // listed but refused a watch again, it still holds what is there now: the next checks
                    // list again as long as no watch can be had
                    if ((failed == null || fresh.hasSynced()) && replace(kind, fresh)) {
                        stalled.stop();
                        onChange.run();
                    } else {
                        // not listed (the API server does not answer, say): the next checks try again
                        fresh.stop();
                    }
                });
            } catch (RejectedExecutionException e) {
                fresh.stop(); // closed meanwhile
            }
        });
    }

    private boolean replace(String kind, SharedIndexInformer<? extends HasMetadata> fresh) {
        synchronized (informers) {
            if (closed) {
                return false;
            }
            informers.put(kind, fresh);
            return true;
        }
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
        Map<String, SharedIndexInformer<? extends HasMetadata>> now;
        synchronized (informers) {
            now = new LinkedHashMap<>(informers);
        }
        Map<String, List<HasMetadata>> held = new LinkedHashMap<>();
        now.forEach((kind, informer) -> {
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
        checker.shutdownNow();
        synchronized (informers) {
            closed = true;
            informers.values().forEach(SharedIndexInformer::close);
        }
    }
}
