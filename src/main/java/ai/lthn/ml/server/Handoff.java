package ai.lthn.ml.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue between a pump's pulling thread and the request's writer ({@link TokenPump},
 * {@link StepPump}): the puller waits while it is full, until the writer abandons the request.
 */
final class Handoff<T> {
    private final BlockingQueue<T> queue = new ArrayBlockingQueue<>(4096);
    private volatile boolean abandoned;

    /**
     * Hands an item to the writer, waiting while the queue is full; false once the writer has
     * abandoned the request. An interrupt of the pulling thread (a model's cancellation may
     * interrupt it) does not lose the item: the writer must always get the end.
     */
    boolean put(T item) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!abandoned) {
                try {
                    if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return false;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The next item if one is ready, else null. */
    T poll() {
        return queue.poll();
    }

    /** The next item, waiting up to {@code nanos}; null if none came. */
    T take(long nanos) throws InterruptedException {
        return queue.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** The writer is gone: the next {@link #put} returns false. */
    void abandon() {
        abandoned = true;
    }
}
