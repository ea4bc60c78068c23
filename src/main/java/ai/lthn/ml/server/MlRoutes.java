package ai.lthn.ml.server;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.MlException;
import ai.lthn.ml.Service;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * go-ml's {@code /v1/ml} route group ({@code api/routes.go}) over a {@link Service}: {@code GET
 * /v1/ml/backends}, {@code GET /v1/ml/status}, {@code POST /v1/ml/generate}, in go-api's envelope
 * ({@code {"success":true,"data":…}} or {@code {"success":false,"error":{"code","message"}}}).
 * Without a service every route is 503 {@code SERVICE_UNAVAILABLE}, checked before the body, as
 * go-ml's nil-service group answers. Beyond go-ml: the API key applies (they are under
 * {@code /v1/}), generations share the server's concurrency limit and queue wait (then 429
 * {@code TOO_MANY_REQUESTS}), and a generation failure does not echo upstream addresses.
 */
final class MlRoutes {
    static final String PREFIX = "/v1/ml/";

    private final Service service;
    private final boolean hasJudge;
    private final Semaphore slots;
    private final Settings settings;

    MlRoutes(Settings settings) {
        this.settings = settings;
        this.service = settings.mlService();
        this.hasJudge = settings.mlHasJudge();
        this.slots = new Semaphore(settings.maxConcurrent() + settings.queue(), true);
    }

    void handle(Call call, String path, java.util.function.Supplier<byte[]> body) throws IOException {
        switch (path) {
            case "/v1/ml/backends" -> {
                get(call);
                if (unavailable(call)) return;
                ArrayNode data = Json.object().arrayNode();
                for (String name : service.backendNames())
                    data.addObject()
                            .put("name", name)
                            .put(
                                    "available",
                                    service.backend(name)
                                            .map(b -> b.isAvailable())
                                            .orElse(false));
                ok(call, data);
            }
            case "/v1/ml/status" -> {
                get(call);
                if (unavailable(call)) return;
                ObjectNode data = Json.object();
                data.put("ready", !service.backendNames().isEmpty());
                ArrayNode names = data.putArray("backends");
                service.backendNames().forEach(names::add);
                data.put("has_judge", hasJudge);
                ok(call, data);
            }
            case "/v1/ml/generate" -> {
                if (!call.method.equals("POST"))
                    throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use POST");
                if (unavailable(call)) return; // before the body, as go-ml
                RequestGuard.checkJson(call.request);
                generate(call, body.get());
            }
            default -> fail(call, 404, "NOT_FOUND", "no such endpoint: " + LogText.clip(path));
        }
    }

    private void generate(Call call, byte[] body) throws IOException {
        JsonNode req;
        try {
            req = Json.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            fail(call, 400, "INVALID_REQUEST", "invalid JSON body: " + LogText.clip(e.getOriginalMessage()));
            return;
        }
        if (req == null || !req.isObject()) {
            fail(call, 400, "INVALID_REQUEST", "the body must be a JSON object");
            return;
        }
        JsonNode prompt = req.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isEmpty()) {
            fail(call, 400, "INVALID_REQUEST", "prompt is required (a non-empty string)");
            return;
        }
        JsonNode backend = req.get("backend");
        JsonNode temperature = req.get("temperature");
        JsonNode maxTokens = req.get("max_tokens");
        if ((backend != null && !backend.isNull() && !backend.isTextual())
                || (temperature != null && !temperature.isNull() && !temperature.isNumber())
                || (maxTokens != null && !maxTokens.isNull() && !maxTokens.canConvertToInt())) {
            fail(call, 400, "INVALID_REQUEST", "backend must be a string, temperature a number, max_tokens an integer");
            return;
        }
        GenOpts.Builder opts = GenOpts.builder().temperature(0.1); // go-ml's DefaultGenOpts
        if (temperature != null && temperature.isNumber() && temperature.doubleValue() > 0)
            opts.temperature(temperature.doubleValue());
        if (maxTokens != null && maxTokens.isNumber() && maxTokens.intValue() > 0) opts.maxTokens(maxTokens.intValue());
        boolean acquired;
        try {
            acquired = slots.tryAcquire(settings.queueWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(call, 503, "SERVICE_UNAVAILABLE", "server is shutting down");
            return;
        }
        if (!acquired) {
            fail(call, 429, "TOO_MANY_REQUESTS", "too many generations in progress; retry later");
            return;
        }
        String text;
        try {
            text = service.generate(
                    backend == null || backend.isNull() ? "" : backend.asText(), prompt.asText(), opts.build());
        } catch (MlException e) {
            fail(call, 500, "GENERATION_FAILED", Failures.of(e).getMessage());
            return;
        } finally {
            slots.release();
        }
        ObjectNode data = Json.object();
        data.put("text", text);
        ok(call, data);
    }

    private boolean unavailable(Call call) throws IOException {
        if (service != null) return false;
        fail(call, 503, "SERVICE_UNAVAILABLE", "ML service not initialised");
        return true;
    }

    private static void get(Call call) {
        if (!call.method.equals("GET") && !call.method.equals("HEAD"))
            throw new ApiException(405, "invalid_request_error", "method_not_allowed", "use GET");
    }

    private static void ok(Call call, JsonNode data) throws IOException {
        ObjectNode env = Json.object();
        env.put("success", true);
        env.set("data", data);
        call.json(200, env.toString());
    }

    static void fail(Call call, int status, String code, String message) throws IOException {
        ObjectNode env = Json.object();
        env.put("success", false);
        env.putObject("error").put("code", code).put("message", message);
        call.json(status, env.toString());
    }
}
