package ai.lthn.ml.server;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.internal.Checks;
import ai.lthn.ml.internal.Threads;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible server over any {@link TextModel}, on Jetty 12:
 * {@code POST /v1/chat/completions} and {@code /v1/completions} (streamed or not),
 * {@code GET /v1/models}, {@code /v1/models/{id}}, {@code /healthz} and a chat page at {@code /}.
 *
 * <p>go-ml's wire shapes (role chunk first, one chunk per token, a final chunk with the finish
 * reason, {@code data: [DONE]}), max-tokens cap and sliding context window. Beyond go-ml: real
 * streaming; {@code usage} in every non-streamed response and as a final chunk on {@code
 * stream_options.include_usage}; errors in the OpenAI envelope with the right status; an atomic
 * concurrency gate with a bounded wait queue (then 429); loopback by default; an optional API key
 * (compared in constant time); request logs without prompt text; {@link #close()} drains.
 *
 * <p>Hardened against hostile clients and peers: the server enforces {@code max_tokens} itself
 * (an upstream that ignores it is cancelled, {@code finish_reason: "length"}); a client that
 * disconnects, or stops reading, has its generation cancelled and its slot freed; slow clients
 * cannot hold threads (request headers are read without blocking, and must arrive within {@link
 * Builder#headerTimeout}); connections are capped per client address and in total; requests
 * with a {@code Host} that is not this server's (DNS rebinding) or from another web origin are
 * refused, as are JSON endpoints called without a JSON content type.
 *
 * <p>Lifecycle: {@link Builder#build()} binds nothing; {@link #start()} binds and serves; {@link
 * #url()} and {@link #port()} are valid after {@code start()}; {@link #close()} drains and stops
 * (idempotent). Thread-safe: one server serves any number of concurrent requests; the model is
 * called concurrently up to the gate's limit.
 *
 * <p><b>Thread-safety and lifecycle.</b> Thread-safe. Build, then {@link #start()} once: it binds
 * and returns this server, so {@link #url()} and {@link #port()} are meaningful only after it
 * (before, the port is the requested one, 0 for "pick a free one"). {@link #close()} stops
 * accepting, lets requests in flight finish (up to the drain time) and stops the threads; it is
 * idempotent. The model is the caller's: closing the server does not close it.
 *
 * <pre>{@code
 * try (OpenAiServer server = OpenAiServer.builder(model).modelId("gemma-3-1b").port(8090).build().start()) {
 *     log.info("serving on {}", server.url());
 *     server.awaitClose();
 * }
 * }</pre>
 */
public final class OpenAiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);

    private final Settings settings;
    /** How long a request cancelled by {@link #close()} has to answer before its connection is closed. */
    private static final long CANCEL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final OpenStreams open = new OpenStreams();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Server server;
    private ServerConnector connector;
    private ExecutorService producers;
    private ApiHandler handler;

    private OpenAiServer(Builder b) {
        this.settings = new Settings(b);
    }

    /**
     * A builder serving {@code model}.
     *
     * @param model the model to serve (closed by the caller, not the server)
     * @return a builder with go-ml's defaults
     */
    public static Builder builder(TextModel model) {
        return new Builder(model);
    }

    /**
     * Binds and starts serving.
     *
     * @return this server
     * @throws MlIOException if the address cannot be bound or the server cannot start
     */
    public synchronized OpenAiServer start() {
        if (server != null) throw new IllegalStateException("already started");
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(64, settings.maxConcurrent() + settings.queue() + 48));
        threads.setName("lthn-ml-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setIdleTimeout(settings.idleTimeout().toMillis());
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.setAcceptQueueSize(128);
        connector.addBean(new ClientLimits(settings, server));
        server.addConnector(connector);
        producers = Executors.newCachedThreadPool(Threads.daemonFactory("lthn-ml-generate-"));
        handler = new ApiHandler(settings, producers, open);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            String where = settings.host() + ":" + settings.port();
            IOException io = e instanceof IOException i ? i : new IOException(e);
            throw new MlIOException(
                    (e instanceof BindException || e.getCause() instanceof BindException
                                    ? "cannot listen on "
                                    : "cannot start the server on ")
                            + where + ": " + e.getMessage(),
                    io);
        }
        LOG.info("serving {} on {}", settings.modelId(), url());
        return this;
    }

    /**
     * The base URL, e.g. {@code http://127.0.0.1:8090}.
     *
     * @return the URL clients use (valid after {@link #start()})
     */
    public String url() {
        String host = settings.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * The bound port.
     *
     * @return the port (valid after {@link #start()})
     */
    public int port() {
        if (connector == null) throw new IllegalStateException("not started");
        return connector.getLocalPort();
    }

    /**
     * Blocks until {@link #close()} is called (for command-line use).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Refuses new requests (503), lets requests in flight finish for the drain period, then
     * cancels the rest and stops.
     */
    @Override
    public synchronized void close() {
        if (server == null || closed.getCount() == 0) return;
        handler.closing();
        awaitInFlight(settings.ticker(), settings.drain().toNanos()); // the drain: on the server's clock
        refuseConnections();
        open.cancelAll();
        // the requests just cancelled get a moment to write their error answers (real time: threads, not model time)
        awaitInFlight(ai.lthn.ml.Ticker.system(), CANCEL_GRACE_NANOS);
        stopQuietly();
        closed.countDown();
        LOG.info("stopped serving {}", settings.modelId());
    }

    /**
     * Closes the listening socket before anything in flight is cancelled. A request the server
     * cancels may lose its connection before its answer is written, and a client that retries
     * (the JDK's {@code HttpURLConnection} re-sends a POST once by default) must then be refused at
     * once: a connection accepted while Jetty stops can be registered with a selector that never
     * serves it nor closes it, and its client waits for its own read timeout ({@code PassThroughTest}
     * met that, about once in a thousand closes under load).
     */
    private void refuseConnections() {
        try {
            connector.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("closing the listening socket: {}", e.toString());
        }
    }

    /** Waits, on {@code clock}, until no request is in flight or {@code nanos} have passed; an interrupt ends it (kept). */
    private void awaitInFlight(ai.lthn.ml.Ticker clock, long nanos) {
        long deadline = clock.read() + nanos;
        try {
            while (handler.inFlight() > 0 && clock.read() - deadline < 0) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping the server: {}", e.toString());
        }
        if (producers != null) producers.shutdownNow();
    }

    /** Builds an {@link OpenAiServer}. */
    public static final class Builder {
        final TextModel model;
        String modelId = "default";
        String host = "127.0.0.1";
        int port;
        int maxTokens = 4096;
        int maxContext = 4;
        int maxConcurrent = 1;
        int queue = 16;
        Duration queueWait = Duration.ofSeconds(30);
        Duration requestTimeout = Duration.ofSeconds(300);
        String apiKey = "";
        long maxBodyBytes = 1024 * 1024;
        long maxResponseChars = 8L * 1024 * 1024;
        Duration drain = Duration.ofSeconds(30);
        Duration headerTimeout = Duration.ofSeconds(5);
        Duration writeTimeout = Duration.ofSeconds(10);
        Duration idleTimeout = Duration.ofSeconds(30);
        int maxConnectionsPerClient = 128;
        int maxConnections = 1024;
        final List<String> allowedHosts = new ArrayList<>();
        final List<String> allowedOrigins = new ArrayList<>();
        java.nio.file.Path reports;
        ai.lthn.ml.Ticker ticker = ai.lthn.ml.Ticker.system();
        java.time.Clock clock = java.time.Clock.systemUTC();
        ai.lthn.ml.Service mlService;
        boolean mlHasJudge;
        Object meterRegistry; // a Micrometer MeterRegistry; Object so Settings needs no Micrometer class

        private Builder(TextModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * The id clients see in {@code model} fields and {@code /v1/models}.
         *
         * @param value the id; default "default"
         * @return this builder
         */
        public Builder modelId(String value) {
            this.modelId = Objects.requireNonNull(value, "modelId");
            return this;
        }

        /**
         * The interface to bind.
         *
         * @param value a host name or address; default 127.0.0.1 (go-ml bound every interface)
         * @return this builder
         */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /**
         * The port.
         *
         * @param value 0 (the default) picks a free one
         * @return this builder
         */
        public Builder port(int value) {
            if (value < 0 || value > 65535) throw new IllegalArgumentException("port outside 0..65535: " + value);
            this.port = value;
            return this;
        }

        /**
         * The cap on a request's max tokens, and its value when a request gives none. The server
         * enforces it even on a model that does not.
         *
         * @param value default 4096
         * @return this builder
         */
        public Builder maxTokens(int value) {
            if (value < 1) throw new IllegalArgumentException("maxTokens < 1: " + value);
            this.maxTokens = value;
            return this;
        }

        /**
         * Messages kept from a conversation (after a leading system message).
         *
         * @param value 0 = all; default 4
         * @return this builder
         */
        public Builder maxContext(int value) {
            if (value < 0) throw new IllegalArgumentException("maxContext < 0: " + value);
            this.maxContext = value;
            return this;
        }

        /**
         * Generations at once, and how many more may wait for how long before a 429.
         *
         * @param running default 1 (go-ml's)
         * @param queued default 16
         * @param wait default 30 s
         * @return this builder
         */
        public Builder concurrency(int running, int queued, Duration wait) {
            if (running < 1) throw new IllegalArgumentException("running < 1: " + running);
            if (queued < 0) throw new IllegalArgumentException("queued < 0: " + queued);
            this.maxConcurrent = running;
            this.queue = queued;
            if (wait.isNegative()) throw new IllegalArgumentException("wait must not be negative");
            this.queueWait = wait;
            return this;
        }

        /**
         * The limit on one generation (504 before the first byte, an error event after).
         *
         * @param value default 300 s
         * @return this builder
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = Checks.positive(value, "requestTimeout");
            return this;
        }

        /**
         * Require {@code Authorization: Bearer <key>} on {@code /v1/*}.
         *
         * @param value the key; null or empty for none (the default)
         * @return this builder
         */
        public Builder apiKey(String value) {
            this.apiKey = value == null ? "" : value;
            return this;
        }

        /**
         * The largest request body (413 beyond).
         *
         * @param value default 1 MiB
         * @return this builder
         */
        public Builder maxBodyBytes(long value) {
            if (value < 1) throw new IllegalArgumentException("maxBodyBytes < 1");
            this.maxBodyBytes = value;
            return this;
        }

        /**
         * The most text one response may carry; a model that goes past it is stopped with {@code
         * finish_reason: "length"}, as for {@code max_tokens}.
         *
         * @param value characters; default 8 Mi
         * @return this builder
         */
        public Builder maxResponseChars(long value) {
            if (value < 1) throw new IllegalArgumentException("maxResponseChars < 1");
            this.maxResponseChars = value;
            return this;
        }

        /**
         * How long {@link #close()} lets requests in flight finish.
         *
         * @param value default 30 s (go-ml's)
         * @return this builder
         */
        public Builder drain(Duration value) {
            this.drain = Objects.requireNonNull(value, "drain");
            return this;
        }

        /**
         * How long a new connection may take to send its first request's headers before it is
         * closed (slow clients).
         *
         * @param value default 5 s
         * @return this builder
         */
        public Builder headerTimeout(Duration value) {
            this.headerTimeout = Checks.positive(value, "headerTimeout");
            return this;
        }

        /**
         * How long a write to a client may stay blocked (a client that stops reading) before the
         * connection is closed and its generation cancelled.
         *
         * @param value default 10 s
         * @return this builder
         */
        public Builder writeTimeout(Duration value) {
            this.writeTimeout = Checks.positive(value, "writeTimeout");
            return this;
        }

        /**
         * How long a connection may be silent, in either direction, before it is closed (also
         * bounds a request body that stops arriving).
         *
         * @param value default 30 s
         * @return this builder
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = Checks.positive(value, "idleTimeout");
            return this;
        }

        /**
         * Open connections allowed from one client address, and in all.
         *
         * @param perClient default 128
         * @param total default 1024
         * @return this builder
         */
        public Builder maxConnections(int perClient, int total) {
            if (perClient < 1 || total < 1) throw new IllegalArgumentException("connection limits must be >= 1");
            this.maxConnectionsPerClient = perClient;
            this.maxConnections = total;
            return this;
        }

        /**
         * Also accept requests whose {@code Host} names this server by {@code name} (besides
         * {@code localhost} and IP addresses, always accepted). Other names are refused (403), so a
         * web page cannot reach the server through a DNS name it controls (DNS rebinding). {@code
         * "*"} accepts any name.
         *
         * @param name a host name, without port
         * @return this builder
         */
        public Builder allowHost(String name) {
            this.allowedHosts.add(Objects.requireNonNull(name, "name").toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        /**
         * Also accept browser requests from the web origin {@code origin} (e.g. {@code
         * https://app.example}), with CORS headers. Requests from other origins than the
         * server's own are refused (403). {@code "*"} accepts every origin.
         *
         * @param origin scheme, host and optional port
         * @return this builder
         */
        public Builder allowOrigin(String origin) {
            this.allowedOrigins.add(Objects.requireNonNull(origin, "origin").toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        /**
         * Also serves the HTML reports ({@code ml report}) in {@code dir} at {@code /reports/}: a
         * list, and each {@code NAME.html} file directly in the directory (nothing below it, no
         * link out of it).
         *
         * @param dir the directory; null for none (the default)
         * @return this builder
         */
        public Builder reports(java.nio.file.Path dir) {
            this.reports = dir;
            return this;
        }

        /**
         * Measures request deadlines, the heartbeat interval and logged durations (tests move a
         * {@code ManualTime} to fire a deadline without waiting for it).
         *
         * @param value the ticker; default {@link ai.lthn.ml.Ticker#system()}
         * @return this builder
         */
        public Builder ticker(ai.lthn.ml.Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * Serves go-ml's {@code /v1/ml} route group over {@code service}: {@code GET
         * /v1/ml/backends}, {@code GET /v1/ml/status}, {@code POST /v1/ml/generate} (go-api's
         * {@code success}/{@code data}/{@code error} envelope). Without a service the routes
         * answer 503 {@code SERVICE_UNAVAILABLE}, as go-ml's do.
         *
         * @param service the named backends; null for none (the default)
         * @param hasJudge what {@code /v1/ml/status} reports as {@code has_judge}
         * @return this builder
         */
        public Builder mlService(ai.lthn.ml.Service service, boolean hasJudge) {
            this.mlService = service;
            this.mlHasJudge = hasJudge;
            return this;
        }

        /**
         * Records the server's metrics into {@code registry} (Micrometer, an optional dependency:
         * add {@code io.micrometer:micrometer-core}, and {@code micrometer-registry-prometheus}
         * for the text format): requests by route and status ({@code lthn.ml.http.requests}),
         * prompt and completion tokens, time to first token and mean inter-token latency
         * (histograms), streams in flight, queue depth and upstream errors by code. With a {@code
         * PrometheusMeterRegistry}, {@code GET /metrics} serves them in Prometheus text format.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder metrics(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The wall clock for {@code created} timestamps and uptime.
         *
         * @param value the clock; default the system clock (UTC)
         * @return this builder
         */
        public Builder clock(java.time.Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The server (not started).
         *
         * @return a server to {@link #start()}
         */
        public OpenAiServer build() {
            return new OpenAiServer(this);
        }
    }
}
