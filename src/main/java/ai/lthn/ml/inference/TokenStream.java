package ai.lthn.ml.inference;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The tokens of one generation, pulled one at a time. Each stream owns its own outcome: its
 * failure, {@link #finishReason()} and {@link #metrics()} belong to this call only, so two
 * threads generating on one model never see each other's errors (go-ml's model-wide
 * {@code Err()} could).
 *
 * <p><b>Failures</b> are thrown from {@link #hasNext()} / {@link #next()} after the tokens
 * already produced, as an {@link ai.lthn.ml.MlException} whose {@code partialText()} holds those
 * tokens' text.
 *
 * <p><b>The stream must be closed.</b> {@link #close()} cancels generation and frees the
 * engine's or connection's resources; it is idempotent and may be called from any thread. After
 * a close from another thread, {@code hasNext()} throws
 * {@link ai.lthn.ml.GenerationCancelledException} unless the stream had already ended.
 *
 * <p>Iterate from one thread at a time.
 *
 * <pre>{@code
 * try (TokenStream tokens = model.generate("Tell me a story")) {
 *     while (tokens.hasNext()) System.out.print(tokens.next().text());
 *     System.out.println(" [" + tokens.finishReason() + "]");
 * }
 * }</pre>
 */
public interface TokenStream extends Iterator<Token>, AutoCloseable {

    /**
     * Whether another token is available, blocking until the engine produces it or ends.
     *
     * @throws ai.lthn.ml.MlException if generation failed, timed out or was cancelled
     */
    @Override
    boolean hasNext();

    /**
     * The next token.
     *
     * @throws NoSuchElementException when the generation has ended
     * @throws ai.lthn.ml.MlException as {@link #hasNext()}
     */
    @Override
    Token next();

    /** Cancels generation and releases resources. Idempotent; callable from any thread. */
    @Override
    void close();

    /**
     * Why the generation ended; {@link FinishReason#UNKNOWN} while it is still running.
     *
     * @return the finish reason
     */
    FinishReason finishReason();

    /**
     * What this generation cost, as far as known; complete once the stream has ended.
     *
     * @return what this generation cost, as far as known; complete once the stream has ended
     */
    GenerateMetrics metrics();

    /**
     * The remaining tokens as a one-shot {@link Iterable}, for a for-each loop:
     *
     * <pre>{@code
     * try (TokenStream s = model.generate(prompt)) {
     *     for (Token t : s.tokens()) out.print(t.text());
     * }
     * }</pre>
     *
     * @return an iterable whose one iterator is this stream
     * @throws IllegalStateException from a second {@code iterator()} call: a stream is read once
     */
    default Iterable<Token> tokens() {
        AtomicBoolean used = new AtomicBoolean();
        return () -> {
            if (!used.compareAndSet(false, true))
                throw new IllegalStateException("a TokenStream can be iterated only once");
            return this;
        };
    }

    /**
     * The remaining tokens as a sequential {@link Stream}; closing that stream closes this one.
     *
     * @return the remaining tokens as a sequential {@link Stream}; closing that stream closes this one
     */
    default Stream<Token> stream() {
        Spliterator<Token> split = Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(split, false).onClose(this::close);
    }

    /**
     * Drains the remaining tokens and returns their concatenated text. Does not close the stream.
     *
     *
     * @return the text of the remaining tokens
     * @throws ai.lthn.ml.MlException as {@link #hasNext()}
     */
    default String remainingText() {
        StringBuilder sb = new StringBuilder();
        while (hasNext()) sb.append(next().text());
        return sb.toString();
    }

    /**
     * A finished stream over fixed tokens; it ends with {@link FinishReason#STOP}.
     *
     * @param tokens the tokens
     * @return a finished stream over fixed tokens; it ends with {@link FinishReason#STOP}
     */
    static TokenStream of(List<Token> tokens) {
        List<Token> copy = List.copyOf(tokens);
        return new AbstractTokenStream() {
            private int index;

            @Override
            protected Token produce() {
                return index < copy.size() ? copy.get(index++) : null;
            }
        };
    }
}
