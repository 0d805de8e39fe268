package dev.phiguard.server;

import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ProfileChoice;
import dev.phiguard.model.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the answer for a {@link SnapshotSource} up to date: evaluates once at start and again
 * shortly after each change (changes closer together than the debounce delay are one), on one
 * thread, and tells its listeners. A failed read keeps the last good answer and records the
 * problem beside it.
 */
public final class LiveAudit implements AutoCloseable {

    /** What the server knows now: the last good answer, if any, and the last problem, if the last read failed. */
    public record State(long generation, Optional<Evaluation> answer, Optional<Problem> problem) {
        public State {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(problem, "problem");
        }

        /** True once a first evaluation succeeded. */
        public boolean ready() {
            return answer.isPresent();
        }
    }

    /** Why the last read failed, and when. */
    public record Problem(String message, Instant at) {
        public Problem {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(at, "at");
        }
    }

    private final SnapshotSource source;
    private final String profileFile;
    private final Clock clock;
    private final long debounceMillis;
    private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "phiguard-evaluate");
        thread.setDaemon(true);
        return thread;
    });
    private volatile State state = new State(0, Optional.empty(), Optional.empty());
    private ScheduledFuture<?> pending;

    /**
     * @param profileFile {@code --profile FILE}, read again at every evaluation; null for the Profile
     *     document among the manifests, else the built-in default
     * @param debounceMillis how long to wait after a change for the next one before evaluating
     */
    public LiveAudit(SnapshotSource source, String profileFile, Clock clock, long debounceMillis) {
        this.source = Objects.requireNonNull(source, "source");
        this.profileFile = profileFile;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.debounceMillis = debounceMillis;
    }

    public SnapshotSource source() {
        return source;
    }

    public State state() {
        return state;
    }

    /** Calls {@code listener} with every new state, on the evaluating thread. */
    public void addListener(Consumer<State> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<State> listener) {
        listeners.remove(listener);
    }

    /** Evaluates now and waits for it, then starts watching the source. */
    public void start() throws IOException {
        try {
            worker.submit(this::evaluate).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during the first evaluation", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the first evaluation failed", e.getCause());
        }
        source.watch(this::changed);
    }

    /** A change was seen: evaluate once things are quiet for the debounce delay. */
    synchronized void changed() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = worker.schedule(this::evaluate, debounceMillis, TimeUnit.MILLISECONDS);
    }

    private void evaluate() {
        Instant started = clock.instant();
        State previous = state;
        State next;
        try {
            IngestResult input = source.read();
            ProfileChoice profile = chooseProfile(input);
            Evaluation evaluation = Evaluation.of(input, profile.profile().orElseThrow(), profile.source(), started,
                    clock::instant, previous.answer());
            next = new State(previous.generation() + 1, Optional.of(evaluation), Optional.empty());
        } catch (SnapshotSource.Unreadable e) {
            next = new State(previous.generation() + 1, previous.answer(),
                    Optional.of(new Problem(e.getMessage(), clock.instant())));
        } catch (RuntimeException e) {
            // an internal error must not stop the watching; it is shown like an unreadable source
            next = new State(previous.generation() + 1, previous.answer(),
                    Optional.of(new Problem("internal error while evaluating: " + e, clock.instant())));
        }
        state = next;
        for (Consumer<State> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                // a listener that fails (a client gone) must not stop the others
            }
        }
    }

    /** As the audit chooses: --profile FILE, else the one Profile document among the manifests, else the default. */
    private ProfileChoice chooseProfile(IngestResult input) throws SnapshotSource.Unreadable {
        ProfileChoice choice = ProfileChoice.of(profileFile, input, "the manifests", InputStream.nullInputStream());
        if (choice.problem().isPresent()) {
            StringBuilder message = new StringBuilder(choice.problem().get());
            if (profileFile != null) {
                message.append(':');
                choice.diagnostics().stream().filter(Diagnostic::isError).limit(5)
                        .forEach(error -> message.append('\n').append(error));
            }
            throw new SnapshotSource.Unreadable(message.toString());
        }
        return choice;
    }

    @Override
    public void close() {
        source.close();
        worker.shutdownNow();
    }
}
