package ai.lthn.ml.internal;

import ai.lthn.ml.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Scheduler}: one shared daemon timer thread for deadlines (call timeouts that
 * close a stream when they fire). Tasks must be short: they run on the single timer thread.
 * Cancelled tasks are removed at once, so millions of cancelled deadlines cost no memory.
 * Builders take another {@link Scheduler} where a test or an application needs one.
 */
public final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();
    private static final Scheduler SYSTEM = Deadlines::schedule;

    private Deadlines() {}

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(1, Threads.daemonFactory("lthn-ml-deadline-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * The shared timer as a {@link Scheduler}: the builders' default.
     *
     * @return the system scheduler
     */
    public static Scheduler system() {
        return SYSTEM;
    }

    /**
     * Runs {@code task} once {@code delay} has passed, unless the returned future is cancelled first.
     *
     * @param delay how long to wait
     * @param task what to run (briefly) on the timer thread
     * @return the cancellable future
     */
    public static ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return TIMER.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
