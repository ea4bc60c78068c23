package ai.lthn.ml.backend;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.Scheduler;
import ai.lthn.ml.Ticker;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.HttpRetry;
import ai.lthn.ml.internal.Redact;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The HTTP side shared by {@link HttpBackend}'s plain and streamed calls: building the request,
 * the retry loop, the timeouts and turning statuses and error envelopes into exceptions.
 */
final class OpenAiTransport {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    final OkHttpClient client;
    /** The base URL as shown in messages and logs: credentials redacted. */
    final String baseUrl;
    /** The base URL requests go to. */
    private final String requestUrl;

    private final String apiKey;
    final RetryPolicy retry;
    final Duration totalTimeout;
    final Duration firstTokenTimeout;
    final Duration idleTimeout;
    final long maxResponseBytes;
    private final HttpRetry.Sleeper sleeper;
    final Ticker ticker;
    final Scheduler scheduler;
    /** Extra headers on every request ({@code HttpBackend.Builder.header}). */
    private final java.util.Map<String, String> headers;

    OpenAiTransport(
            OkHttpClient client,
            String baseUrl,
            String apiKey,
            RetryPolicy retry,
            Duration totalTimeout,
            Duration firstTokenTimeout,
            Duration idleTimeout,
            long maxResponseBytes,
            HttpRetry.Sleeper sleeper,
            Ticker ticker,
            Scheduler scheduler,
            java.util.Map<String, String> headers) {
        this.client = client;
        this.headers = java.util.Map.copyOf(headers);
        this.requestUrl = baseUrl;
        this.baseUrl = Redact.url(baseUrl);
        this.apiKey = apiKey;
        this.retry = retry;
        this.totalTimeout = totalTimeout;
        this.firstTokenTimeout = firstTokenTimeout;
        this.idleTimeout = idleTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.sleeper = sleeper;
        this.ticker = ticker;
        this.scheduler = scheduler;
    }

    String url(String path) {
        return requestUrl + path;
    }

    /** A new call POSTing {@code body} to {@code path}, bounded by the total timeout. */
    Call newCall(String path, byte[] body, boolean stream) {
        return newCall(path, body, stream, java.util.Map.of());
    }

    /** As {@link #newCall(String, byte[], boolean)}, with headers for this call only (they win). */
    Call newCall(String path, byte[] body, boolean stream, java.util.Map<String, String> callHeaders) {
        Request.Builder rb = request(path).post(RequestBody.create(body, JSON_TYPE));
        callHeaders.forEach(rb::header);
        if (stream) rb.header("Accept", "text/event-stream");
        Call call = client.newCall(rb.build());
        call.timeout().timeout(totalTimeout.toNanos(), TimeUnit.NANOSECONDS);
        return call;
    }

    /** A request to {@code path} with the key and the extra headers (method still to set). */
    Request.Builder request(String path) {
        Request.Builder rb = new Request.Builder().url(url(path));
        headers.forEach(rb::header);
        if (!apiKey.isEmpty()) rb.header("Authorization", "Bearer " + apiKey);
        return rb;
    }

    /** Runs {@code attempt} under the retry policy ({@link HttpRetry}). */
    <T> T retrying(String what, HttpRetry.Attempt<T> attempt) {
        return HttpRetry.run(retry, sleeper, ticker, what, attempt);
    }

    /** A watchdog for {@code call} on this transport's ticker and scheduler (not started). */
    Watchdog watchdog(Call call, Duration firstToken, Duration idle) {
        return new Watchdog(call, firstToken, idle, ticker, scheduler);
    }

    /**
     * Executes {@code call} on this thread with a watchdog that cancels it on a first-token or
     * idle timeout or an interrupt; the watchdog stays armed for reading the body.
     */
    Response execute(Call call, Watchdog watchdog) throws IOException {
        watchdog.enter();
        try {
            return call.execute();
        } finally {
            watchdog.exit();
        }
    }

    /**
     * Turns an I/O failure of a watched call into the exception the user should see: a timeout,
     * a cancellation, or the I/O failure itself (which the retry loop may retry).
     */
    IOException explain(IOException e, Watchdog watchdog, String partial) {
        if (watchdog.expiredLimit() != null) {
            String which = watchdog.expiredBeforeFirstToken() ? "first-token" : "idle";
            throw new MlTimeoutException(
                    "no token from " + baseUrl + " within " + millis(watchdog.expiredLimit()) + " (" + which
                            + " timeout)",
                    watchdog.expiredLimit(),
                    partial,
                    e);
        }
        if (watchdog.interrupted() || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("request to " + baseUrl + " interrupted", partial, e);
        }
        if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))
            throw new MlTimeoutException(
                    "request to " + baseUrl + " timed out after " + millis(totalTimeout), totalTimeout, partial, e);
        return e;
    }

    /** The exception for a non-200 response; reads (a bounded part of) the body and closes it. */
    HttpStatusException statusError(Response response) throws IOException {
        String body;
        try (response) {
            body = HttpBodies.text(response.body(), Math.min(maxResponseBytes, HttpBodies.ERROR_TEXT_BYTES));
        }
        int code = response.code();
        String detail = errorEnvelopeMessage(body);
        Duration retryAfter = HttpRetry.retryAfter(response.header("Retry-After"));
        String prefix = code >= 500 ? "server error " : "unexpected status ";
        return new HttpStatusException(prefix + code + ": " + detail, code, body, retryAfter);
    }

    /**
     * The message of an OpenAI error envelope in {@code body}, of vLLM's older top-level error
     * ({@code {"object": "error", "message": ..., "type": ...}}), or the body itself.
     */
    static String errorEnvelopeMessage(String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                ChatChunk c = ChatChunk.decode(trimmed.getBytes(StandardCharsets.UTF_8));
                if (c.error() != null) return c.error();
                com.fasterxml.jackson.databind.JsonNode root =
                        ai.lthn.ml.internal.Json.reader().readTree(trimmed);
                if ("error".equals(root.path("object").asText())
                        && root.path("message").isTextual()) {
                    String type = root.path("type").asText("");
                    return root.path("message").asText() + (type.isEmpty() ? "" : " (" + type + ")");
                }
            } catch (IOException notJson) {
                // fall through to the raw body
            }
        }
        return trimmed.length() > 2000 ? trimmed.substring(0, 2000) + "..." : trimmed;
    }

    static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
