package ai.lthn.ml.server;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.internal.Checks;
import ai.lthn.ml.internal.Deadlines;
import ai.lthn.ml.internal.Threads;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible server over any {@link TextModel}, on the JDK's HTTP server:
 * {@code POST /v1/chat/completions} and {@code /v1/completions} (streamed or not),
 * {@code GET /v1/models}, {@code /v1/models/{id}}, {@code /healthz} and a chat page at {@code /}.
 *
 * <p>go-ml's wire shapes (role chunk first, one chunk per token, a final chunk with the finish
 * reason, {@code data: [DONE]}), max-tokens cap and sliding context window. Beyond go-ml: real
 * streaming from every model that streams; {@code usage} in every non-streamed response and as a
 * final chunk on {@code stream_options.include_usage}; the real finish reason; {@code model}
 * echoes the served id; errors in the OpenAI envelope with the right status (400, 401, 404, 405,
 * 413, 429, 500, 502, 503, 504), and as an {@code error} event once streaming has begun; an
 * atomic concurrency gate with a bounded wait queue; a client that disconnects cancels its
 * generation; loopback by default; an optional API key; request logs without prompt text;
 * {@link #close()} drains requests in flight.
 *
 * <p><b>Thread-safety and lifecycle.</b> Thread-safe. Build, then {@link #start()} once: it binds
 * and returns this server, so {@link #url()} and {@link #port()} are meaningful only after it
 * (before, the port is the requested one, 0 for "pick a free one"). {@link #close()} stops
 * accepting, lets requests in flight finish (up to the drain time) and stops the threads; it is
 * idempotent. The model is the caller's: closing the server does not close it.
 *
 * <pre>{@code
 * try (OpenAiServer server = OpenAiServer.builder(model).modelId("gemma-3-1b").port(8090).build().start()) {
 *     System.out.println("serving on " + server.url());
 *     server.awaitClose();
 * }
 * }</pre>
 */
public final class OpenAiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    static {
        // Without TCP_NODELAY the JDK server and most clients stall ~40 ms per response (Nagle plus
        // delayed ACK). The property is read once, when the first JDK HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null)
            System.setProperty("sun.net.httpserver.nodelay", "true");
        // A client must send its whole request within a minute (no slowloris); responses, which
        // stream for as long as the model generates, are not limited here.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null)
            System.setProperty("sun.net.httpserver.maxReqTime", "60");
    }

    private final TextModel model;
    private final String modelId;
    private final String host;
    private final int requestedPort;
    private final int maxTokens;
    private final int maxContext;
    private final Gate gate;
    private final int maxConcurrent;
    private final int queue;
    private final Duration requestTimeout;
    private final String apiKey;
    private final long maxBodyBytes;
    private final byte[] page;
    private final Duration drain;
    private final long startedAt = System.currentTimeMillis();
    private final AtomicLong ids = new AtomicLong(System.nanoTime());
    private final Set<TokenStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    private HttpServer server;
    private ExecutorService handlers;
    private ExecutorService producers;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private OpenAiServer(Builder b) {
        this.model = b.model;
        this.modelId = b.modelId;
        this.host = b.host;
        this.requestedPort = b.port;
        this.maxTokens = b.maxTokens;
        this.maxContext = b.maxContext;
        this.maxConcurrent = b.maxConcurrent;
        this.queue = b.queue;
        this.gate = new Gate(b.maxConcurrent, b.queue, b.queueWait);
        this.requestTimeout = b.requestTimeout;
        this.apiKey = b.apiKey;
        this.maxBodyBytes = b.maxBodyBytes;
        this.page = ChatPage.html(modelId, maxTokens); // rendered once, not per request
        this.drain = b.drain;
    }

    /** A builder serving {@code model}. */
    public static Builder builder(TextModel model) {
        return new Builder(model);
    }

    /**
     * Binds and starts serving.
     *
     * @return this server
     * @throws MlIOException if the address cannot be bound
     * @throws IllegalStateException if already started
     */
    public synchronized OpenAiServer start() {
        if (server != null) throw new IllegalStateException("already started");
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 128);
        } catch (IOException e) {
            throw new MlIOException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        int threads = maxConcurrent + queue + 32;
        handlers = Executors.newFixedThreadPool(Math.max(threads, 16), daemon("lthn-ml-http-"));
        producers = Executors.newCachedThreadPool(daemon("lthn-ml-generate-"));
        server.setExecutor(handlers);
        server.createContext("/", this::route);
        server.start();
        LOG.info("serving {} on {}", modelId, url());
        return this;
    }

    private java.util.concurrent.ThreadFactory daemon(String prefix) {
        return Threads.daemonFactory(prefix);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Blocks until {@link #close()} is called (for command-line use). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Refuses new requests (503), lets requests in flight finish for the drain period, then
     * cancels the rest and stops. (The JDK server's own {@code stop(delay)} waits the whole delay
     * even when idle before JDK 21, so the drain is done here.)
     */
    @Override
    public synchronized void close() {
        if (server == null || closed.getCount() == 0) return;
        closing = true;
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (TokenStream s : open) s.close();
        server.stop(0);
        handlers.shutdownNow();
        producers.shutdownNow();
        closed.countDown();
        LOG.info("stopped serving {}", modelId);
    }

    private void route(HttpExchange ex) {
        long start = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        int[] status = {200};
        int[] tokens = {0};
        inFlight.incrementAndGet();
        try {
            if (closing) throw new ApiException(503, "server_error", "shutting_down", "server is shutting down");
            if (path.startsWith("/v1/")) authorize(ex);
            switch (path) {
                case "/v1/chat/completions" -> generate(ex, true, status, tokens);
                case "/v1/completions" -> generate(ex, false, status, tokens);
                case "/v1/models" -> json(ex, status, 200, "{\"object\":\"list\",\"data\":[" + modelObject() + "]}");
                case "/healthz" -> json(ex, status, 200, health());
                case "/" -> page(ex, status);
                default -> {
                    if (path.startsWith("/v1/models/")) {
                        requireGet(ex);
                        String id = path.substring("/v1/models/".length());
                        if (!id.equals(modelId)) throw ApiException.notFound("model not found: " + id);
                        json(ex, status, 200, modelObject());
                    } else {
                        throw ApiException.notFound("no such endpoint: " + path);
                    }
                }
            }
        } catch (ApiException e) {
            error(ex, status, e.status, e.type, e.code, e.getMessage());
        } catch (MlException e) {
            LOG.warn("{} {} failed: {}", ex.getRequestMethod(), path, e.getMessage());
            error(ex, status, 500, "server_error", null, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", ex.getRequestMethod(), path, e); // a bug: details stay in the log
            error(ex, status, 500, "server_error", null, "internal server error");
        } finally {
            ex.close();
            inFlight.decrementAndGet();
            LOG.info(
                    "{} {} {} {} ms{}",
                    ex.getRequestMethod(),
                    path,
                    status[0],
                    (System.nanoTime() - start) / 1_000_000,
                    tokens[0] > 0 ? " " + tokens[0] + " tokens" : "");
        }
    }

    private void authorize(HttpExchange ex) {
        if (apiKey.isEmpty()) return;
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + apiKey))
            throw new ApiException(401, "invalid_request_error", "invalid_api_key", "invalid or missing API key");
    }

    private static void requireGet(HttpExchange ex) {
        if (!ex.getRequestMethod().equals("GET"))
            throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use GET");
    }

    private String modelObject() {
        return "{\"id\":" + Chunks.quote(modelId) + ",\"object\":\"model\",\"created\":" + startedAt / 1000
                + ",\"owned_by\":\"lthn-ml\"}";
    }

    /** go-ml's health fields, keys sorted as Go writes a map. */
    private String health() {
        return "{\"active_requests\":" + gate.active() + ",\"max_context\":" + maxContext + ",\"max_threads\":"
                + Runtime.getRuntime().availableProcessors() + ",\"max_tokens\":" + maxTokens + ",\"model\":"
                + Chunks.quote(modelId) + ",\"queued_requests\":" + gate.waiting() + ",\"status\":\"ok\""
                + ",\"uptime_seconds\":" + (System.currentTimeMillis() - startedAt) / 1000 + "}";
    }

    private void page(HttpExchange ex, int[] status) throws ApiException {
        requireGet(ex);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        send(ex, status, 200, page);
    }

    private void generate(HttpExchange ex, boolean chat, int[] status, int[] tokens) {
        if (!ex.getRequestMethod().equals("POST"))
            throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use POST");
        GenerationRequest req = GenerationRequest.parse(readBody(ex), chat, maxTokens, maxContext);
        try {
            gate.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "server_error", "shutting_down", "server is shutting down");
        }
        try {
            GenerateConfig config = GenerateConfig.builder()
                    .maxTokens(req.maxTokens())
                    .temperature(req.temperature())
                    .build();
            TokenStream stream = chat
                    ? model.chat(req.messages(), config)
                    : model.generate(req.messages().get(0).content(), config);
            open.add(stream);
            Timeout timeout = new Timeout(stream, requestTimeout);
            try {
                if (req.stream()) new SseResponse(ex, stream, req, chat, timeout).run(status, tokens);
                else whole(ex, stream, chat, timeout, status, tokens);
            } finally {
                timeout.cancel();
                stream.close();
                open.remove(stream);
            }
        } finally {
            gate.exit();
        }
    }

    private void whole(HttpExchange ex, TokenStream stream, boolean chat, Timeout timeout, int[] status, int[] tokens) {
        StringBuilder text = new StringBuilder();
        try {
            while (stream.hasNext()) {
                text.append(stream.next().text());
                tokens[0]++;
            }
        } catch (MlException e) {
            throw failure(e, timeout);
        }
        GenerateMetrics m = stream.metrics();
        int completion = m.generatedTokens() > 0 ? m.generatedTokens() : tokens[0];
        byte[] body = Chunks.complete(
                chat,
                (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet(),
                System.currentTimeMillis() / 1000,
                modelId,
                text.toString(),
                stream.finishReason().wireName(),
                m.promptTokens(),
                completion);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, 200, body);
    }

    /** The envelope status for a generation failure that happened before any byte was sent. */
    private static ApiException failure(MlException e, Timeout timeout) {
        if (timeout.fired() || e instanceof MlTimeoutException)
            return new ApiException(504, "server_error", "timeout", "generation timed out: " + e.getMessage());
        for (Throwable c = e; c != null; c = c.getCause())
            if (c instanceof HttpStatusException || c instanceof MlIOException)
                return new ApiException(502, "upstream_error", null, e.getMessage());
        if (e instanceof BackendUnavailableException)
            return new ApiException(503, "server_error", "unavailable", e.getMessage());
        return new ApiException(500, "server_error", null, e.getMessage());
    }

    private byte[] readBody(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBodyBytes) throw tooLarge();
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) throw tooLarge();
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    private ApiException tooLarge() {
        return new ApiException(
                413,
                "invalid_request_error",
                "request_too_large",
                "request body larger than " + maxBodyBytes + " bytes");
    }

    private static void json(HttpExchange ex, int[] status, int code, String body) {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, code, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange ex, int[] status, int code, String type, String errCode, String message) {
        if (status[0] != 200 || ex.getResponseCode() != -1) return; // headers already sent
        json(ex, status, code, Chunks.error(message, type, errCode));
    }

    private static void send(HttpExchange ex, int[] status, int code, byte[] body) {
        status[0] = code;
        try {
            ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            LOG.debug("client went away before the response was sent: {}", e.getMessage());
        }
    }

    /** Closes a stream when the request time limit passes. */
    private static final class Timeout {
        private final ScheduledFuture<?> future;
        private volatile boolean fired;

        Timeout(TokenStream stream, Duration limit) {
            this.future = Deadlines.schedule(limit, () -> {
                fired = true;
                stream.close();
            });
        }

        boolean fired() {
            return fired;
        }

        void cancel() {
            future.cancel(false);
        }
    }

    /** One streamed response: tokens pulled on a producer thread, written and flushed here. */
    private final class SseResponse {
        private final HttpExchange ex;
        private final TokenStream stream;
        private final GenerationRequest req;
        private final Timeout timeout;
        private final Chunks chunks;
        private final TokenPump pump;

        SseResponse(HttpExchange ex, TokenStream stream, GenerationRequest req, boolean chat, Timeout timeout) {
            this.ex = ex;
            this.stream = stream;
            this.req = req;
            this.timeout = timeout;
            this.chunks = new Chunks(
                    chat,
                    (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet(),
                    System.currentTimeMillis() / 1000,
                    modelId);
            this.pump = new TokenPump(stream);
        }

        void run(int[] status, int[] tokens) {
            // Pull the first token before committing to 200, so an early failure gets a real status.
            Object first = pump.startAndAwaitFirst(producers, requestTimeout.plusSeconds(5));
            if (first instanceof MlException e) throw failure(e, timeout);
            status[0] = 200;
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.getResponseHeaders().set("X-Accel-Buffering", "no");
            StringBuilder sb = new StringBuilder(4096);
            try {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                if (req.chat()) event(sb, chunks.role());
                Object item = first;
                while (true) {
                    if (item instanceof Token t) {
                        sb.append("data: ");
                        chunks.token(sb, t.text());
                        sb.append("\n\n");
                        tokens[0]++;
                    } else if (item == TokenPump.END) {
                        event(sb, chunks.finish(stream.finishReason().wireName()));
                        if (req.includeUsage()) {
                            GenerateMetrics m = stream.metrics();
                            event(
                                    sb,
                                    chunks.usage(
                                            m.promptTokens(),
                                            m.generatedTokens() > 0 ? m.generatedTokens() : tokens[0]));
                        }
                        write(out, sb);
                        out.write(DONE);
                        out.flush();
                        return;
                    } else if (item instanceof MlException e) {
                        ApiException api = failure(e, timeout);
                        event(sb, Chunks.error(api.getMessage(), api.type, api.code));
                        write(out, sb);
                        out.flush();
                        return;
                    }
                    item = pump.poll();
                    if (item == null) { // no token ready: show what we have, then wait
                        write(out, sb);
                        out.flush();
                        while ((item = pump.take(HEARTBEAT)) == null) { // a long silence: show we are alive
                            out.write(KEEP_ALIVE);
                            out.flush();
                        }
                    } else if (sb.length() > 32 * 1024) {
                        write(out, sb);
                    }
                }
            } catch (IOException e) {
                LOG.info("client went away after {} tokens: cancelling generation", tokens[0]);
                stream.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stream.close();
            } finally {
                pump.abandon();
            }
        }

        private void event(StringBuilder sb, String json) {
            sb.append("data: ").append(json).append("\n\n");
        }

        private void write(OutputStream out, StringBuilder sb) throws IOException {
            if (sb.length() == 0) return;
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            sb.setLength(0);
        }
    }

    /** Builds an {@link OpenAiServer}. */
    public static final class Builder {
        private final TextModel model;
        private String modelId = "default";
        private String host = "127.0.0.1";
        private int port;
        private int maxTokens = 4096;
        private int maxContext = 4;
        private int maxConcurrent = 1;
        private int queue = 16;
        private Duration queueWait = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(300);
        private String apiKey = "";
        private long maxBodyBytes = 1024 * 1024;
        private Duration drain = Duration.ofSeconds(30);

        private Builder(TextModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The id clients see in {@code model} fields and {@code /v1/models}; default "default". */
        public Builder modelId(String value) {
            this.modelId = Objects.requireNonNull(value, "modelId");
            return this;
        }

        /** The interface to bind; default 127.0.0.1 (go-ml bound every interface). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) throw new IllegalArgumentException("port outside 0..65535: " + value);
            this.port = value;
            return this;
        }

        /** The cap on a request's max tokens, and its value when a request gives none; default 4096. */
        public Builder maxTokens(int value) {
            if (value < 1) throw new IllegalArgumentException("maxTokens < 1: " + value);
            this.maxTokens = value;
            return this;
        }

        /** Messages kept from a conversation (after a leading system message); 0 = all; default 4. */
        public Builder maxContext(int value) {
            if (value < 0) throw new IllegalArgumentException("maxContext < 0: " + value);
            this.maxContext = value;
            return this;
        }

        /** Generations at once (default 1, go-ml's) and how many more may wait (default 16, up to 30 s). */
        public Builder concurrency(int running, int queued, Duration wait) {
            if (running < 1) throw new IllegalArgumentException("running < 1: " + running);
            if (queued < 0) throw new IllegalArgumentException("queued < 0: " + queued);
            this.maxConcurrent = running;
            this.queue = queued;
            this.queueWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** The limit on one generation; default 300 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = Checks.positive(value, "requestTimeout");
            return this;
        }

        /** Require {@code Authorization: Bearer <key>} on {@code /v1/*}; default none. */
        public Builder apiKey(String value) {
            this.apiKey = Objects.requireNonNull(value, "apiKey");
            return this;
        }

        /** The largest request body; default 1 MiB (413 beyond). */
        public Builder maxBodyBytes(long value) {
            if (value < 1) throw new IllegalArgumentException("maxBodyBytes < 1");
            this.maxBodyBytes = value;
            return this;
        }

        /** How long {@link #close()} lets requests in flight finish; default 30 s (go-ml's). */
        public Builder drain(Duration value) {
            this.drain = Objects.requireNonNull(value, "drain");
            return this;
        }

        /** The server (not started). */
        public OpenAiServer build() {
            return new OpenAiServer(this);
        }
    }
}
