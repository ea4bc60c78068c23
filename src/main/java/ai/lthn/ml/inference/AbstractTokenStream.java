package ai.lthn.ml.inference;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.internal.Failures;
import ai.lthn.ml.internal.Threads;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The base of every {@link TokenStream} in this library, for engine authors: implement
 * {@link #produce()} (return the next token, or null at the end) and, where resources need
 * freeing, {@link #release()}. This class supplies the rest of the contract:
 *
 * <ul>
 *   <li>the failure of {@code produce()} is thrown from {@code hasNext()} / {@code next()}, and
 *       every later call, with the text of the tokens already handed out as its partial text;
 *   <li>{@link #close()} is idempotent and thread-safe; {@code release()} runs exactly once,
 *       when the stream is closed or has ended;
 *   <li>an interrupt of the consuming thread becomes {@link GenerationCancelledException} with
 *       the flag restored; a close from another thread does too.
 * </ul>
 *
 * <p>A stream that is garbage-collected while neither closed nor ended (a leak: its generation
 * was never cancelled) is reported once, as a warning on the {@code ai.lthn.ml.inference.TokenStream}
 * logger.
 *
 * <p>{@code produce()} runs on the consumer's thread. A blocking {@code produce()} should return
 * (or throw) promptly once {@link #isClosed()} turns true; {@link #sleepUnlessClosed(Duration)}
 * helps with that, and {@code release()} is the place to abort I/O that blocks.
 */
public abstract class AbstractTokenStream implements TokenStream {
    private static final Cleaner CLEANER = Cleaner.create(Threads.daemonFactory("lthn-ml-stream-cleaner-"));

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final StringBuilder handedOut = new StringBuilder();

    private Token pending;
    private boolean ended;
    private MlException failure;
    private volatile FinishReason finishReason = FinishReason.UNKNOWN;
    private volatile GenerateMetrics metrics = GenerateMetrics.ZERO;
    private final LeakCheck leak = new LeakCheck(getClass().getName());
    private final Cleaner.Cleanable cleanable = CLEANER.register(this, leak);

    /** For subclasses. */
    protected AbstractTokenStream() {}

    /** How many streams were dropped unclosed so far (for tests and diagnostics). */
    static long leaksReported() {
        return Leaks.count();
    }

    /** Runs when the stream is unreachable, or at once when it is released: a leak if not released. */
    private static final class LeakCheck implements Runnable {
        private final String type;
        private volatile boolean released;

        LeakCheck(String type) {
            this.type = type;
        }

        @Override
        public void run() {
            if (!released) Leaks.report(type);
        }
    }

    /**
     * Produces the next token, blocking as long as it takes, or returns null when generation has
     * ended normally.
     *
     *
     * @return the next token, or null when generation has ended
     * @throws Exception any failure; it is reported to the consumer with the partial text
     */
    protected abstract Token produce() throws Exception;

    /**
     * Frees resources (an HTTP call, a native sequence). Runs once, on the thread that closed the
     * stream or ended it; must be safe to run concurrently with {@link #produce()}, which it may
     * be used to abort. The default does nothing.
     */
    protected void release() {}

    /**
     * Whether {@link #close()} has been called.
     *
     * @return whether {@link #close()} has been called
     */
    protected final boolean isClosed() {
        return closed.get();
    }

    /**
     * Sleeps for {@code duration} or until the stream is closed, whichever comes first.
     *
     * @return true if the full duration elapsed, false if the stream was closed
     * @param duration the duration
     * @throws InterruptedException if the thread is interrupted
     */
    protected final boolean sleepUnlessClosed(Duration duration) throws InterruptedException {
        return !closedLatch.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Records why the generation ended (call before {@code produce()} returns null).
     *
     * @param reason the reason
     */
    protected final void finishReason(FinishReason reason) {
        this.finishReason = reason;
    }

    /**
     * Records this generation's metrics.
     *
     * @param value the metrics
     */
    protected final void metrics(GenerateMetrics value) {
        this.metrics = value;
    }

    /**
     * The text of the tokens handed to the consumer so far.
     *
     * @return the text of the tokens handed to the consumer so far
     */
    protected final String textSoFar() {
        return handedOut.toString();
    }

    @Override
    public final boolean hasNext() {
        if (pending != null) return true;
        if (failure != null) throw failure;
        if (ended) return false;
        if (closed.get())
            throw fail(new GenerationCancelledException("generation cancelled: stream closed", textSoFar(), null));
        Token token;
        try {
            token = produce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new GenerationCancelledException("generation interrupted", textSoFar(), e));
        } catch (Exception e) {
            if (closed.get() && !(e instanceof MlTimeoutException))
                throw fail(new GenerationCancelledException("generation cancelled: stream closed", textSoFar(), e));
            throw fail(Failures.withPartialText(e, textSoFar()));
        }
        if (token == null || closed.get()) {
            if (closed.get())
                throw fail(new GenerationCancelledException("generation cancelled: stream closed", textSoFar(), null));
            ended = true;
            if (finishReason == FinishReason.UNKNOWN) finishReason = FinishReason.STOP;
            releaseOnce();
            return false;
        }
        pending = token;
        return true;
    }

    @Override
    public final Token next() {
        if (!hasNext()) throw new NoSuchElementException("generation has ended");
        Token t = pending;
        pending = null;
        handedOut.append(t.text());
        return t;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            closedLatch.countDown();
            releaseOnce();
        }
    }

    @Override
    public final FinishReason finishReason() {
        return finishReason;
    }

    @Override
    public final GenerateMetrics metrics() {
        return metrics;
    }

    /** Whether a leak of this stream would still be reported (neither closed nor ended yet). */
    final boolean leakWatched() {
        return !leak.released;
    }

    private MlException fail(MlException e) {
        failure = e;
        releaseOnce();
        return e;
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            leak.released = true;
            cleanable.clean(); // no longer watched
            release();
        }
    }
}
