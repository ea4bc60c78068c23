package ai.lthn.ml.server;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.inference.TokenStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Pulls a {@link TokenStream} on its own thread into a bounded queue, so the writer can tell
 * "a token is ready" from "the model is thinking" and flush only in the second case: a fast
 * model is not slowed by a syscall per token, a slow one still shows each token at once. Items
 * are tokens, then {@link #END} or the {@link MlException} that ended the stream.
 */
final class TokenPump {
    static final Object END = new Object();

    private final TokenStream stream;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4096);
    private volatile boolean abandoned;

    TokenPump(TokenStream stream) {
        this.stream = stream;
    }

    /** Starts pulling on {@code executor} and waits for the first item, at most {@code max}. */
    Object startAndAwaitFirst(Executor executor, Duration max) {
        executor.execute(this::pump);
        try {
            Object first = queue.poll(max.toNanos(), TimeUnit.NANOSECONDS);
            if (first == null) {
                stream.close();
                return new MlTimeoutException("no first token within " + max.toSeconds() + " s", max, "", null);
            }
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.close();
            return new GenerationCancelledException("interrupted", "", e);
        }
    }

    private void pump() {
        try {
            while (stream.hasNext()) if (!put(stream.next())) return;
            put(END);
        } catch (MlException e) {
            put(e);
        } catch (RuntimeException e) {
            put(new MlException("model failed: " + e.getMessage(), e));
        }
    }

    private boolean put(Object item) {
        try {
            while (!abandoned) if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The next item if one is ready, else null. */
    Object poll() {
        return queue.poll();
    }

    /** The next item, waiting up to {@code max}; null if none came. */
    Object take(Duration max) throws InterruptedException {
        return queue.poll(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The writer is gone: the pulling thread stops at its next token. */
    void abandon() {
        abandoned = true;
    }
}
