package dev.phiguard.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's server-sent events: every client gets the current status when it connects and
 * each new one after, as {@code event: status}; a comment every few seconds keeps proxies from
 * closing a quiet stream and finds clients that left.
 */
final class EventStream {
    private static final long KEEP_ALIVE_SECONDS = 15;
    private final Set<BlockingQueue<Optional<String>>> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Sends {@code data} to every client. */
    void publish(String data) {
        for (BlockingQueue<Optional<String>> client : clients) {
            client.offer(Optional.of(data));
        }
    }

    /** Writes events to one client until it leaves or the stream closes; blocks the calling thread. */
    void follow(OutputStream out, String first) throws IOException {
        // an empty message tells the client's thread that the stream closes
        BlockingQueue<Optional<String>> queue = new LinkedBlockingQueue<>();
        clients.add(queue);
        try (out) {
            write(out, "retry: 1000\n\n");
            send(out, first);
            while (!closed) {
                Optional<String> next = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    write(out, ": keep-alive\n\n");
                } else if (next.isEmpty()) {
                    return;
                } else {
                    send(out, next.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(queue);
        }
    }

    private static void send(OutputStream out, String data) throws IOException {
        StringBuilder event = new StringBuilder("event: status\n");
        for (String line : data.split("\n", -1)) {
            event.append("data: ").append(line).append('\n');
        }
        write(out, event.append('\n').toString());
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every stream. */
    void close() {
        closed = true;
        clients.forEach(client -> client.offer(Optional.empty()));
    }
}
