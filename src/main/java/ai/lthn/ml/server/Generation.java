package ai.lthn.ml.server;

import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.TokenStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One generation request from parsed body to last byte: the gate, the model's stream pulled by a
 * {@link TokenPump} (which enforces the token and size limits), a {@link DisconnectProbe} while
 * it runs, the request deadline honoured in every wait, and the reply written whole or as SSE.
 * The slot is freed however the request ends.
 */
final class Generation {
    private static final long HEARTBEAT_NANOS = 10_000_000_000L;
    private static final long WAIT_SLICE_NANOS = 100_000_000L;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Settings settings;
    private final ExecutorService producers;
    private final OpenStreams open;
    private final Supplier<Scheduler> scheduler;
    private final Supplier<ServerMetrics> metrics;
    private final Gate gate;
    private final AtomicLong ids = new AtomicLong(System.nanoTime());

    Generation(
            Settings settings,
            ExecutorService producers,
            OpenStreams open,
            Supplier<Scheduler> scheduler,
            Supplier<ServerMetrics> metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.producers = producers;
        this.open = open;
        this.scheduler = scheduler;
        this.gate = new Gate(settings.maxConcurrent(), settings.queue(), settings.queueWait());
    }

    int active() {
        return gate.active();
    }

    int waiting() {
        return gate.waiting();
    }

    /**
     * The OpenAI-compatible server behind the model, through which the rich fields pass: an HTTP
     * model's, or a managed llama-server's (a local model for everything else); null for a model
     * that has none.
     */
    private ai.lthn.ml.backend.HttpBackend upstream() {
        if (settings.model() instanceof ai.lthn.ml.backend.HttpTextModel h) return h.backend();
        if (settings.model() instanceof ai.lthn.ml.backend.LlamaTextModel l) {
            try {
                return l.backend();
            } catch (ai.lthn.ml.BackendUnavailableException notRunning) {
                return null; // the model path answers, with its own error
            }
        }
        return null;
    }

