package ai.lthn.ml.backend;

import ai.lthn.ml.Scheduler;
import ai.lthn.ml.Ticker;
import java.time.Duration;
import java.util.concurrent.Future;
import okhttp3.Call;

/**
 * Cancels an HTTP call when no token arrives in time (the first-token limit, then the idle limit
 * between tokens) or when the thread blocked reading it is interrupted: a blocking socket read
 * does not notice {@link Thread#interrupt()} by itself. Cheap on the hot path: a token costs one
 * volatile write; the check runs on the backend's {@link Scheduler} every {@value #TICK_MILLIS} ms
 * at most, against its {@link Ticker}.
 */
final class Watchdog implements Runnable, AutoCloseable {
    static final long TICK_MILLIS = 50;
    private static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;

    private final Call call;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long firstNanos;
    private final long idleNanos;
    private volatile long lastProgress;
    private volatile boolean sawToken;
    private volatile Thread owner;
    private volatile boolean closed;
    private volatile Duration expiredLimit;
    private volatile boolean interrupted;
    private Future<?> future;

    /**
     * @param firstToken the longest wait for the first token (zero = none)
     * @param idle the longest wait between tokens (zero = none)
     */
    Watchdog(Call call, Duration firstToken, Duration idle, Ticker ticker, Scheduler scheduler) {
        this.call = call;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.firstNanos = firstToken.toNanos();
        this.idleNanos = idle.toNanos();
    }

    Watchdog start() {
        lastProgress = ticker.read();
        schedule(firstNanos > 0 ? Math.min(TICK_NANOS, firstNanos) : TICK_NANOS);
        return this;
    }

    /** The calling thread is about to block on the call. */
    void enter() {
        owner = Thread.currentThread();
    }

    /** The calling thread no longer blocks on the call. */
    void exit() {
        owner = null;
    }

    /** A token arrived. */
    void progress() {
        lastProgress = ticker.read();
        if (!sawToken) sawToken = true;
    }

    /** The limit that expired and cancelled the call, or null. */
    Duration expiredLimit() {
        return expiredLimit;
    }

    /** Whether the limit that expired was the first-token one. */
    boolean expiredBeforeFirstToken() {
        return expiredLimit != null && !sawToken;
    }

    /** Whether the call was cancelled because its reader was interrupted. */
    boolean interrupted() {
        return interrupted;
    }

    @Override
    public void run() {
        if (closed) return;
        Thread o = owner;
        if (o != null && o.isInterrupted()) {
            interrupted = true;
            call.cancel();
            return;
        }
        long limit = sawToken ? idleNanos : firstNanos;
        long waited = ticker.read() - lastProgress;
        if (limit > 0 && waited >= limit) {
            expiredLimit = Duration.ofNanos(limit);
            call.cancel();
            return;
        }
        schedule(limit > 0 ? Math.max(1_000_000L, Math.min(TICK_NANOS, limit - waited)) : TICK_NANOS);
    }

    private synchronized void schedule(long nanos) {
        if (!closed) future = scheduler.schedule(Duration.ofNanos(nanos), this);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (future != null) future.cancel(false);
    }
}
