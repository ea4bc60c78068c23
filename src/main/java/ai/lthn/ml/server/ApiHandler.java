package ai.lthn.ml.server;

import ai.lthn.ml.MlException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing, the request checks, error mapping and the request log. Generation itself is {@link
 * Generation}'s.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);

    private final Settings settings;
    private final RequestGuard guard;
    private final Generation generation;
    private final MlRoutes mlRoutes;
    private final ModelList models;
    private final ServerMetrics metrics;
    private final byte[] page;
    private final long startedAt;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    ApiHandler(Settings settings, ExecutorService producers, OpenStreams open) {
        this.settings = settings;
        this.startedAt = settings.clock().millis();
        this.guard = new RequestGuard(settings);
        this.generation = new Generation(settings, producers, open, this::scheduler, this::metrics);
        this.metrics = settings.meterRegistry() == null
                ? ServerMetrics.NONE
                : new MicrometerMetrics(
                        settings.meterRegistry(), generation::active, generation::waiting, inFlight::get);
        this.mlRoutes = new MlRoutes(settings);
        this.models = new ModelList(settings.modelId(), settings.model(), settings.ticker());
        this.page = ChatPage.html(
                settings.modelId(), settings.maxTokens(), !settings.apiKey().isEmpty());
    }

    private ServerMetrics metrics() {
        return metrics;
    }

    private org.eclipse.jetty.util.thread.Scheduler scheduler() {
        return getServer().getScheduler();
    }

    void closing() {
        closing = true;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Call call = new Call(
                request, response, settings.writeTimeout(), settings.ticker().read());
        inFlight.incrementAndGet();
        try {
            try {
                route(call);
            } catch (ApiException e) {
                error(call, e);
            } catch (MlException e) {
                LOG.warn("{} {} failed: {}", call.method, LogText.clip(call.path), e.getMessage());
                error(call, Failures.of(e));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", call.method, LogText.clip(call.path), e); // a bug: details stay in the log
                error(call, new ApiException(500, "server_error", null, "internal server error"));
            }
            callback.succeeded();
        } catch (IOException e) {
            LOG.info("{} {}: {} after {} tokens", call.method, LogText.clip(call.path), e.getMessage(), call.tokens);
            call.status = 499; // nginx's "client closed request", for the log
            // quiet: the client is gone or not reading, nothing to answer and nothing to log as an error
            callback.failed(
                    e instanceof org.eclipse.jetty.io.QuietException ? e : new org.eclipse.jetty.io.EofException(e));
        } catch (Error e) {
            callback.failed(e);
            throw e;
        } finally {
            inFlight.decrementAndGet();
            metrics.request(
                    ServerMetrics.route(call.path),
                    call.status,
                    settings.ticker().read() - call.startNanos);
            if (call.closeAfter) call.endPoint().close();
            LOG.info(
                    "{} {} {} {} ms{}",
                    call.method,
                    LogText.clip(request.getHttpURI().getPath()),
                    call.status,
                    (settings.ticker().read() - call.startNanos) / 1_000_000,
                    call.tokens > 0 ? " " + call.tokens + " tokens" : "");
        }
        return true;
    }

    private void route(Call call) throws IOException {
        if (closing) throw new ApiException(503, "server_error", "shutting_down", "server is shutting down");
        Request r = call.request;
        guard.checkHost(r);
        String origin = guard.checkOrigin(r);
        if (origin != null) {
            call.response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            call.response.getHeaders().put(HttpHeader.VARY, "Origin");
        }
        if (call.method.equals("OPTIONS")) {
            preflight(call);
            return;
        }
        String path = call.path;
        if (path.startsWith("/v1/")) {
            guard.authorize(r);
            if (settings.model() instanceof LoadingTextModel l && !l.isReady()) {
                call.response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                throw new ApiException(
                        503,
                        "server_error",
                        "model_loading",
                        l.failure().isPresent() ? "the model failed to load" : "the model is still loading");
            }
        }
        switch (path) {
            case "/v1/chat/completions" -> generate(call, true);
            case "/v1/completions" -> generate(call, false);
            case "/v1/models" -> {
                requireGet(call);
                List<String> ids = models.ids();
                StringBuilder data = new StringBuilder();
                for (String id : ids) data.append(data.length() == 0 ? "" : ",").append(modelObject(id));
                call.json(200, "{\"object\":\"list\",\"data\":[" + data + "]}");
            }
            case "/v1/embeddings" -> {
                if (!call.method.equals("POST"))
                    throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use POST");
                RequestGuard.checkJson(call.request);
                EmbeddingsRoute.handle(call, readBody(call), settings);
            }
            case "/metrics" -> {
                requireGet(call);
                String text = metrics.scrape();
                if (text == null) throw ApiException.notFound("metrics are off (OpenAiServer.Builder.metrics)");
                call.send(
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            case "/health" -> { // go-api's engine health
                requireGet(call);
                call.json(200, "{\"success\":true,\"data\":\"healthy\"}");
            }
            case "/healthz" -> {
                requireGet(call);
                String status = loadStatus();
                call.json(status.equals("ok") ? 200 : 503, health(status));
            }
            case "/" -> {
                requireGet(call);
                call.send(200, "text/html; charset=utf-8", page);
            }
            default -> {
                if (path.startsWith(MlRoutes.PREFIX)) {
                    mlRoutes.handle(call, path, () -> readBody(call));
                    return;
                }
                if (path.startsWith("/reports/") && settings.reports() != null) {
                    requireGet(call);
                    Reports.serve(call, settings.reports(), path.substring("/reports/".length()));
                    return;
                }
                if (!path.startsWith("/v1/models/"))
                    throw ApiException.notFound("no such endpoint: " + LogText.clip(path));
                requireGet(call);
                String id = path.substring("/v1/models/".length());
                if (id.endsWith("/info") && id.length() > "/info".length()) {
                    String served = id.substring(0, id.length() - "/info".length());
                    if (served.equals(settings.modelId())) {
                        call.json(200, modelInfo(served));
                        return;
                    }
                    if (!models.ids().contains(id))
                        throw ApiException.notFound("model not found: " + LogText.clip(served));
                }
                if (!models.ids().contains(id)) throw ApiException.notFound("model not found: " + LogText.clip(id));
                call.json(200, modelObject(id));
            }
        }
    }

    /**
     * go-ml HEAD's {@code GET /v1/models/{id}/info} for the served model: its {@link
     * ai.lthn.ml.inference.ModelInfo} and the metrics of its last generation, each field left out
     * when zero (Go's {@code omitempty}), Go's float form.
     */
    private String modelInfo(String id) throws IOException {
        ai.lthn.ml.inference.ModelInfo info = settings.model().info();
        ai.lthn.ml.inference.GenerateMetrics m = settings.model().metrics();
        com.fasterxml.jackson.databind.node.ObjectNode o =
                ai.lthn.ml.internal.Json.object().put("id", id);
        if (info != null) {
            if (!info.architecture().isEmpty()) o.put("architecture", info.architecture());
            if (info.vocabSize() != 0) o.put("vocab_size", info.vocabSize());
            if (info.numLayers() != 0) o.put("num_layers", info.numLayers());
            if (info.hiddenSize() != 0) o.put("hidden_size", info.hiddenSize());
            if (info.quantBits() != 0) o.put("quant_bits", info.quantBits());
            if (info.quantGroup() != 0) o.put("quant_group", info.quantGroup());
        }
        if (m != null) {
            if (m.prefillTokensPerSec() != 0) o.put("prefill_tokens_per_sec", m.prefillTokensPerSec());
            if (m.decodeTokensPerSec() != 0) o.put("decode_tokens_per_sec", m.decodeTokensPerSec());
            if (m.peakMemoryBytes() != 0) o.put("peak_memory_bytes", m.peakMemoryBytes());
            if (m.activeMemoryBytes() != 0) o.put("active_memory_bytes", m.activeMemoryBytes());
        }
        return ai.lthn.ml.internal.Json.goCompactWriter().writeValueAsString(o);
    }

    private void generate(Call call, boolean chat) throws IOException {
        if (!call.method.equals("POST"))
            throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use POST");
        RequestGuard.checkJson(call.request);
        generation.run(call, chat, readBody(call));
    }

    private static void preflight(Call call) throws IOException {
        call.response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        call.response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
        call.response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, 600);
        call.response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, OPTIONS");
        call.send(204, "text/plain", new byte[0]);
    }

    private static void requireGet(Call call) {
        if (!call.method.equals("GET") && !call.method.equals("HEAD")) {
            call.response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use GET");
        }
    }

    private byte[] readBody(Call call) {
        long length = call.request.getLength();
        if (length > settings.maxBodyBytes()) throw tooLarge();
        try (InputStream in = Content.Source.asInputStream(call.request)) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodyBytes() + 1));
            if (body.length > settings.maxBodyBytes()) throw tooLarge();
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "cannot read the request body: " + LogText.clip(String.valueOf(e.getMessage())));
        }
    }

    private ApiException tooLarge() {
        return new ApiException(
                413,
                "invalid_request_error",
                "request_too_large",
                "request body larger than " + settings.maxBodyBytes() + " bytes");
    }

    private String modelObject(String id) {
        return "{\"id\":" + Chunks.quote(id) + ",\"object\":\"model\",\"created\":" + startedAt / 1000
                + ",\"owned_by\":" + (id.equals(settings.modelId()) ? "\"lthn-ml\"" : "\"upstream\"") + "}";
    }

    /** go-ml's health fields, keys sorted as Go writes a map. */
    /** "ok", or while a {@link LoadingTextModel} is not ready "loading" or "failed". */
    private String loadStatus() {
        if (!(settings.model() instanceof LoadingTextModel l) || l.isReady()) return "ok";
        return l.failure().isPresent() ? "failed" : "loading";
    }

    private String health(String status) {
        return "{\"active_requests\":" + generation.active() + ",\"max_context\":" + settings.maxContext()
                + ",\"max_threads\":" + Runtime.getRuntime().availableProcessors() + ",\"max_tokens\":"
                + settings.maxTokens() + ",\"model\":" + Chunks.quote(settings.modelId()) + ",\"queued_requests\":"
                + generation.waiting() + ",\"status\":" + Chunks.quote(status) + ",\"uptime_seconds\":"
                + (settings.clock().millis() - startedAt) / 1000 + "}";
    }

    private static void error(Call call, ApiException e) throws IOException {
        if (call.response.isCommitted()) return; // a stream reports its failure as an event
        if (e.status == 401) call.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        call.json(e.status, Chunks.error(e.getMessage(), e.type, e.code));
    }
}
