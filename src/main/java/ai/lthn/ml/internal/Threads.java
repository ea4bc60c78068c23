package ai.lthn.ml.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The library's threads: daemon threads with names that say whose they are. */
public final class Threads {
    private Threads() {}

    /**
     * A factory of daemon threads named {@code prefix1}, {@code prefix2}, ...
     *
     * @param prefix the name before the thread's number, e.g. {@code "lthn-ml-judge-"}
     * @return the factory
     */
    public static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + n.incrementAndGet());
    }

    /**
     * A daemon thread, not started.
     *
     * @param task what it runs
     * @param name its name
     * @return the thread
     */
    public static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Waits for {@code t} to end, for a thread whose end is bounded by other means (a queue it
     * empties, a disk sync): an interrupt does not stop the wait, and is kept for the caller.
     *
     * @param t the thread
     */
    public static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
