package ai.lthn.ml.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One shared daemon timer for deadlines (call timeouts that close a stream when they fire).
 * Tasks must be short: they run on the single timer thread. Cancelled tasks are removed at once,
 * so millions of cancelled deadlines cost no memory.
 */
public final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private Deadlines() {}

    private static ScheduledThreadPoolExecutor newTimer() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "lthn-ml-deadline-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, factory);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code task} once {@code delay} has passed, unless the returned future is cancelled first. */
    public static ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return TIMER.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