    void run(Call call, boolean chat, byte[] body) throws IOException {
        GenerationRequest req = GenerationRequest.parse(body, chat, settings.maxTokens(), settings.maxContext());
        ai.lthn.ml.backend.HttpBackend upstream = upstream();
        if (upstream == null) refuseWhatTheModelCannotHonour(req);
        try {
            gate.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "server_error", "shutting_down", "server is shutting down");
        }
        try {
            if (upstream != null && req.extras().rich(req.messages())) {
                new PassThrough(settings, producers, scheduler.get(), metrics.get(), open)
                        .run(call, req, upstream, "chatcmpl-" + ids.incrementAndGet());
                return;
            }
            GenerateConfig config = GenerateConfig.builder()
                    .maxTokens(req.maxTokens())
                    .temperature(req.temperature())
                    .topP((float) req.extras().topP())
                    .topK(req.extras().topK())
                    .model(settings.upstreamModel(req.model()))
                    .build();
            TokenStream stream = ai.lthn.ml.inference.internal.StopStrings.apply(
                    chat
                            ? settings.model().chat(req.messages(), config)
                            : settings.model().generate(req.messages().get(0).content(), config),
                    req.extras().stop()); // OpenAI's stop, for a model without stop strings
            if (!open.add(stream)) stream.close(); // the server is closing: the reply ends at once
            long deadline = settings.ticker().read() + settings.requestTimeout().toNanos();
            DisconnectProbe probe = DisconnectProbe.start(call.endPoint(), stream, scheduler.get());
            TokenPump pump = new TokenPump(stream, req.maxTokens(), settings.maxResponseChars());
            try {
                pump.start(producers);
                Reply reply = new Reply(call, req, stream, pump, probe, deadline, chat);
                if (req.stream()) reply.stream();
                else reply.whole();
            } finally {
                probe.stop();
                call.closeAfter |= probe.readAhead();
                pump.abandon();
                stream.close();
                open.remove(stream);
            }
        } finally {
            gate.exit();
        }
    }

    /** A local model honours none of the OpenAI fields beyond text: a 400 naming them, never a silent drop. */
    private static void refuseWhatTheModelCannotHonour(GenerationRequest req) {
        java.util.List<String> refused = req.extras().refusedByLocal(req.messages());
        if (refused.isEmpty()) return;
        throw new ApiException(
                400,
                "invalid_request_error",
                "unsupported_field",
                (refused.size() == 1 ? "field " : "fields ") + String.join(", ", refused)
                        + (refused.size() == 1 ? " is" : " are")
                        + " not supported by the served model (a local model): remove "
                        + (refused.size() == 1 ? "it" : "them")
                        + ", or serve an OpenAI-compatible upstream (ml serve --api-url)");
    }

    /** The reply to one request. */
    private final class Reply {
        private final Call call;
        private final GenerationRequest req;
        private final TokenStream stream;
        private final TokenPump pump;
        private final DisconnectProbe probe;
        private final long deadline;
        private final boolean chat;

        Reply(
                Call call,
                GenerationRequest req,
                TokenStream stream,
                TokenPump pump,
                DisconnectProbe probe,
                long deadline,
                boolean chat) {
            this.call = call;
            this.req = req;
            this.stream = stream;
            this.pump = pump;
            this.probe = probe;
            this.deadline = deadline;
            this.chat = chat;
        }

        /** The next item, or null when the deadline passed first (the model is then stopped). */
        private TokenPump.Item next(long maxWaitNanos) throws ClientGoneException {
            long start = settings.ticker().read();
            while (true) {
                long now = settings.ticker().read();
                long left = deadline - now;
                if (left <= 0) {
                    stream.close();
                    return null;
                }
                long waitLeft = maxWaitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : maxWaitNanos - (now - start);
                if (waitLeft <= 0) return null;
                // in slices, so the deadline is read from the ticker at least this often
                TokenPump.Item item = pump.take(Math.min(WAIT_SLICE_NANOS, Math.min(left, waitLeft)));
                if (probe.clientGone()) throw new ClientGoneException();
                if (item != null) return item;
            }
        }

        private long firstAt;

        private void first() {
            firstAt = settings.ticker().read();
            metrics.get().firstToken(firstAt - call.startNanos);
        }

        private void ended(int prompt, int completion) {
            metrics.get()
                    .generation(
                            prompt,
                            completion,
                            call.tokens > 0 ? settings.ticker().read() - firstAt : 0);
        }

        private ApiException failed(ApiException e) {
            metrics.get().upstreamError(e.code == null ? e.type : e.code);
            return e;
        }

        void whole() throws IOException {
            StringBuilder text = new StringBuilder();
            FinishReason reason;
            while (true) {
                TokenPump.Item item = next(Long.MAX_VALUE);
                if (item == null) throw failed(Failures.timeout());
                if (item instanceof TokenPump.Item.Next n) {
                    if (call.tokens == 0) first();
                    text.append(n.token().text());
                    call.tokens++;
                } else if (item instanceof TokenPump.Item.End e) {
                    reason = e.reason();
                    break;
                } else if (item instanceof TokenPump.Item.Failed f) {
                    throw failed(Failures.of(f.error()));
                }
            }
            probe.stop();
            if (probe.clientGone()) throw new ClientGoneException();
            call.closeAfter |= probe.readAhead();
            GenerateMetrics m = stream.metrics();
            int completion =
                    reason != FinishReason.LENGTH && m.generatedTokens() > 0 ? m.generatedTokens() : call.tokens;
            ended(m.promptTokens(), completion);
            call.send(
                    200,
                    "application/json",
                    Chunks.complete(
                            chat,
                            (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet(),
                            settings.clock().millis() / 1000,
                            settings.modelId(),
                            text.toString(),
                            reason.wireName(),
                            m.promptTokens(),
                            completion));
        }

        void stream() throws IOException {
            // Wait for the first item before committing to 200, so an early failure gets a real status.
            TokenPump.Item item = next(Long.MAX_VALUE);
            if (item == null) throw failed(Failures.timeout());
            if (item instanceof TokenPump.Item.Failed f) throw failed(Failures.of(f.error()));
            if (item instanceof TokenPump.Item.Next) first();
            Chunks chunks = new Chunks(
                    chat,
                    (chat ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet(),
                    settings.clock().millis() / 1000,
                    settings.modelId());
            call.response.setStatus(200);
            call.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            call.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            call.response.getHeaders().put("X-Accel-Buffering", "no");
            StringBuilder sb = new StringBuilder(4096);
            if (req.chat()) event(sb, chunks.role());
            while (true) {
                if (item instanceof TokenPump.Item.Next n) {
                    sb.append("data: ");
                    chunks.token(sb, n.token().text());
                    sb.append("\n\n");
                    call.tokens++;
                } else if (item instanceof TokenPump.Item.End e) {
                    event(sb, chunks.finish(e.reason().wireName()));
                    GenerateMetrics m = stream.metrics();
                    int completion = e.reason() != FinishReason.LENGTH && m.generatedTokens() > 0
                            ? m.generatedTokens()
                            : call.tokens;
                    ended(m.promptTokens(), completion);
                    if (req.includeUsage()) event(sb, chunks.usage(m.promptTokens(), completion));
                    finish(sb, DONE);
                    return;
                } else if (item instanceof TokenPump.Item.Failed f) {
                    ApiException api = failed(Failures.of(f.error()));
                    event(sb, Chunks.error(api.getMessage(), api.type, api.code));
                    finish(sb, null);
                    return;
                }
                item = pump.poll();
                if (item == null) { // no token ready: show what we have, then wait
                    flush(sb);
                    while ((item = next(HEARTBEAT_NANOS)) == null) {
                        if (settings.ticker().read() - deadline >= 0) { // the request's time is up
                            ApiException api = failed(Failures.timeout());
                            event(sb, Chunks.error(api.getMessage(), api.type, api.code));
                            finish(sb, null);
                            return;
                        }
                        call.write(false, ByteBuffer.wrap(KEEP_ALIVE)); // a long silence: show we are alive
                    }
                } else if (sb.length() > 128 * 1024) {
                    flush(sb);
                }
            }
        }

        private void event(StringBuilder sb, String json) {
            sb.append("data: ").append(json).append("\n\n");
        }

        /** Encodes the buffered events into bytes, once, and writes them. */
        private void flush(StringBuilder sb) throws IOException {
            if (sb.length() == 0) return;
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            sb.setLength(0);
            call.write(false, ByteBuffer.wrap(bytes));
        }

        private void finish(StringBuilder sb, byte[] trailer) throws IOException {
            probe.stop();
            call.closeAfter |= probe.readAhead();
            if (trailer != null) sb.append(new String(trailer, StandardCharsets.US_ASCII));
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            sb.setLength(0);
            call.write(true, ByteBuffer.wrap(bytes));
        }
    }
}
