package ai.lthn.ml.backend;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An OpenAI-compatible chat backend ({@code POST {base}/v1/chat/completions}): llama.cpp's
 * server, vLLM, Ollama and OpenAI itself. go-ml's behaviour: {@code generate} is a chat with one
 * user message; the per-request model overrides the backend's; max tokens from the options when
 * positive, else the backend's, omitted when 0; temperature always sent; up to 3 attempts with
 * 100 ms then 200 ms between them on connection failures and 5xx.
 *
 * <p>Beyond go-ml: {@code top_k}, {@code top_p} and {@code repeat_penalty} are sent when set; 408
 * and 429 are retried too; an optional bearer key (never logged); the whole call is bounded
 * ({@link MlTimeoutException}); backoff sleeps are interruptible; response bodies are read up to
 * a bound.
 *
 * <p>Thread-safe. An injected {@link OkHttpClient} is not closed by this class.
 *
 * <pre>{@code
 * Backend judge = HttpBackend.builder("http://127.0.0.1:8080", "qwen3").build();
 * }</pre>
 */
public final class HttpBackend implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final String baseUrl;
    private final String model;
    private final int maxTokens;
    private final String apiKey;
    private final OkHttpClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final long maxResponseBytes;
    private final Duration timeout;

    private HttpBackend(Builder b) {
        this.baseUrl = b.baseUrl;
        this.model = b.model;
        this.maxTokens = b.maxTokens;
        this.apiKey = b.apiKey;
        this.client = b.client != null
                ? b.client
                : new OkHttpClient.Builder().callTimeout(b.timeout).build();
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxResponseBytes = b.maxResponseBytes;
        this.timeout = b.timeout;
    }

    /**
     * A builder for a server at {@code baseUrl} (a trailing slash is dropped) serving {@code model}.
     */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    @Override
    public String generate(String prompt, GenOpts opts) {
        return chat(List.of(Message.user(prompt)), opts);
    }

    @Override
    public String chat(List<Message> messages, GenOpts opts) {
        byte[] body = requestBody(messages, opts);
        MlException last = null;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            if (attempt > 0) sleep(initialBackoff.multipliedBy(1L << (attempt - 1)));
            try {
                return once(body);
            } catch (HttpStatusException e) {
                if (!e.isRetryable()) throw e;
                last = e;
            } catch (MlIOException e) {
                last = e;
            }
        }
        throw new MlException("exhausted " + maxAttempts + " retries: " + last.getMessage(), last);
    }

    /** "http", as go-ml. */
    @Override
    public String name() {
        return "http";
    }

    /** True when a base URL is configured (no network call), as go-ml. */
    @Override
    public boolean isAvailable() {
        return !baseUrl.isEmpty();
    }

    /** The configured model. */
    public String model() {
        return model;
    }

    /** The base URL, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    byte[] requestBody(List<Message> messages, GenOpts opts) {
        ObjectNode req = JSON.createObjectNode();
        req.put("model", opts.model().isEmpty() ? model : opts.model());
        ArrayNode msgs = req.putArray("messages");
        for (Message m : messages) msgs.addObject().put("role", m.role()).put("content", m.content());
        req.put("temperature", opts.temperature());
        int tokens = opts.maxTokens() > 0 ? opts.maxTokens() : maxTokens;
        if (tokens > 0) req.put("max_tokens", tokens);
        if (opts.topK() > 0) req.put("top_k", opts.topK());
        if (opts.topP() > 0) req.put("top_p", opts.topP());
        if (opts.repeatPenalty() > 0) req.put("repeat_penalty", opts.repeatPenalty());
        if (opts.jsonMode()) req.putObject("response_format").put("type", "json_object");
        try {
            return JSON.writeValueAsBytes(req);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request", e);
        }
    }

    private String once(byte[] body) {
        Request.Builder rb =
                new Request.Builder().url(baseUrl + "/v1/chat/completions").post(RequestBody.create(body, JSON_TYPE));
        if (!apiKey.isEmpty()) rb.header("Authorization", "Bearer " + apiKey);
        try (Response response = client.newCall(rb.build()).execute()) {
            String text = readBounded(response.body());
            int code = response.code();
            if (code >= 500) throw new HttpStatusException("server error " + code + ": " + text, code, text);
            if (code != 200) throw new HttpStatusException("unexpected status " + code + ": " + text, code, text);
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (IOException e) {
                throw new MlException("unmarshal response: " + e.getMessage(), e);
            }
            JsonNode choices = root == null ? null : root.get("choices");
            if (choices == null || !choices.isArray() || choices.isEmpty())
                throw new MlException("no choices in response");
            return choices.get(0).path("message").path("content").asText("");
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted())
                throw new GenerationCancelledException("request interrupted", "", e);
            throw new MlTimeoutException("request to " + baseUrl + " timed out", timeout, "", e);
        } catch (IOException e) {
            throw new MlIOException("POST " + baseUrl + "/v1/chat/completions: " + e.getMessage(), e);
        }
    }

    private String readBounded(ResponseBody body) throws IOException {
        if (body == null) return "";
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
            if (bytes.length > maxResponseBytes)
                throw new MlException("response body larger than " + maxResponseBytes + " bytes from " + baseUrl);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("interrupted while waiting to retry", "", e);
        }
    }

    /** Builds an {@link HttpBackend}. */
    public static final class Builder {
        private final String baseUrl;
        private final String model;
        private int maxTokens;
        private String apiKey = "";
        private OkHttpClient client;
        private Duration timeout = Duration.ofSeconds(300);
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(100);
        private long maxResponseBytes = 16L * 1024 * 1024;

        private Builder(String baseUrl, String model) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Default max tokens when a request does not set them; 0 = the server's default. */
        public Builder maxTokens(int value) {
            if (value < 0) throw new IllegalArgumentException("maxTokens < 0");
            this.maxTokens = value;
            return this;
        }

        /** A bearer key sent as {@code Authorization}; never logged. */
        public Builder apiKey(String value) {
            this.apiKey = Objects.requireNonNull(value, "apiKey");
            return this;
        }

        /** Reads the bearer key from an environment variable, if set. */
        public Builder apiKeyFromEnv(String variable) {
            String v = System.getenv(variable);
            if (v != null) this.apiKey = v;
            return this;
        }

        /** Use this client (not closed by the backend); its timeouts apply instead of {@link #timeout}. */
        public Builder client(OkHttpClient value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /** The whole-call limit per attempt; default 300 s (go-ml's). */
        public Builder timeout(Duration value) {
            if (value.isNegative() || value.isZero()) throw new IllegalArgumentException("timeout must be positive");
            this.timeout = value;
            return this;
        }

        /** Attempts per call (default 3) and the first backoff (default 100 ms, doubling). */
        public Builder retries(int attempts, Duration firstBackoff) {
            if (attempts < 1) throw new IllegalArgumentException("attempts < 1");
            this.maxAttempts = attempts;
            this.initialBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
            return this;
        }

        /** The largest response body read (default 16 MiB). */
        public Builder maxResponseBytes(long value) {
            if (value < 1) throw new IllegalArgumentException("maxResponseBytes < 1");
            this.maxResponseBytes = value;
            return this;
        }

        /** The backend. */
        public HttpBackend build() {
            return new HttpBackend(this);
        }
    }
}
