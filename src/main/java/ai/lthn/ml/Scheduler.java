package ai.lthn.ml;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short task once a delay has passed, as Caffeine's {@code Scheduler}: how the library
 * enforces deadlines that no thread is waiting on (an adapter's call timeout, an HTTP stream's
 * first-token and idle limits). The default is one shared daemon timer thread; inject another
 * through a builder's {@code scheduler(...)} setting to run deadlines on your own executor, or to
 * fire them when a test says so ({@link ai.lthn.ml.testing.ManualTime}).
 *
 * <p>Tasks are short (they close a stream or cancel a call) and must not be run on the thread
 * that scheduled them before {@code schedule} returns. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs {@code task} once {@code delay} has passed, unless the returned future is cancelled
     * first.
     *
     * @param delay how long to wait; zero or negative runs it as soon as possible
     * @param task what to run
     * @return a future whose {@code cancel} stops the task from running
     */
    Future<?> schedule(Duration delay, Runnable task);

    /**
     * A scheduler over {@code executor}, which the caller keeps and shuts down.
     *
     * @param executor the executor to schedule on
     * @return a scheduler that delegates to it
     */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (delay, task) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
