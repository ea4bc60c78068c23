package ai.lthn.ml.score;

import ai.lthn.ml.CallEvent;
import ai.lthn.ml.CallObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A concurrency limit that follows the provider's rate limits (AIMD, as TCP does): it halves on a
 * 429 or when the provider says no requests are left, grows by one for every {@code limit}
 * successful calls, never goes above the configured maximum or below one, and holds new calls
 * back for the server's {@code Retry-After} (or until its {@code x-ratelimit-reset-requests}).
 * Give it to the judge's {@code HttpBackend} as its observer and to {@link Engine.Builder#limit}.
 *
 * <p>Thread-safe.
 */
public final class AdaptiveLimit implements CallObserver {
    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private double limit;
    private int inFlight;
    private long pausedUntil = System.nanoTime();
    private int lowest;

    /**
     * A limit starting at, and never above, {@code max}.
     *
     * @param max the most calls at once ({@code --concurrency})
     */
    public AdaptiveLimit(int max) {
        if (max < 1) throw new IllegalArgumentException("max < 1: " + max);
        this.max = max;
        this.limit = max;
        this.lowest = max;
    }

    /**
     * Waits for a place.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long wait = pausedUntil - System.nanoTime();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                if (inFlight < (int) limit) break;
                changed.await();
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a place back. */
    public void release() {
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onCall(CallEvent e) {
        lock.lock();
        try {
            if (e.rateLimited()) {
                limit = Math.max(1, Math.floor(limit / 2));
                lowest = Math.min(lowest, (int) limit);
                Duration pause = e.retryAfter() != null ? e.retryAfter() : e.resetRequests();
                if (pause != null && !pause.isNegative())
                    pausedUntil = Math.max(pausedUntil, System.nanoTime() + pause.toNanos());
            } else if (e.status() >= 200 && e.status() < 300) {
                limit = Math.min(max, limit + 1 / limit);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The current limit.
     *
     * @return calls allowed at once now
     */
    public int limit() {
        lock.lock();
        try {
            return (int) limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lowest the limit has been.
     *
     * @return the lowest limit
     */
    public int lowest() {
        lock.lock();
        try {
            return lowest;
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code max} for no call to be in flight; for tests. */
    boolean awaitIdle(long max, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(max);
        lock.lock();
        try {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
