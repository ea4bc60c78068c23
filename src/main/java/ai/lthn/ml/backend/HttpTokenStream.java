package ai.lthn.ml.backend;

import ai.lthn.ml.MlException;
import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.inference.AbstractTokenStream;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.SseReader;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * One streamed chat completion: requests {@code stream: true}, reads the server-sent events with
 * {@link SseReader} as the consumer pulls, and yields each {@code delta.content} as a token.
 *
 * <p>The request is sent on the first {@code hasNext()}. Until the first token arrives, failures
 * that a retry may cure (I/O errors, 408, 429, 5xx) are retried under the backend's policy; after
 * it, any failure ends the stream with the partial text. A server that answers with a plain JSON
 * body instead of an event stream is accepted: its whole reply is one token.
 */
final class HttpTokenStream extends AbstractTokenStream {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final OpenAiTransport http;
    private final String path;
    private final byte[] body;
    private final Consumer<GenerateMetrics> onEnd;
    private final java.util.Map<String, String> headers;
    /** Rich mode ({@link ChatStream}): sees every event's JSON; every event then yields a token. */
    private final Consumer<byte[]> events;

    private volatile Call call;
    private volatile Response response;
    private volatile Watchdog watchdog;
    private SseReader reader;
    private boolean started;
    private boolean ended;
    private boolean sawFinish;
    private int chunks;
    private int promptTokens = -1;
    private int completionTokens = -1;
    private long startNanos;
    private long firstNanos;

    HttpTokenStream(OpenAiTransport http, byte[] body, Consumer<GenerateMetrics> onEnd) {
        this(http, body, java.util.Map.of(), onEnd, null);
    }

    /** A stream from {@code path} ({@code /v1/completions}); otherwise as the chat stream. */
    HttpTokenStream(OpenAiTransport http, String path, byte[] body, Consumer<GenerateMetrics> onEnd) {
        this(http, path, body, java.util.Map.of(), onEnd, null);
    }

    /**
     * A stream with per-call headers; with {@code events} non-null, each event's JSON goes to it
     * and every event yields a token (its text, possibly ""), so a consumer sees tool-call and
     * log-probability steps as they arrive.
     */
    HttpTokenStream(
            OpenAiTransport http,
            byte[] body,
            java.util.Map<String, String> headers,
            Consumer<GenerateMetrics> onEnd,
            Consumer<byte[]> events) {
        this(http, HttpBackend.CHAT_PATH, body, headers, onEnd, events);
    }

    private HttpTokenStream(
            OpenAiTransport http,
            String path,
            byte[] body,
            java.util.Map<String, String> headers,
            Consumer<GenerateMetrics> onEnd,
            Consumer<byte[]> events) {
        this.http = http;
        this.path = path;
        this.body = body;
        this.headers = headers;
        this.onEnd = onEnd;
        this.events = events;
    }

    @Override
    protected Token produce() throws IOException {
        if (ended) return null;
        if (!started) {
            started = true;
            startNanos = http.ticker.read();
            return http.retrying("POST " + http.url(path), this::openAndReadFirst);
        }
        try {
            return readNext();
        } catch (IOException e) {
            IOException plain = http.explain(e, watchdog, textSoFar());
            throw new StreamFailedException(
                    "stream from " + http.baseUrl + " broke: " + plain.getMessage(), textSoFar(), plain);
        }
    }

    /** One attempt: send the request, check the status, read up to the first token. */
    private Token openAndReadFirst() throws IOException {
        dropAttempt();
        if (isClosed()) throw new IOException("stream closed");
        Call c = http.newCall(path, body, true, headers);
        Watchdog w = http.watchdog(c, http.firstTokenTimeout, http.idleTimeout);
        call = c;
        watchdog = w.start();
        try {
            Response r = http.execute(c, w);
            response = r;
            if (r.code() != 200) throw http.statusError(r);
            MediaType type = r.body().contentType();
            if (type == null || !"event-stream".equals(type.subtype())) return wholeReply(r);
            reader = new SseReader(r.body().source(), http.maxResponseBytes);
            return readNext();
        } catch (ProtocolException e) {
            throw new StreamFailedException("bad event stream from " + http.baseUrl + ": " + e.getMessage(), "", e);
        } catch (IOException e) {
            throw http.explain(e, w, "");
        }
    }

