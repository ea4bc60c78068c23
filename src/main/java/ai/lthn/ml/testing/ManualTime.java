package ai.lthn.ml.testing;

import ai.lthn.ml.Scheduler;
import ai.lthn.ml.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Time that moves only when a test says so: a {@link Ticker} and a {@link Scheduler} in one.
 * {@link #advance} moves the clock and runs, on the calling thread and in order, every task that
 * has come due, so deadlines, idle limits and run times can be tested without waiting and
 * without depending on the machine's speed.
 *
 * <pre>{@code
 * ManualTime time = new ManualTime();
 * Backend backend = InferenceAdapter.builder(model).timeout(Duration.ofSeconds(5)).scheduler(time).build();
 * // ... a call blocks in another thread; then:
 * time.advance(Duration.ofSeconds(5));   // the deadline fires: the call fails with MlTimeoutException
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ManualTime implements Ticker, Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nanos;
    private long sequence;

    /** Time at zero with nothing scheduled. */
    public ManualTime() {}

    @Override
    public synchronized long read() {
        return nanos;
    }

    /**
     * How far the clock has been advanced.
     *
     * @return the time since this clock was made
     */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    @Override
    public synchronized Future<?> schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        long due = nanos + Math.max(0, delay.toNanos());
        Task t = new Task(due, sequence++, task);
        queue.add(t);
        notifyAll();
        return t;
    }

    /**
     * How many tasks are scheduled and neither run nor cancelled.
     *
     * @return the pending count
     */
    public synchronized int pending() {
        queue.removeIf(Task::isDone);
        return queue.size();
    }

    /**
     * Waits (in real time) until at least {@code count} tasks are pending: for a test to know that
     * the code under test, in another thread, has armed its deadline.
     *
     * @param count the pending tasks to wait for
     * @param timeout the longest real wait
     * @return true if they are pending, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean awaitPending(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (pending() < count) {
            long left = end - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Moves the clock forward and runs every task due by the new time, earliest first (tasks that
     * those tasks schedule run too if they fall due in the window).
     *
     * @param amount how far to move; not negative
     */
    public void advance(Duration amount) {
        if (amount.isNegative()) throw new IllegalArgumentException("amount is negative: " + amount);
        long target;
        synchronized (this) {
            target = nanos + amount.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    nanos = target;
                    return;
                }
                queue.poll();
                nanos = Math.max(nanos, next.due);
            }
            next.run();
        }
    }

    /**
     * Moves the clock forward without running anything, as time passing while nobody looks.
     *
     * @param amount how far to move
     */
    public synchronized void skip(Duration amount) {
        if (amount.isNegative()) throw new IllegalArgumentException("amount is negative: " + amount);
        nanos += amount.toNanos();
    }

    /**
     * The delays, from now, of the pending tasks, earliest first.
     *
     * @return the delays
     */
    public synchronized List<Duration> pendingDelays() {
        List<Duration> out = new ArrayList<>();
        queue.stream().filter(t -> !t.isDone()).sorted().forEach(t -> out.add(Duration.ofNanos(t.due - nanos)));
        return out;
    }

    private static final class Task implements Future<Object>, Comparable<Task> {
        final long due;
        final long seq;
        final Runnable task;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean cancelled;
        private volatile boolean started;

        Task(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        void run() {
            synchronized (this) {
                if (cancelled) return;
                started = true;
            }
            try {
                task.run();
            } finally {
                done.countDown();
            }
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }

        @Override
        public synchronized boolean cancel(boolean mayInterruptIfRunning) {
            if (started || cancelled) return false;
            cancelled = true;
            done.countDown();
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done.getCount() == 0;
        }

        @Override
        public Object get() throws InterruptedException {
            done.await();
            if (cancelled) throw new CancellationException();
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
            if (!done.await(timeout, unit)) throw new TimeoutException();
            if (cancelled) throw new CancellationException();
            return null;
        }
    }
}
