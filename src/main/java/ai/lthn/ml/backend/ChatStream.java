package ai.lthn.ml.backend;

import ai.lthn.ml.inference.TokenStream;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A streamed chat call of the rich API ({@link HttpBackend#stream}): the steps as the server
 * sends them — text, tool-call fragments, token log probabilities, finish reasons — each tagged
 * with its choice's index, and at the end the {@link #result()} assembled from them (tool calls
 * put together from their fragments by index, arguments concatenated).
 *
 * <p>With {@code n > 1} the choices' steps arrive interleaved in one stream, as OpenAI and vLLM
 * send them; filter by {@link ChatDelta#index()} for a stream per choice. On a backend that
 * emulates {@code n} ({@link HttpBackend.Builder#emulateChoices}) the choices come one after the
 * other instead: choice 0 whole, then choice 1, each its own call, the next one sent when the
 * previous one ends.
 *
 * <p>Nothing is sent until the first {@link #hasNext()}; failures are thrown from {@code
 * hasNext()} as the string API's streams throw them ({@link ai.lthn.ml.MlTimeoutException},
 * {@link ai.lthn.ml.StreamFailedException}, …), and after {@link #close()} it throws {@link
 * ai.lthn.ml.GenerationCancelledException}, as a closed {@code TokenStream} does. Not
 * thread-safe, except {@link #close()}, which cancels the call from any thread.
 *
 * <pre>{@code
 * try (ChatStream stream = backend.stream(request)) {
 *     while (stream.hasNext()) System.out.print(stream.next().content());
 *     List<ToolCall> calls = stream.result().toolCalls();
 * }
 * }</pre>
 */
public final class ChatStream implements Iterator<ChatDelta>, AutoCloseable {
    private final Deque<ChatDelta> pending = new ArrayDeque<>();
    private final OpenAiWire.Assembler assembler = new OpenAiWire.Assembler();
    private final List<Function<Consumer<byte[]>, TokenStream>> calls;
    private volatile TokenStream events;
    private volatile boolean closed;
    private int call;

    /** {@code open} builds the underlying event stream given what to do with each event's JSON. */
    ChatStream(Function<Consumer<byte[]>, TokenStream> open) {
        this(List.of(open));
    }

    /**
     * Several calls of one choice each, one after the other ({@code n} emulated): call {@code i}'s
     * choice 0 is choice {@code i} of this stream.
     */
    ChatStream(List<Function<Consumer<byte[]>, TokenStream>> calls) {
        this.calls = List.copyOf(calls);
        this.events = calls.get(0).apply(json -> event(json, 0));
    }

    private void event(byte[] json, int shift) {
        JsonNode root = OpenAiWire.tree(json);
        assembler.meta(root);
        for (ChatDelta raw : OpenAiWire.deltas(root)) {
            ChatDelta d = shift == 0
                    ? raw
                    : new ChatDelta(
                            raw.index() + shift, raw.content(), raw.toolCalls(), raw.logprobs(), raw.finishReason());
            assembler.add(d);
            if (!d.content().isEmpty()
                    || !d.toolCalls().isEmpty()
                    || !d.logprobs().isEmpty()
                    || d.finished()) pending.add(d);
        }
    }

    /** Opens the next call of an emulated {@code n}, if any is left; false when none is. */
    private boolean nextCall() {
        if (closed || call + 1 >= calls.size()) return false;
        int shift = ++call;
        assembler.nextCall();
        events = calls.get(shift).apply(json -> event(json, shift));
        if (closed) events.close(); // closed while opening: the new call must not run
        return true;
    }

    /**
     * Whether another step follows; reads from the server as needed.
     *
     * @return true when {@link #next()} has a step
     */
    @Override
    public boolean hasNext() {
        while (pending.isEmpty()) {
            if (events.hasNext()) events.next();
            else if (!nextCall()) return false;
        }
        return true;
    }

    /**
     * The next step.
     *
     * @return the step
     * @throws NoSuchElementException when the stream has ended
     */
    @Override
    public ChatDelta next() {
        if (!hasNext()) throw new NoSuchElementException("the stream has ended");
        return pending.poll();
    }

    /**
     * Reads the rest of the stream and returns everything it said, assembled.
     *
     * @return the result: every choice, the usage when the server sent it
     */
    public ChatResult result() {
        while (hasNext()) next();
        return assembler.result();
    }

    /** Cancels the call if it is still running, and any emulated call not yet made; safe from any thread, idempotent. */
    @Override
    public void close() {
        closed = true;
        events.close();
    }
}
