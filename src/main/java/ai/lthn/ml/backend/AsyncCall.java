package ai.lthn.ml.backend;

import ai.lthn.ml.internal.Threads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A blocking call run on an executor as a {@link CompletableFuture} whose {@code cancel}
 * interrupts the running thread (the HTTP calls here are interruptible: an interrupt cancels the
 * request). The interrupt is delivered only while the call runs on that thread, never to a pooled
 * thread that has moved on.
 */
final class AsyncCall<T> extends CompletableFuture<T> {
    /** The default pool: daemon threads, created as needed, kept a minute when idle. */
    static final ExecutorService SHARED = Executors.newCachedThreadPool(Threads.daemonFactory("lthn-http-async"));

    private Thread runner;
    private boolean over;

    static <T> CompletableFuture<T> start(Supplier<T> call, Executor executor) {
        AsyncCall<T> f = new AsyncCall<>();
        executor.execute(() -> f.run(call));
        return f;
    }

    private void run(Supplier<T> call) {
        synchronized (this) {
            if (isDone()) return;
            runner = Thread.currentThread();
        }
        try {
            complete(call.get());
        } catch (Throwable e) {
            completeExceptionally(e);
        } finally {
            synchronized (this) {
                runner = null;
                over = true;
                Thread.interrupted(); // a cancel's interrupt stays with this call, not the pooled thread
            }
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        synchronized (this) {
            if (cancelled && runner != null && !over) runner.interrupt();
        }
        return cancelled;
    }
}
