package dev.phiguard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.phiguard.analysis.ChangeAnalyzer;
import dev.phiguard.analysis.ChangeReport;
import dev.phiguard.analysis.ClusterOverlay;
import dev.phiguard.analysis.ExplainRequest;
import dev.phiguard.analysis.Explanation;
import dev.phiguard.ingest.Diagnostic;
import dev.phiguard.ingest.IngestResult;
import dev.phiguard.ingest.ManifestReader;
import dev.phiguard.report.AuditJsonFormatter;
import dev.phiguard.report.AuditReport;
import dev.phiguard.report.ConnectivityJsonFormatter;
import dev.phiguard.report.DashboardHtml;
import dev.phiguard.report.DiffJsonFormatter;
import dev.phiguard.report.DiffReport;
import dev.phiguard.report.ExplanationJsonFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code phiguard serve}'s HTTP server (the JDK's {@code com.sun.net.httpserver}): the dashboard,
 * its server-sent events, the REST API, {@code /metrics}, {@code /healthz} and {@code /readyz}.
 * It parses requests, asks the current answer of a {@link LiveAudit} or one analysis entry
 * point, and writes what a report formatter makes of it; errors are JSON with a 4xx status.
 */
public final class PhiguardServer implements AutoCloseable {
    /** Larger request bodies are refused: manifests for a what-if are small. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LiveAudit live;
    private final ServerMetrics metrics;
    private final EventStream events;
    private final DashboardHtml dashboard;
    private final String toolVersion;
    private final HttpServer http;
    private final ExecutorService executor;

    /** Answers a request; throws {@link HttpError} for a 4xx. */
    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, HttpError;
    }

    /** A request the server refuses, with its status and the reason for the client. */
    static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient Map<String, String> headers;

        HttpError(int status, String message) {
            this(status, message, Map.of());
        }

        HttpError(int status, String message, Map<String, String> headers) {
            super(message);
            this.status = status;
            this.headers = headers;
        }
    }

    private PhiguardServer(LiveAudit live, InetSocketAddress address, String toolVersion) throws IOException {
        this.live = Objects.requireNonNull(live, "live");
        this.toolVersion = Objects.requireNonNull(toolVersion, "toolVersion");
        this.metrics = new ServerMetrics();
        this.events = new EventStream();
        this.dashboard = new DashboardHtml(live.source().description());
        AtomicInteger threads = new AtomicInteger();
        // each open event stream holds a thread, so the pool grows with the clients
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "phiguard-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpServer.create(address, 0);
        http.setExecutor(executor);
        route("/", "GET", this::page);
        route("/events", "GET", this::events);
        route("/api/status", "GET", exchange -> json(exchange, 200, status(live.state())));
        route("/api/map", "GET", this::map);
        route("/api/connectivity", "GET", exchange -> json(exchange, 200,
                new ConnectivityJsonFormatter().format(answer().map())));
        route("/api/findings", "GET", this::findings);
        route("/api/explain", "GET", this::explain);
        route("/api/diff", "POST", this::diff);
        route("/metrics", "GET", exchange -> send(exchange, 200, ServerMetrics.CONTENT_TYPE, metrics.scrape()));
        route("/healthz", "GET", exchange -> json(exchange, 200, "{\"status\":\"ok\"}\n"));
        route("/readyz", "GET", this::ready);
        metrics.update(live.state());
        live.addListener(state -> {
            metrics.update(state);
            events.publish(status(state));
        });
    }

    /**
     * Starts serving on {@code bind}:{@code port} (0 for any free port). The {@link LiveAudit}
     * should be started already, so that the first request has an answer.
     */
    public static PhiguardServer start(LiveAudit live, String bind, int port, String toolVersion)
            throws IOException {
        PhiguardServer server = new PhiguardServer(live, new InetSocketAddress(bind, port), toolVersion);
        server.http.start();
        return server;
    }

    /** The address actually bound, with the port chosen when 0 was asked. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The dashboard's URL. */
    public String url() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort() + "/";
    }

    private void route(String path, String method, Handler handler) {
        http.createContext(path, exchange -> {
            try (exchange) {
                try {
                    checkHost(exchange);
                    String requested = exchange.getRequestURI().getPath();
                    if (!requested.equals(path)) {
                        throw new HttpError(404, "no such resource: " + requested
                                + "; see docs/api.md for the API");
                    }
                    String asked = exchange.getRequestMethod();
                    if (!asked.equals(method) && !(method.equals("GET") && asked.equals("HEAD"))) {
                        throw new HttpError(405, path + " takes " + method + ", not " + asked,
                                Map.of("Allow", method));
                    }
                    handler.handle(exchange);
                } catch (HttpError e) {
                    e.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                    error(exchange, e.status, e.getMessage());
                } catch (RuntimeException e) {
                    error(exchange, 500, "internal error: " + e);
                }
            } catch (IOException e) {
                // the client went away; nothing to answer
            }
        });
    }

    /**
     * Bound to loopback, the server answers only requests addressed to a loopback name: a web page
     * elsewhere could otherwise point its own host name at 127.0.0.1 (DNS rebinding) and read the
     * API from the user's browser. Bound to another address, it is meant to be reached by name.
     */
    private void checkHost(HttpExchange exchange) throws HttpError {
        if (!http.getAddress().getAddress().isLoopbackAddress()) {
            return;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        boolean loopback = lower.equals("localhost") || lower.endsWith(".localhost") || lower.equals("[::1]")
                || lower.matches("127(\\.\\d{1,3}){3}");
        if (!loopback) {
            throw new HttpError(403, "Host " + host + " is not a loopback name; phiguard serve bound to "
                    + http.getAddress().getAddress().getHostAddress() + " answers only requests for localhost,"
                    + " 127.0.0.1 or [::1] (a guard against DNS rebinding; use --bind to serve other names)");
        }
    }

    private Evaluation answer() throws HttpError {
        LiveAudit.State state = live.state();
        if (state.answer().isEmpty()) {
            throw new HttpError(503, "no answer yet: " + state.problem().map(LiveAudit.Problem::message)
                    .orElse("the first evaluation has not finished"), Map.of("Retry-After", "1"));
        }
        return state.answer().get();
    }

    private void page(HttpExchange exchange) throws IOException {
        Optional<Evaluation> answer = live.state().answer();
        String html = answer.isEmpty() ? dashboard.page(null, null)
                : dashboard.page(answer.get().evaluatedAt().toString(), mapJson(answer.get()));
        exchange.getResponseHeaders().set("Content-Security-Policy", dashboard.contentSecurityPolicy());
        send(exchange, 200, "text/html; charset=utf-8", html);
    }

    private String mapJson(Evaluation answer) {
        return dashboard.mapJson(answer.audit(), answer.map(), answer.phi());
    }

    private void map(HttpExchange exchange) throws IOException, HttpError {
        Evaluation answer = answer();
        exchange.getResponseHeaders().set("X-Phiguard-Evaluated-At", answer.evaluatedAt().toString());
        json(exchange, 200, mapJson(answer));
    }

    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        events.follow(exchange.getResponseBody(), status(live.state()));
    }

    private void findings(HttpExchange exchange) throws IOException, HttpError {
        Evaluation answer = answer();
        List<AuditReport.Input> inputs = answer.input().inputs().stream()
                .map(file -> new AuditReport.Input(file.path(), file.sha256())).toList();
        AuditReport report = new AuditReport(answer.audit(), inputs, answer.profileSource(), toolVersion,
                Optional.empty());
        json(exchange, 200, new AuditJsonFormatter().format(report));
    }

    private void explain(HttpExchange exchange) throws IOException, HttpError {
        Map<String, String> query = query(exchange.getRequestURI());
        String src = query.get("src");
        String dst = query.get("dst");
        if (src == null || src.isBlank() || dst == null || dst.isBlank()) {
            throw new HttpError(400, "give src and dst: /api/explain?src=NAMESPACE/NAME&dst=NAMESPACE/NAME"
                    + "&port=5432/TCP (a workload, with [Kind] when two kinds share a name, or an IP address;"
                    + " port is optional)");
        }
        Evaluation answer = answer();
        Explanation explanation;
        try {
            explanation = ExplainRequest.explain(answer.input().cluster(), src, dst, query.get("port"), "port");
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage()
                    .replaceFirst("^SRC: ", "src: ").replaceFirst("^DST: ", "dst: "));
        }
        json(exchange, 200, new ExplanationJsonFormatter().format(explanation));
    }

    private void diff(HttpExchange exchange) throws IOException, HttpError {
        String body = body(exchange);
        Evaluation answer = answer();
        IngestResult proposed = ManifestReader.readString("request body", body);
        List<Diagnostic> errors = proposed.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            ObjectNode error = errorJson(400, "the manifests in the request body have " + errors.size()
                    + (errors.size() == 1 ? " error" : " errors") + "; nothing was compared");
            ArrayNode list = ((ObjectNode) error.get("error")).putArray("diagnostics");
            errors.forEach(diagnostic -> list.add(diagnostic.toString()));
            json(exchange, 400, write(error));
            return;
        }
        if (!proposed.hasUsableInput()) {
            throw new HttpError(400, "the request body holds no Namespace, NetworkPolicy or workload; send the"
                    + " manifests to apply as YAML (Content-Type: application/yaml)");
        }
        ChangeReport change = ChangeAnalyzer.compare(answer.input().cluster(),
                ClusterOverlay.apply(answer.input().cluster(), proposed.cluster()), answer.profile());
        List<AuditReport.Input> current = answer.input().inputs().stream()
                .map(file -> new AuditReport.Input(file.path(), file.sha256())).toList();
        List<AuditReport.Input> request = proposed.inputs().isEmpty()
                ? List.of(new AuditReport.Input("request body", sha256(body)))
                : proposed.inputs().stream().map(file -> new AuditReport.Input(file.path(), file.sha256())).toList();
        DiffReport report = new DiffReport(change, new DiffReport.Side(live.source().description(), current),
                new DiffReport.Side(live.source().description() + " with the request body applied", request),
                answer.profileSource(), toolVersion);
        json(exchange, 200, new DiffJsonFormatter().format(report));
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        LiveAudit.State state = live.state();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("status", state.ready() ? "ready" : "not ready");
        if (!state.ready()) {
            body.put("reason", state.problem().map(LiveAudit.Problem::message)
                    .orElse("the first evaluation has not finished"));
        }
        json(exchange, state.ready() ? 200 : 503, write(body));
    }

    /** The state as the dashboard and the event stream see it. */
    String status(LiveAudit.State state) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("ready", state.ready());
        body.put("source", live.source().description());
        body.put("generation", state.generation());
        if (state.answer().isPresent()) {
            Evaluation answer = state.answer().get();
            body.put("evaluatedAt", answer.evaluatedAt().toString());
            body.put("evaluationSeconds", answer.took().toNanos() / 1e9);
            body.put("failed", answer.audit().failed());
            body.put("findings", answer.audit().findings().size());
            body.put("verdict", DashboardHtml.verdict(answer.audit()));
            body.put("workloads", answer.input().cluster().workloads().size());
            body.put("policies", answer.input().cluster().policies().size());
            body.put("phiWorkloads", answer.posture().phiWorkloads());
        } else {
            body.putNull("evaluatedAt");
        }
        if (state.problem().isPresent()) {
            ObjectNode problem = body.putObject("problem");
            problem.put("message", state.problem().get().message());
            problem.put("at", state.problem().get().at().toString());
        } else {
            body.putNull("problem");
        }
        return write(body);
    }

    private static String body(HttpExchange exchange) throws IOException, HttpError {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new HttpError(413, "the request body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB");
        }
        if (bytes.length == 0) {
            throw new HttpError(400, "the request body is empty; send the manifests to apply as YAML");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "the request body is not UTF-8 text; Kubernetes manifests must be UTF-8");
        }
    }

    private static Map<String, String> query(URI uri) throws HttpError {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (values.putIfAbsent(name, value) != null) {
                throw new HttpError(400, "query parameter " + name + " is given twice");
            }
        }
        return values;
    }

    private static String decode(String text) throws HttpError {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed query string: " + e.getMessage());
        }
    }

    private static ObjectNode errorJson(int status, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("status", status);
        error.put("message", message);
        return root;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, write(errorJson(status, message)));
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static void json(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", text);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        events.close();
        http.stop(0);
        executor.shutdownNow();
    }
}
