package ai.lthn.ml.server;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrency gate: at most {@code limit} generations at once, at most {@code queue} requests
 * waiting (each up to {@code wait}), and 429 beyond that. Acquiring is atomic, so a burst cannot
 * overshoot the limit (go-ml checked, then incremented).
 */
final class Gate {
    private final Semaphore permits;
    private final int limit;
    private final int queue;
    private final Duration wait;
    private final AtomicInteger waiting = new AtomicInteger();

    Gate(int limit, int queue, Duration wait) {
        this.permits = new Semaphore(limit, true);
        this.limit = limit;
        this.queue = queue;
        this.wait = wait;
    }

    /**
     * Takes a slot, waiting in the queue if there is room.
     *
     * @throws ApiException 429 when the queue is full or the wait runs out
     * @throws InterruptedException if interrupted while waiting
     */
    void enter() throws InterruptedException {
        if (permits.tryAcquire()) return;
        while (true) {
            int w = waiting.get();
            if (w >= queue) throw busy();
            if (waiting.compareAndSet(w, w + 1)) break;
        }
        try {
            if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) throw busy();
        } finally {
            waiting.decrementAndGet();
        }
    }

    void exit() {
        permits.release();
    }

    /** Generations running now. */
    int active() {
        return limit - permits.availablePermits();
    }

    /** Requests waiting for a slot. */
    int waiting() {
        return waiting.get();
    }

    private ApiException busy() {
        return new ApiException(
                429,
                "rate_limit_error",
                "server_busy",
                "server busy, max concurrent requests reached (" + limit + " running, " + queue + " queued)");
    }
}
