package ai.lthn.ml.server;

import ai.lthn.ml.Message;
import ai.lthn.ml.inference.AbstractTokenStream;
import ai.lthn.ml.inference.BatchResult;
import ai.lthn.ml.inference.ClassifyResult;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.ModelInfo;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A model that misbehaves as upstreams do: it ignores {@code max_tokens} and streams for ever,
 * stalls, or throws an {@link Error}. {@code behaviour} gets the index of the token to produce
 * and returns its text, or throws, or blocks; it never ends the stream by itself.
 */
final class HostileModel implements TextModel {
    private final IntFunction<String> behaviour;
    private final AtomicInteger opened = new AtomicInteger();
    private final Semaphore closed = new Semaphore(0);
    private volatile Runnable onRelease = () -> {};

    HostileModel(IntFunction<String> behaviour) {
        this.behaviour = behaviour;
    }

    /** Streams {@code text} for ever, whatever {@code max_tokens} says. */
    static HostileModel endless(String text) {
        return new HostileModel(i -> text);
    }

    /** One token, then silence until the stream is closed. */
    static HostileModel stallingAfterFirstToken() {
        return new HostileModel(i -> {
            if (i == 0) return "first";
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("woken");
        });
    }

    /** Silent from the start until the stream is closed. */
    static HostileModel silent() {
        return new HostileModel(i -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("woken");
        });
    }

    /** Runs {@code action} on the closing thread each time a stream is closed, before it counts as closed. */
    HostileModel onRelease(Runnable action) {
        this.onRelease = action;
        return this;
    }

    int opened() {
        return opened.get();
    }

    /** Waits until {@code n} streams have been closed. */
    boolean awaitClosed(int n, Duration max) throws InterruptedException {
        if (!closed.tryAcquire(n, max.toNanos(), TimeUnit.NANOSECONDS)) return false;
        closed.release(n);
        return true;
    }

    @Override
    public TokenStream generate(String prompt, GenerateConfig config) {
        return stream();
    }

    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        return stream();
    }

    private TokenStream stream() {
        opened.incrementAndGet();
        return new AbstractTokenStream() {
            private int i;
            private volatile Thread producer;

            @Override
            protected Token produce() {
                producer = Thread.currentThread();
                try {
                    return new Token(0, behaviour.apply(i++));
                } finally {
                    producer = null;
                }
            }

            @Override
            protected void release() {
                Thread t = producer;
                if (t != null) t.interrupt(); // a sleeping producer wakes, as a cancelled socket read would
                onRelease.run();
                closed.release();
            }
        };
    }

    @Override
    public List<ClassifyResult> classify(List<String> prompts, GenerateConfig config) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<BatchResult> batchGenerate(List<String> prompts, GenerateConfig config) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String modelType() {
        return "hostile";
    }

    @Override
    public ModelInfo info() {
        return ModelInfo.of("hostile");
    }

    @Override
    public GenerateMetrics metrics() {
        return GenerateMetrics.ZERO;
    }

    @Override
    public void close() {}
}
