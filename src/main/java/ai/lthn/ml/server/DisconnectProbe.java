package ai.lthn.ml.server;

import ai.lthn.ml.inference.TokenStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Notices a client that has gone while its request is generating, when nothing is being written
 * to it (a non-streamed request, or a stream before its first token): every 200 ms it reads from
 * the connection, without blocking. End of input means the client closed: the model's stream is
 * closed, which cancels the generation and frees the request's slot. HTTP/1.1 leaves the
 * connection unread while a request is handled, so no other reader competes; bytes that do
 * arrive (a pipelined request) are consumed, and the connection is then closed after the
 * response ({@link #readAhead()}), as pipelining clients are prepared for.
 */
final class DisconnectProbe implements Runnable {
    private static final long PERIOD_MS = 200;

    private final EndPoint endPoint;
    private final Runnable cancel;
    private final Scheduler scheduler;
    private final ByteBuffer buffer = BufferUtil.allocate(512);
    private Scheduler.Task task;
    private boolean stopped;
    private volatile boolean gone;
    private volatile boolean readAhead;

    private DisconnectProbe(EndPoint endPoint, Runnable cancel, Scheduler scheduler) {
        this.endPoint = endPoint;
        this.cancel = cancel;
        this.scheduler = scheduler;
    }

    static DisconnectProbe start(EndPoint endPoint, TokenStream stream, Scheduler scheduler) {
        return start(endPoint, (Runnable) stream::close, scheduler);
    }

    /** A probe that runs {@code cancel} when the client is gone (a pass-through call's cancel). */
    static DisconnectProbe start(EndPoint endPoint, Runnable cancel, Scheduler scheduler) {
        DisconnectProbe p = new DisconnectProbe(endPoint, cancel, scheduler);
        synchronized (p) {
            p.task = scheduler.schedule(p, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        return p;
    }

    @Override
    public synchronized void run() {
        if (stopped) return;
        int n;
        try {
            BufferUtil.clear(buffer);
            n = endPoint.fill(buffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            gone = true;
            cancel.run();
            return;
        }
        if (n > 0) readAhead = true;
        task = scheduler.schedule(this, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops probing; after it returns no read is in progress or will start. */
    synchronized void stop() {
        stopped = true;
        if (task != null) task.cancel();
    }

    /** Whether the client closed its connection. */
    boolean clientGone() {
        return gone;
    }

    /** Whether the probe consumed bytes the client sent after its request. */
    boolean readAhead() {
        return readAhead;
    }
}
