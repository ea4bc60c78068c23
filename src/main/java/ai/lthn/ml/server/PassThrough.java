package ai.lthn.ml.server;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.ToolCall;
import ai.lthn.ml.backend.ChatChoice;
import ai.lthn.ml.backend.ChatDelta;
import ai.lthn.ml.backend.ChatRequest;
import ai.lthn.ml.backend.ChatResult;
import ai.lthn.ml.backend.ChatStream;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.backend.TokenLogprob;
import ai.lthn.ml.backend.ToolCallDelta;
import ai.lthn.ml.backend.Usage;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A chat request with fields beyond plain text (tools, logprobs, {@code n}, a response format,
 * penalties, {@code user}, {@code stop}, {@code seed}, tool turns) served by an HTTP upstream:
 * every field goes upstream through {@link HttpBackend}'s rich API and everything the upstream
 * answers — every choice, tool calls, log probabilities, finish reasons, usage — comes back in
 * OpenAI's shapes, whole or as SSE. The request deadline and a client that leaves cancel the
 * upstream call. An upstream that refuses a field (a 4xx) is a 400 carrying its message, so the
 * client learns which field; other upstream failures map as {@link Failures} says.
 */
final class PassThrough {
    private static final long WAIT_SLICE_NANOS = 100_000_000L;
    /** A keep-alive comment after this long without an event, as on the token path. */
    static final long HEARTBEAT_NANOS = 10_000_000_000L;

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Settings settings;
    private final ExecutorService producers;
    private final Scheduler scheduler;
    private final ServerMetrics metrics;
    private final OpenStreams open;

    PassThrough(
            Settings settings,
            ExecutorService producers,
            Scheduler scheduler,
            ServerMetrics metrics,
            OpenStreams open) {
        this.settings = settings;
        this.producers = producers;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.open = open;
    }

    void run(Call call, GenerationRequest req, HttpBackend backend, String id) throws IOException {
        ChatRequest request = req.extras()
                .toChatRequest(req.messages(), req.maxTokens(), req.temperature(), settings.upstreamModel(req.model()));
        long created = settings.clock().millis() / 1000;
        if (req.stream()) {
            ChatStream steps = backend.stream(request);
            try (Registered r = new Registered(open, steps::close)) {
                stream(call, req, steps, id, created);
            }
        } else {
            CompletableFuture<ChatResult> future = backend.completeAsync(request, producers);
            try (Registered r = new Registered(open, () -> future.cancel(true))) {
                whole(call, future, id, created);
            }
        }
    }

    /**
     * A pass-through call in the server's set of open streams while it runs, so closing the
     * server cancels it as it cancels a model's stream. It has no tokens of its own.
     */
    private static final class Registered implements TokenStream {
        private final OpenStreams open;
        private final Runnable cancel;

        Registered(OpenStreams open, Runnable cancel) {
            this.open = open;
            this.cancel = cancel;
            if (!open.add(this)) cancel.run(); // the server began cancelling while the call started
        }

        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public Token next() {
            throw new java.util.NoSuchElementException("a pass-through call has no tokens of its own");
        }

        /** Unregisters and cancels the call: the server's close; a no-op cancel once the request has ended. */
        @Override
        public void close() {
            if (open.remove(this)) cancel.run();
        }

        @Override
        public FinishReason finishReason() {
            return FinishReason.UNKNOWN;
        }

        @Override
        public GenerateMetrics metrics() {
            return GenerateMetrics.ZERO;
        }
    }

    private void whole(Call call, CompletableFuture<ChatResult> future, String id, long created) throws IOException {
        DisconnectProbe probe = DisconnectProbe.start(call.endPoint(), () -> future.cancel(true), scheduler);
        ChatResult result;
        try {
            result = await(
                    future,
                    probe,
                    settings.ticker().read() + settings.requestTimeout().toNanos());
        } finally {
            probe.stop();
            call.closeAfter |= probe.readAhead();
        }
        Usage u = result.usage();
        metrics.firstToken(settings.ticker().read() - call.startNanos);
        metrics.generation(Math.max(u.promptTokens(), 0), Math.max(u.completionTokens(), 0), 0);
        call.tokens = Math.max(u.completionTokens(), 0);
        call.send(200, "application/json", completion(result, id, created, settings.modelId()));
    }

