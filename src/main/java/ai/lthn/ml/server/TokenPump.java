package ai.lthn.ml.server;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import java.util.concurrent.Executor;

/**
 * Pulls a {@link TokenStream} on its own thread into a bounded queue, so the writer can tell
 * "a token is ready" from "the model is thinking" and flush only in the second case: a fast
 * model is not slowed by a syscall per token, a slow one still shows each token at once.
 *
 * <p>The pump enforces the request's limits whatever the model does: after {@code maxTokens}
 * tokens, or once the text passes {@code maxChars}, it closes the model's stream (cancelling an
 * upstream that ignores {@code max_tokens}) and ends with {@link FinishReason#LENGTH}. Anything
 * thrown while pulling, errors included, ends the stream as an {@link Item.Failed} item, so the
 * writer always gets an end and the request's slot is always freed.
 */
final class TokenPump {
    /** What the writer takes from the queue. */
    sealed interface Item permits Item.Next, Item.End, Item.Failed {
        /** A token. */
        record Next(Token token) implements Item {}

        /** The end of the stream, with its finish reason. */
        record End(FinishReason reason) implements Item {}

        /** The failure that ended the stream. */
        record Failed(MlException error) implements Item {}
    }

    private final TokenStream stream;
    private final int maxTokens;
    private final long maxChars;
    private final Handoff<Item> handoff = new Handoff<>();

    TokenPump(TokenStream stream, int maxTokens, long maxChars) {
        this.stream = stream;
        this.maxTokens = maxTokens;
        this.maxChars = maxChars;
    }

    /** Starts pulling on {@code executor}. */
    void start(Executor executor) {
        executor.execute(this::pump);
    }

    private void pump() {
        int tokens = 0;
        long chars = 0;
        try {
            while (true) {
                if (tokens >= maxTokens || chars >= maxChars) {
                    stream.close(); // the model went past the request's limit: stop it
                    put(new Item.End(FinishReason.LENGTH));
                    return;
                }
                if (!stream.hasNext()) break;
                Token t = stream.next();
                tokens++;
                chars += t.text().length();
                if (!put(new Item.Next(t))) return;
            }
            put(new Item.End(stream.finishReason()));
        } catch (MlException e) {
            put(new Item.Failed(e));
        } catch (Throwable e) { // an Error too (say, out of memory): the writer must get an end
            stream.close();
            put(new Item.Failed(new MlException("model failed: " + e, e)));
            if (e instanceof VirtualMachineError fatal) throw fatal;
        }
    }

    /** Hands an item to the writer ({@link Handoff#put}); once the writer has abandoned, closes the stream. */
    private boolean put(Item item) {
        if (handoff.put(item)) return true;
        stream.close();
        return false;
    }

    /** The next item if one is ready, else null. */
    Item poll() {
        return handoff.poll();
    }

    /**
     * The next item, waiting up to {@code nanos}; null if none came.
     *
     * @throws GenerationCancelledException if the thread is interrupted (the flag is restored)
     */
    Item take(long nanos) {
        try {
            return handoff.take(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("interrupted", "", e);
        }
    }

    /** The writer is gone: the pulling thread stops at its next token and closes the stream. */
    void abandon() {
        handoff.abandon();
    }
}