    /** A server that ignored {@code stream: true}: its JSON reply is one token. */
    private Token wholeReply(Response r) throws IOException {
        byte[] json = HttpBodies.bytes(r.body(), http.maxResponseBytes, http.baseUrl);
        ChatChunk chunk = decode(json);
        if (chunk.error() != null) throw new StreamFailedException("server error: " + chunk.error());
        if (!chunk.hasChoices()) throw new MlException("no choices in response");
        sawFinish = true;
        if (chunk.finishReason() != null) finishReason(FinishReason.fromWire(chunk.finishReason()));
        usage(chunk);
        String content = chunk.content() == null ? "" : chunk.content();
        ended = true;
        finish();
        if (events != null) {
            events.accept(json);
            return Token.of(content);
        }
        return content.isEmpty() ? null : Token.of(content);
    }

    private Token readNext() throws IOException {
        Watchdog w = watchdog;
        while (true) {
            byte[] data;
            w.enter();
            try {
                data = reader.next();
            } finally {
                w.exit();
            }
            if (data == null) {
                if (!sawFinish)
                    throw new StreamFailedException(
                            "stream from " + http.baseUrl + " ended before [DONE] or a finish_reason (truncated)");
                return end();
            }
            if (Arrays.equals(data, DONE)) return end();
            ChatChunk chunk = decode(data);
            if (chunk.error() != null)
                throw new StreamFailedException(
                        "server error in stream from " + http.baseUrl + ": " + chunk.error(), textSoFar(), null);
            usage(chunk);
            if (chunk.finishReason() != null) {
                sawFinish = true;
                finishReason(FinishReason.fromWire(chunk.finishReason()));
            }
            String content = chunk.content();
            boolean text = content != null && !content.isEmpty();
            if (text) {
                if (chunks++ == 0) firstNanos = http.ticker.read();
                w.progress();
            }
            if (events != null) {
                w.progress(); // a tool-call fragment is progress too
                events.accept(data);
                return Token.of(text ? content : "");
            }
            if (text) return Token.of(content);
        }
    }

    private ChatChunk decode(byte[] data) {
        try {
            return ChatChunk.decode(data);
        } catch (IOException e) {
            String shown = new String(data, 0, Math.min(data.length, 200), StandardCharsets.UTF_8);
            throw new StreamFailedException(
                    "malformed event from " + http.baseUrl + ": " + e.getMessage() + ": " + shown, textSoFar(), e);
        }
    }

    private void usage(ChatChunk chunk) {
        if (chunk.promptTokens() >= 0) promptTokens = chunk.promptTokens();
        if (chunk.completionTokens() >= 0) completionTokens = chunk.completionTokens();
    }

    private Token end() {
        ended = true;
        finish();
        return null;
    }

    private void finish() {
        long now = http.ticker.read();
        long first = chunks > 0 ? firstNanos : now;
        GenerateMetrics m = GenerateMetrics.of(
                Math.max(promptTokens, 0),
                completionTokens >= 0 ? completionTokens : chunks,
                Duration.ofNanos(first - startNanos),
                Duration.ofNanos(now - first));
        metrics(m);
        onEnd.accept(m);
        dropAttempt();
    }

    private void dropAttempt() {
        Watchdog w = watchdog;
        if (w != null) w.close();
        Response r = response;
        if (r != null) r.close();
        response = null;
    }

    @Override
    protected void release() {
        Watchdog w = watchdog;
        if (w != null) w.close();
        Call c = call;
        if (c != null) c.cancel();
        Response r = response;
        if (r != null) r.close();
    }
}