    private ChatResult await(CompletableFuture<ChatResult> future, DisconnectProbe probe, long deadline)
            throws ClientGoneException {
        while (true) {
            long left = deadline - settings.ticker().read();
            if (left <= 0) {
                future.cancel(true);
                throw failed(Failures.timeout());
            }
            try {
                return future.get(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (probe.clientGone()) throw new ClientGoneException();
            } catch (CancellationException e) {
                throw new ClientGoneException();
            } catch (ExecutionException e) {
                if (probe.clientGone()) throw new ClientGoneException();
                throw e.getCause() instanceof MlException m
                        ? failure(m)
                        : new IllegalStateException("pass-through call failed", e.getCause());
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new ApiException(503, "server_error", "shutting_down", "server is shutting down");
            }
        }
    }

    private void stream(Call call, GenerationRequest req, ChatStream steps, String id, long created)
            throws IOException {
        long deadline = settings.ticker().read() + settings.requestTimeout().toNanos();
        StepPump pump = new StepPump(steps, settings.maxResponseChars());
        DisconnectProbe probe = DisconnectProbe.start(call.endPoint(), steps::close, scheduler);
        try {
            pump.start(producers);
            // the first item before committing to 200, so an early failure gets a real status
            StepPump.Item item = next(pump, probe, deadline, Long.MAX_VALUE);
            if (item == null) throw failed(Failures.timeout());
            if (item instanceof StepPump.Item.Failed f) throw failure(f.error());
            metrics.firstToken(settings.ticker().read() - call.startNanos);
            call.response.setStatus(200);
            call.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            call.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            call.response.getHeaders().put("X-Accel-Buffering", "no");
            Set<Integer> started = new HashSet<>();
            Chunks text = new Chunks(true, id, created, settings.modelId());
            Set<Integer> finished = new HashSet<>();
            StringBuilder out = new StringBuilder();
            while (true) {
                if (item instanceof StepPump.Item.Step step) {
                    ChatDelta d = step.delta();
                    if (!d.content().isEmpty()) call.tokens++;
                    if (d.finished()) finished.add(d.index());
                    boolean first = started.add(d.index());
                    if (!first && d.toolCalls().isEmpty() && d.logprobs().isEmpty() && !d.finished()) {
                        out.append("data: "); // the common step, text only: no tree (as Chunks does)
                        text.text(out, d.index(), d.content());
                        out.append("\n\n");
                    } else {
                        event(out, chunk(d, first, id, created, settings.modelId()));
                    }
                } else if (item instanceof StepPump.Item.End end) {
                    if (end.capped()) { // the response cap: every open choice ends as "length"
                        for (int index : started)
                            if (!finished.contains(index))
                                event(
                                        out,
                                        chunk(
                                                new ChatDelta(index, "", null, null, FinishReason.LENGTH),
                                                false,
                                                id,
                                                created,
                                                settings.modelId()));
                    } else {
                        Usage u = end.result().usage();
                        metrics.generation(Math.max(u.promptTokens(), 0), Math.max(u.completionTokens(), 0), 0);
                        if (req.includeUsage()) {
                            ObjectNode usage = head(id, created, settings.modelId(), "chat.completion.chunk");
                            usage.putArray("choices");
                            usage.set("usage", usage(u));
                            event(out, usage);
                        }
                    }
                    out.append("data: [DONE]\n\n");
                    write(call, out, true);
                    return;
                } else if (item instanceof StepPump.Item.Failed f) {
                    ApiException api = failure(f.error());
                    event(out, Chunks.error(api.getMessage(), api.type, api.code));
                    write(call, out, true);
                    return;
                }
                item = pump.poll();
                if (item == null) { // nothing ready: show what we have, then wait, with keep-alives
                    write(call, out, false);
                    while ((item = next(pump, probe, deadline, HEARTBEAT_NANOS)) == null) {
                        if (settings.ticker().read() - deadline >= 0) {
                            ApiException api = failed(Failures.timeout());
                            event(out, Chunks.error(api.getMessage(), api.type, api.code));
                            write(call, out, true);
                            return;
                        }
                        call.write(false, ByteBuffer.wrap(KEEP_ALIVE));
                    }
                }
            }
        } finally {
            pump.abandon();
            probe.stop();
            call.closeAfter |= probe.readAhead();
            steps.close();
        }
    }

    /**
     * The next item, waiting at most {@code maxWaitNanos} and never past the deadline (then the
     * upstream call is closed); null when either passed first.
     */
    private StepPump.Item next(StepPump pump, DisconnectProbe probe, long deadline, long maxWaitNanos)
            throws ClientGoneException {
        long start = settings.ticker().read();
        while (true) {
            long now = settings.ticker().read();
            long left = deadline - now;
            if (left <= 0) {
                pump.abandon();
                return null;
            }
            long waitLeft = maxWaitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : maxWaitNanos - (now - start);
            if (waitLeft <= 0) return null;
            StepPump.Item item;
            try {
                item = pump.take(Math.min(WAIT_SLICE_NANOS, Math.min(left, waitLeft)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "server_error", "shutting_down", "server is shutting down");
            }
            if (probe.clientGone()) throw new ClientGoneException();
            if (item != null) return item;
        }
    }

    private static void event(StringBuilder out, Object json) {
        out.append("data: ").append(json).append("\n\n");
    }

    private static void write(Call call, StringBuilder out, boolean last) throws IOException {
        if (out.length() == 0 && !last) return;
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        out.setLength(0);
        call.write(last, ByteBuffer.wrap(bytes));
    }

    private ApiException failed(ApiException e) {
        metrics.upstreamError(e.code == null ? e.type : e.code);
        return e;
    }

    /** An upstream's refusal of a field is the client's 400, with the upstream's own words. */
    private ApiException failure(MlException e) {
        for (Throwable c = e; c != null; c = c.getCause())
            if (c instanceof HttpStatusException h
                    && h.statusCode() >= 400
                    && h.statusCode() < 500
                    && h.statusCode() != 408
                    && h.statusCode() != 429) {
                String m = h.getMessage();
                String detail = m.contains(": ") ? m.substring(m.indexOf(": ") + 2) : m;
                return failed(ApiException.badRequest("the upstream server refused the request (HTTP " + h.statusCode()
                        + "): " + LogText.clip(detail)));
            }
        return failed(Failures.of(e));
    }

    private static ObjectNode head(String id, long created, String model, String object) {
        return Json.object()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model);
    }

    /** A whole {@code chat.completion}. */
    static byte[] completion(ChatResult r, String id, long created, String model) {
        ObjectNode root = head(id, created, model, "chat.completion");
        ArrayNode choices = root.putArray("choices");
        for (ChatChoice c : r.choices()) {
            ObjectNode choice = choices.addObject().put("index", c.index());
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (c.text().isEmpty() && !c.toolCalls().isEmpty()) message.putNull("content");
            else message.put("content", c.text());
            if (!c.toolCalls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall t : c.toolCalls()) {
                    ObjectNode call = calls.addObject().put("id", t.id()).put("type", "function");
                    call.putObject("function").put("name", t.name()).put("arguments", t.arguments());
                }
            }
            logprobs(choice, c.logprobs());
            reason(choice, c.finishReason());
        }
        root.set("usage", usage(r.usage()));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One {@code chat.completion.chunk} for a step; the first of a choice carries the role. */
    static ObjectNode chunk(ChatDelta d, boolean first, String id, long created, String model) {
        ObjectNode root = head(id, created, model, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject().put("index", d.index());
        ObjectNode delta = choice.putObject("delta");
        if (first) delta.put("role", "assistant");
        if (first || !d.content().isEmpty()) delta.put("content", d.content());
        if (!d.toolCalls().isEmpty()) {
            ArrayNode calls = delta.putArray("tool_calls");
            for (ToolCallDelta t : d.toolCalls()) {
                ObjectNode call = calls.addObject().put("index", t.index());
                if (!t.id().isEmpty()) call.put("id", t.id()).put("type", "function");
                ObjectNode f = call.putObject("function");
                if (!t.name().isEmpty()) f.put("name", t.name());
                f.put("arguments", t.arguments());
            }
        }
        logprobs(choice, d.logprobs());
        reason(choice, d.finishReason());
        return root;
    }

    private static void reason(ObjectNode choice, FinishReason r) {
        if (r == FinishReason.UNKNOWN) choice.putNull("finish_reason");
        else choice.put("finish_reason", r.wireName());
    }

    private static void logprobs(ObjectNode choice, List<TokenLogprob> tokens) {
        if (tokens.isEmpty()) {
            choice.putNull("logprobs");
            return;
        }
        ArrayNode content = choice.putObject("logprobs").putArray("content");
        for (TokenLogprob t : tokens) {
            ObjectNode entry = logprob(content.addObject(), t);
            ArrayNode top = entry.putArray("top_logprobs");
            for (TokenLogprob alt : t.topLogprobs()) logprob(top.addObject(), alt);
        }
    }

    private static ObjectNode logprob(ObjectNode out, TokenLogprob t) {
        out.put("token", t.token()).put("logprob", t.logprob());
        ArrayNode bytes = out.putArray("bytes");
        for (byte b : t.token().getBytes(StandardCharsets.UTF_8)) bytes.add(b & 0xff);
        return out;
    }

    private static ObjectNode usage(Usage u) {
        int prompt = Math.max(u.promptTokens(), 0);
        int completion = Math.max(u.completionTokens(), 0);
        return Json.object()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }
}
