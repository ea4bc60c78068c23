package ai.lthn.ml.backend;

import ai.lthn.ml.inference.TokenStream;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
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
 * send them; filter by {@link ChatDelta#index()} for a stream per choice. Nothing is sent until
 * the first {@link #hasNext()}; failures are thrown from {@code hasNext()} as the string API's
 * streams throw them ({@link ai.lthn.ml.MlTimeoutException}, {@link
 * ai.lthn.ml.StreamFailedException}, …). Not thread-safe, except {@link #close()}, which cancels
 * the call from any thread.
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
    private final TokenStream events;

    /** {@code open} builds the underlying event stream given what to do with each event's JSON. */
    ChatStream(Function<Consumer<byte[]>, TokenStream> open) {
        this.events = open.apply(this::event);
    }

    private void event(byte[] json) {
        JsonNode root = OpenAiWire.tree(json);
        assembler.meta(root);
        for (ChatDelta d : OpenAiWire.deltas(root)) {
            assembler.add(d);
            if (!d.content().isEmpty()
                    || !d.toolCalls().isEmpty()
                    || !d.logprobs().isEmpty()
                    || d.finished()) pending.add(d);
        }
    }

    /**
     * Whether another step follows; reads from the server as needed.
     *
     * @return true when {@link #next()} has a step
     */
    @Override
    public boolean hasNext() {
        while (pending.isEmpty()) {
            if (!events.hasNext()) return false;
            events.next();
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

    /** Cancels the call if it is still running; safe from any thread, idempotent. */
    @Override
    public void close() {
        events.close();
    }
}
