package ai.lthn.ml.backend;

import ai.lthn.ml.Backend;
import ai.lthn.ml.CallEvent;
import ai.lthn.ml.CallObserver;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.Scheduler;
import ai.lthn.ml.StreamingBackend;
import ai.lthn.ml.Ticker;
import ai.lthn.ml.TokenCallback;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.internal.Checks;
import ai.lthn.ml.internal.Deadlines;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.HttpRetry;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * An OpenAI-compatible chat backend ({@code POST {base}/v1/chat/completions}): llama.cpp's
 * server, vLLM, Ollama and OpenAI itself. go-ml's behaviour: {@code generate} is a chat with one
 * user message; the per-request model overrides the backend's; max tokens from the options when
 * positive, else the backend's, omitted when 0; temperature always sent; up to 3 attempts with
 * 100 ms then 200 ms between them on connection failures and 5xx.
 *
 * <p>Beyond go-ml: {@code top_k}, {@code top_p}, {@code repeat_penalty} and JSON mode are sent
 * when set; one {@link RetryPolicy} (408 and 429 too, jitter, {@code Retry-After}, a total-time
 * cap); an optional bearer key (never logged); connect, first-token, idle and total timeouts
 * ({@link MlTimeoutException}); blocking calls and backoff sleeps are interruptible; response
 * bodies are read up to a bound; the OpenAI error envelope's message in errors.
 *
 * <p>Real streaming: {@link #streamChat} and {@link #textModel()} request {@code stream: true}
 * and yield tokens as the server sends them; closing the stream cancels the HTTP call.
 *
 * <p>Beyond strings: {@link #complete} sends a {@link ChatRequest} (several choices, token log
 * probabilities, penalties, {@code user}, a JSON Schema response format, tools, per-call headers)
 * and returns a {@link ChatResult} (every choice's text, finish reason, tool calls and log
 * probabilities, the usage); {@link #stream} streams it ({@link ChatStream}, tool calls assembled
 * from their fragments); {@link #completeAsync} runs it as a cancellable {@code
 * CompletableFuture}.
 *
 * <p><b>Thread-safety and lifecycle.</b> Immutable and thread-safe: share one backend between
 * threads; each call, and each stream, is independent. A backend holds no resource of its own
 * and needs no closing: without an injected client it uses one connection pool shared by every
 * such backend (idle connections time out by themselves). An injected {@link OkHttpClient} is
 * the escape hatch for proxies, TLS or interceptors; it stays the caller's, and is not closed
 * here. Streams ({@link #streamChat}) are the caller's to close: closing one cancels its call.
 *
 * <pre>{@code
 * HttpBackend judge = HttpBackend.builder("http://127.0.0.1:8080", "qwen3")
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .build();                                        // share it; no close needed
 * String reply = judge.generate("Hello", GenOpts.defaults());
 * try (TokenStream tokens = judge.streamGenerate("Hello", GenOpts.defaults())) {
 *     for (Token t : tokens.tokens()) System.out.print(t.text());
 * }
 * }</pre>
 */
public final class HttpBackend implements Backend, StreamingBackend {
    static final String CHAT_PATH = "/v1/chat/completions";
    static final String COMPLETIONS_PATH = "/v1/completions";

    private final String model;
    private final CallObserver observer;
    private final int maxTokens;
    private final boolean emulateChoices;
    private final OpenAiTransport http;
    private volatile GenerateMetrics lastMetrics = GenerateMetrics.ZERO;

    private HttpBackend(Builder b) {
        this.model = b.model;
        this.observer = b.observer;
        this.maxTokens = b.maxTokens;
        this.emulateChoices = b.emulateChoices;
        OkHttpClient client = b.client != null
                ? b.client
                : ai.lthn.ml.internal.HttpClients.shared()
                        .newBuilder()
                        .connectTimeout(b.connectTimeout)
                        .writeTimeout(b.connectTimeout.plus(b.idleTimeout))
                        .readTimeout(Duration.ZERO) // the watchdog and the total timeout govern reads
                        .build();
        this.http = new OpenAiTransport(
                client,
                b.baseUrl,
                b.apiKey,
                b.retry,
                b.timeout,
                b.firstTokenTimeout == null ? b.timeout : b.firstTokenTimeout,
                b.idleTimeout,
                b.maxResponseBytes,
                b.sleeper,
                b.ticker,
                b.scheduler,
                b.headers);
    }

    /**
     * A builder for a server at {@code baseUrl} (a trailing slash is dropped) serving {@code model}.
     *
     * @param baseUrl the server URL; a trailing slash is dropped, and so is a final {@code /v1}
     *     (the form the OpenAI SDKs take)
     * @param model the model
     * @return a new builder
     */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    @Override
    public String generate(String prompt, GenOpts opts) {
        return chat(List.of(Message.user(prompt)), opts);
    }

    /** One non-streamed request, as go-ml sends it; retried under the policy. */
    @Override
    public String chat(List<Message> messages, GenOpts opts) {
        byte[] body = requestBody(messages, opts, false);
        return http.retrying("POST " + http.url(CHAT_PATH), () -> once(CHAT_PATH, body));
    }

    /**
     * Streams the next assistant turn: tokens as the server sends them. Nothing is sent until the
     * stream is first read; close it to cancel the call.
     *
     * @param messages the conversation so far, oldest first
     * @param opts the generation options
     * @return the stream, to be closed by the caller; nothing is sent before its first read
     */
    public TokenStream streamChat(List<Message> messages, GenOpts opts) {
        return new HttpTokenStream(http, requestBody(messages, opts, true), this::streamEnded);
    }

    /** A stream ended normally: its metrics kept, its usage (include_usage) observed. */
    private void streamEnded(GenerateMetrics m) {
        lastMetrics = m;
        if (observer != null)
            observer.onCall(new CallEvent(200, null, -1, null, m.promptTokens(), m.generatedTokens()));
    }

    /**
     * Streams a reply to one user prompt; see {@link #streamChat}.
     *
     * @param prompt the prompt
     * @param opts the generation options
     * @return the stream, to be closed by the caller
     */
    public TokenStream streamGenerate(String prompt, GenOpts opts) {
        return streamChat(List.of(Message.user(prompt)), opts);
    }

    /**
     * The server's continuation of {@code prompt}, from the legacy {@code POST /v1/completions}:
     * the prompt goes as it is, with no chat template, which is what a base model (a pre-training
     * checkpoint, say) is evaluated on. Options, retries, timeouts and errors are {@link #chat}'s.
     * Not part of go-ml, which asked chat completions only.
     *
     * @param prompt the text to continue
     * @param opts the generation options
     * @return the first choice's {@code text}
     */
    public String completion(String prompt, GenOpts opts) {
        byte[] body = completionBody(prompt, opts, false);
        return http.retrying("POST " + http.url(COMPLETIONS_PATH), () -> once(COMPLETIONS_PATH, body));
    }

    /**
     * {@link #completion} streamed: tokens as the server sends them ({@code choices[0].text} of
     * each event). Nothing is sent before the stream's first read; close it to cancel the call.
     *
     * @param prompt the text to continue
     * @param opts the generation options
     * @return the stream, to be closed by the caller
     */
    public TokenStream streamCompletion(String prompt, GenOpts opts) {
        return new HttpTokenStream(http, COMPLETIONS_PATH, completionBody(prompt, opts, true), this::streamEnded);
    }

    private byte[] completionBody(String prompt, GenOpts opts, boolean stream) {
        java.util.Objects.requireNonNull(prompt, "prompt");
        return OpenAiWire.bytes(OpenAiWire.completionRequest(model, maxTokens, prompt, opts, stream));
    }

    /**
     * This backend as a streaming {@link ai.lthn.ml.inference.TextModel}.
     *
     * @return this backend as a streaming {@link ai.lthn.ml.inference.TextModel}
     */
    public HttpTextModel textModel() {
        return new HttpTextModel(this);
    }

    /** @deprecated use {@link #streamGenerate}; tokens reach the callback as they arrive. */
    @Deprecated
    @Override
    public void generateStream(String prompt, GenOpts opts, TokenCallback callback) {
        chatStream(List.of(Message.user(prompt)), opts, callback);
    }

    /** @deprecated use {@link #streamChat}; tokens reach the callback as they arrive. */
    @Deprecated
    @Override
    public void chatStream(List<Message> messages, GenOpts opts, TokenCallback callback) {
        try (TokenStream s = streamChat(messages, opts)) {
            while (s.hasNext()) callback.onToken(s.next().text());
        }
    }

    /** "http", as go-ml. */
    @Override
    public String name() {
        return "http";
    }

    /** True when a base URL is configured (no network call), as go-ml. */
    @Override
    public boolean isAvailable() {
        return !http.baseUrl.isEmpty();
    }

    /**
     * The configured model.
     *
     * @return the configured model
     */
    public String model() {
        return model;
    }

    /**
     * The base URL, without a trailing slash, credentials redacted (safe to show or record).
     *
     * @return the base URL
     */
    public String baseUrl() {
        return http.baseUrl;
    }

    /** The metrics of the last stream that ended normally. */
    GenerateMetrics lastMetrics() {
        return lastMetrics;
    }

    byte[] requestBody(List<Message> messages, GenOpts opts, boolean stream) {
        return OpenAiWire.bytes(OpenAiWire.request(model, maxTokens, messages, opts, stream));
    }

    byte[] requestBody(ChatRequest request, int n, boolean stream) {
        return OpenAiWire.bytes(OpenAiWire.request(model, maxTokens, request, n, stream));
    }

    private String once(String path, byte[] body) throws IOException {
        return once(path, body, java.util.Map.of(), (response, reply) -> {
            String type = response.header("Content-Type", "");
            if (type.startsWith("text/event-stream")) return fromEvents(response, reply);
            ChatChunk chunk = decode(reply);
            observe(response, null, chunk.promptTokens(), chunk.completionTokens());
            return contentOf(chunk);
        });
    }

    /** The reply of one non-streamed call: the response (headers) and its body, bounded. */
    private interface ReplyReader<T> {
        T read(Response response, byte[] reply);
    }

    private <T> T once(String path, byte[] body, java.util.Map<String, String> headers, ReplyReader<T> read)
            throws IOException {
        Call call = http.newCall(path, body, false, headers);
        try (Watchdog w =
                http.watchdog(call, http.firstTokenTimeout, Duration.ZERO).start()) {
            try {
                Response response = http.execute(call, w);
                if (response.code() != 200) {
                    HttpStatusException error = http.statusError(response);
                    observe(response, error.retryAfter().orElse(null), -1, -1);
                    throw error;
                }
                byte[] reply;
                w.enter();
                try (response) {
                    reply = HttpBodies.bytes(response.body(), http.maxResponseBytes, http.baseUrl);
                } finally {
                    w.exit();
                }
                return read.read(response, reply);
            } catch (IOException e) {
                throw http.explain(e, w, "");
            }
        }
    }

    /**
     * One call of the rich API: every choice, finish reason, tool call, token log probability and
     * the usage ({@link ChatResult}). Retried under the policy like {@link #chat}; the request's
     * headers are added to the backend's. With {@code n > 1} on a backend built with {@link
     * Builder#emulateChoices(boolean) emulateChoices}, the choices come from {@code n} calls of
     * one choice each, made one after the other (their usage summed).
     *
     * @param request the call
     * @return what the server answered
     * @throws ai.lthn.ml.HttpStatusException when the server refuses (a field it does not support)
     * @throws MlException when the reply is not a chat completion
     */
    public ChatResult complete(ChatRequest request) {
        if (request.n() > 1 && emulateChoices) {
            OpenAiWire.Assembler all = new OpenAiWire.Assembler();
            for (int i = 0; i < request.n(); i++) all.addShifted(completeOnce(request, 1), i);
            return all.result();
        }
        return completeOnce(request, request.n());
    }

    private ChatResult completeOnce(ChatRequest request, int n) {
        byte[] body = requestBody(request, n, false);
        return http.retrying(
                "POST " + http.url(CHAT_PATH),
                () -> once(CHAT_PATH, body, request.headers(), (response, reply) -> {
                    ChatResult result;
                    if (response.header("Content-Type", "").startsWith("text/event-stream")) {
                        result = OpenAiWire.resultOfEvents(reply);
                    } else {
                        result = OpenAiWire.result(OpenAiWire.tree(reply));
                    }
                    observe(
                            response,
                            null,
                            result.usage().promptTokens(),
                            result.usage().completionTokens());
                    return result;
                }));
    }

    /**
     * Streams one call of the rich API: the steps of every choice as the server sends them, and
     * the assembled {@link ChatStream#result()} at the end. Nothing is sent before the stream's
     * first read; close it to cancel the call. With {@code n > 1} the server streams every choice
     * in one stream, interleaved; a backend built with {@link Builder#emulateChoices
     * emulateChoices} makes {@code n} calls of one choice instead, one after the other, each sent
     * when the previous one has ended.
     *
     * @param request the call
     * @return the stream, to be closed by the caller
     */
    public ChatStream stream(ChatRequest request) {
        if (request.n() > 1 && emulateChoices) {
            byte[] one = requestBody(request, 1, true);
            List<java.util.function.Function<java.util.function.Consumer<byte[]>, TokenStream>> calls =
                    java.util.Collections.nCopies(
                            request.n(),
                            sink -> new HttpTokenStream(http, one, request.headers(), this::streamEnded, sink));
            return new ChatStream(calls);
        }
        byte[] body = requestBody(request, request.n(), true);
        return new ChatStream(sink -> new HttpTokenStream(http, body, request.headers(), this::streamEnded, sink));
    }

    /**
     * {@link #complete} on a shared pool of daemon threads, for callers on an event loop.
     * Cancelling the future interrupts the call, which cancels the HTTP request.
     *
     * @param request the call
     * @return the result to come
     */
    public java.util.concurrent.CompletableFuture<ChatResult> completeAsync(ChatRequest request) {
        return completeAsync(request, AsyncCall.SHARED);
    }

    /**
     * {@link #complete} on {@code executor} (on Java 21 and later, {@code
     * Executors.newVirtualThreadPerTaskExecutor()} gives each call a virtual thread). Cancelling
     * the future interrupts the thread running the call, which cancels the HTTP request; the
     * future then completes as cancelled.
     *
     * @param request the call
     * @param executor where the blocking call runs
     * @return the result to come
     */
    public java.util.concurrent.CompletableFuture<ChatResult> completeAsync(
            ChatRequest request, java.util.concurrent.Executor executor) {
        Objects.requireNonNull(request, "request");
        return AsyncCall.start(() -> complete(request), executor);
    }

    private void observe(Response response, Duration retryAfter, int promptTokens, int completionTokens) {
        if (observer == null) return;
        observer.onCall(new CallEvent(
                response.code(),
                retryAfter,
                longHeader(response.header("x-ratelimit-remaining-requests")),
                goDuration(response.header("x-ratelimit-reset-requests")),
                promptTokens,
                completionTokens));
    }

    private static long longHeader(String value) {
        if (value == null) return -1;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** OpenAI's reset form: {@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1h2m3.5s}; null if unreadable. */
    static Duration goDuration(String value) {
        if (value == null || value.isBlank()) return null;
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(value.strip());
        double nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) return null;
            double n = Double.parseDouble(m.group(1));
            nanos += n
                    * switch (m.group(2)) {
                        case "h" -> 3.6e12;
                        case "m" -> 6e10;
                        case "s" -> 1e9;
                        default -> 1e6;
                    };
            end = m.end();
        }
        return end == value.strip().length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
    }

    private static ChatChunk decode(byte[] reply) {
        try {
            return ChatChunk.decode(reply);
        } catch (IOException e) {
            throw new MlException("unmarshal response: " + e.getMessage(), e);
        }
    }

    /**
     * A server that streams although {@code stream} was false (some proxies do): the events'
     * texts are joined, as the stream would have delivered them, and the usage taken from the
     * event that carries it.
     */
    private String fromEvents(Response response, byte[] reply) {
        StringBuilder text = new StringBuilder();
        int prompt = -1;
        int completion = -1;
        boolean any = false;
        for (byte[] data : OpenAiWire.dataEvents(reply)) {
            ChatChunk chunk = decode(data);
            any = true;
            if (chunk.content() != null) text.append(chunk.content());
            if (chunk.promptTokens() >= 0) prompt = chunk.promptTokens();
            if (chunk.completionTokens() >= 0) completion = chunk.completionTokens();
        }
        if (!any)
            throw new MlException(
                    "the server answered a non-streaming request with an event stream holding no data events");
        observe(response, null, prompt, completion);
        return text.toString();
    }

    /**
     * The models the server lists ({@code GET /v1/models}: each {@code data[].id}), retried as
     * generations are.
     *
     * @return the model ids, in the server's order
     * @throws ai.lthn.ml.HttpStatusException when the server refuses (e.g. 404 from a server without the route)
     */
    public List<String> models() {
        return http.retrying("GET " + http.baseUrl + "/v1/models", () -> {
            Call call = http.client.newCall(http.request("/v1/models").get().build());
            call.timeout().timeout(http.totalTimeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            try (Response r = call.execute()) {
                if (r.code() != 200) throw http.statusError(r);
                com.fasterxml.jackson.databind.JsonNode root =
                        Json.reader().readTree(HttpBodies.bytes(r.body(), http.maxResponseBytes, http.baseUrl));
                List<String> ids = new java.util.ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonNode m : root.path("data"))
                    if (m.path("id").isTextual()) ids.add(m.path("id").asText());
                return ids;
            }
        });
    }

    /**
     * Embeddings of {@code inputs} ({@code POST /v1/embeddings} with this backend's model), in the
     * order given, for servers that serve them (vLLM, Ollama, llama.cpp with {@code --embeddings},
     * OpenAI); retried as generations are.
     *
     * @param inputs the texts, at least one
     * @return one vector per input, in input order (the server's {@code index} decides the order)
     * @throws ai.lthn.ml.HttpStatusException when the server refuses (a model without embeddings)
     * @throws MlException when the reply is not an embedding list for every input
     */
    public List<float[]> embed(List<String> inputs) {
        return embeddings("", inputs).vectors();
    }

    /**
     * Embeddings of {@code inputs} from the model named (this backend's when empty), with the
     * prompt tokens the server counted ({@code usage.prompt_tokens}; 0 when it gives none).
     *
     * @param model the embedding model to ask for; empty = this backend's
     * @param inputs the texts, at least one
     * @return one vector per input in input order, and the token count
     * @throws ai.lthn.ml.HttpStatusException when the server refuses (a model without embeddings)
     * @throws MlException when the reply is not an embedding list for every input
     */
    public ai.lthn.ml.inference.Embeddings embeddings(String model, List<String> inputs) {
        java.util.Objects.requireNonNull(model, "model (empty for the backend's)");
        if (inputs.isEmpty()) throw new IllegalArgumentException("no inputs");
        for (int i = 0; i < inputs.size(); i++) java.util.Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]");
        com.fasterxml.jackson.databind.node.ObjectNode req =
                Json.object().put("model", model.isEmpty() ? this.model : model);
        ArrayNode in = req.putArray("input");
        inputs.forEach(in::add);
        byte[] body = req.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return http.retrying("POST " + http.baseUrl + "/v1/embeddings", () -> {
            try (Response r = http.newCall("/v1/embeddings", body, false).execute()) {
                if (r.code() != 200) throw http.statusError(r);
                com.fasterxml.jackson.databind.JsonNode root =
                        Json.reader().readTree(HttpBodies.bytes(r.body(), http.maxResponseBytes, http.baseUrl));
                com.fasterxml.jackson.databind.JsonNode data = root.path("data");
                float[][] out = new float[inputs.size()][];
                for (com.fasterxml.jackson.databind.JsonNode e : data) {
                    int index = e.path("index").asInt(-1);
                    com.fasterxml.jackson.databind.JsonNode v = e.path("embedding");
                    if (index < 0 || index >= out.length || !v.isArray())
                        throw new MlException("embeddings reply: an entry without a valid index and vector");
                    float[] f = new float[v.size()];
                    for (int i = 0; i < f.length; i++) f[i] = (float) v.get(i).asDouble();
                    out[index] = f;
                }
                for (int i = 0; i < out.length; i++)
                    if (out[i] == null) throw new MlException("embeddings reply: no vector for input " + i);
                int tokens = root.path("usage").path("prompt_tokens").asInt(0);
                return new ai.lthn.ml.inference.Embeddings(List.of(out), Math.max(0, tokens));
            }
        });
    }

    /** The first choice's text, decoded by the same {@link ChatChunk} reader the streams use. */
    private static String contentOf(ChatChunk chunk) {
        if (!chunk.hasChoices()) throw new MlException("no choices in response");
        return chunk.content() == null ? "" : chunk.content();
    }

    /** Builds an {@link HttpBackend}. */
    public static final class Builder {
        private final String baseUrl;
        private final String model;
        private int maxTokens;
        private boolean emulateChoices;
        private CallObserver observer;
        private String apiKey = "";
        private OkHttpClient client;
        private Duration timeout = Duration.ofSeconds(300);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration firstTokenTimeout;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private RetryPolicy retry = RetryPolicy.defaults();
        private long maxResponseBytes = 16L * 1024 * 1024;
        private HttpRetry.Sleeper sleeper = HttpRetry.Sleeper.real();
        private Ticker ticker = Ticker.system();
        private Scheduler scheduler = Deadlines.system();

        private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

        private Builder(String baseUrl, String model) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String url = baseUrl.replaceAll("/+$", "");
            // the OpenAI SDKs' base URL form (".../v1"): the paths this backend adds start with /v1
            this.baseUrl = url.endsWith("/v1") ? url.substring(0, url.length() - 3) : url;
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * A header sent on every request (an organisation or project id, a gateway's routing
         * header), without touching OkHttp. {@code Authorization} is {@link #apiKey}'s.
         *
         * @param name the header name
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException for {@code Authorization}, or a name or value OkHttp
         *     would refuse (control characters)
         */
        public Builder header(String name, String value) {
            headers.put(ChatRequest.checkHeader(name, value), value);
            return this;
        }

        /**
         * Sees every request's status, rate-limit headers and token usage (for an adaptive
         * concurrency limit, accounting, budgets).
         *
         * @param value the observer; null for none
         * @return this builder
         */
        public Builder observer(CallObserver value) {
            this.observer = value;
            return this;
        }

        /**
         * Make {@link HttpBackend#complete} ask for {@code n > 1} choices as {@code n} calls of one
         * choice each, for servers that refuse {@code n} (llama.cpp's server: "Only one completion
         * choice is allowed") or ignore it (Ollama). Default false: {@code n} is sent as asked.
         *
         * @param value whether to emulate
         * @return this builder
         */
        public Builder emulateChoices(boolean value) {
            this.emulateChoices = value;
            return this;
        }

        /**
         * Default max tokens when a request does not set them; 0 = the server's default.
         *
         * @param value the default; 0 = the server's default
         * @return this builder
         */
        public Builder maxTokens(int value) {
            if (value < 0) throw new IllegalArgumentException("maxTokens < 0");
            this.maxTokens = value;
            return this;
        }

        /**
         * A bearer key sent as {@code Authorization}; never logged.
         *
         * @param value a bearer key sent as {@code Authorization}; never logged
         * @return this builder
         */
        public Builder apiKey(String value) {
            this.apiKey = Objects.requireNonNull(value, "apiKey");
            return this;
        }

        /**
         * Reads the bearer key from an environment variable, if set.
         *
         * @param variable the environment variable
         * @return this builder
         */
        public Builder apiKeyFromEnv(String variable) {
            String v = System.getenv(variable);
            if (v != null) this.apiKey = v;
            return this;
        }

        /**
         * Use this client (not closed by the backend). Its connect timeout and dispatcher limits
         * apply; the first-token, idle and total timeouts of this builder still do.
         *
         * @param value the client (proxy, TLS, interceptors, pools); not closed by the backend
         * @return this builder
         */
        public Builder client(OkHttpClient value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /**
         * The limit on one attempt, body included; default 300 s (go-ml's).
         *
         * @param value the limit on one attempt, body included; default 300 s (go-ml's)
         * @return this builder
         */
        public Builder timeout(Duration value) {
            this.timeout = Checks.positive(value, "timeout");
            return this;
        }

        /**
         * The limit on opening a connection; default 10 s.
         *
         * @param value the limit on opening a connection; default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Checks.positive(value, "connectTimeout");
            return this;
        }

        /**
         * The longest wait for the first token of a stream, or for the whole reply of a
         * non-streamed call; default: the total timeout.
         *
         * @param value the longest wait for the first token of a stream, or for the whole reply of a non-streamed call; default: the total timeout
         * @return this builder
         */
        public Builder firstTokenTimeout(Duration value) {
            this.firstTokenTimeout = Checks.positive(value, "firstTokenTimeout");
            return this;
        }

        /**
         * The longest silence between two tokens of a stream; default 60 s.
         *
         * @param value the longest silence between two tokens of a stream; default 60 s
         * @return this builder
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = Checks.positive(value, "idleTimeout");
            return this;
        }

        /**
         * The retry policy; default {@link RetryPolicy#defaults()}.
         *
         * @param value the retry policy; default {@link RetryPolicy#defaults()}
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /**
         * Attempts per call and the first backoff (doubling), keeping the rest of the policy.
         *
         * @param attempts attempts per call, at least 1 (1 = no retry)
         * @param firstBackoff the wait before the second attempt; it doubles for each later one
         * @return this builder
         */
        public Builder retries(int attempts, Duration firstBackoff) {
            this.retry = new RetryPolicy(
                    attempts,
                    Objects.requireNonNull(firstBackoff, "firstBackoff"),
                    retry.maxBackoff(),
                    retry.jitter(),
                    retry.maxElapsed());
            return this;
        }

        /**
         * The largest response body, or one streamed event, read (default 16 MiB).
         *
         * @param value the largest response body, or one streamed event, read (default 16 MiB)
         * @return this builder
         */
        public Builder maxResponseBytes(long value) {
            if (value < 16) throw new IllegalArgumentException("maxResponseBytes < 16");
            this.maxResponseBytes = value;
            return this;
        }

        Builder sleeper(HttpRetry.Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /**
         * The time source of the first-token and idle limits, the retry budget and the stream
         * metrics; default {@link Ticker#system()}.
         *
         * @param value the ticker
         * @return this builder
         */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * What checks the first-token and idle limits (every 50 ms of the ticker's time while a
         * call is open); default one shared daemon timer thread.
         *
         * @param value the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /**
         * The backend.
         *
         * @return the backend
         */
        public HttpBackend build() {
            return new HttpBackend(this);
        }
    }
}
