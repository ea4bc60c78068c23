package ai.lthn.ml.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A buffered output stream whose full buffers are written by a thread of its own, so the caller
 * fills the next one while the last is written: producing a large file (rendering a score file)
 * and its write system calls then run on two cores instead of taking turns on one. At most
 * {@value #QUEUED} buffers of {@value #CHUNK} bytes wait at once; a caller that gets ahead waits.
 * A stream that never fills one buffer never starts the thread: {@link #flush()} writes it on the
 * caller's thread.
 *
 * <p>A write that fails on the thread is thrown (as an {@link IOException} whose cause it is) by
 * the caller's next {@code write}, {@code flush} or {@code close}; nothing after it is written.
 * The caller's waits do not end on an interrupt (the flag is kept): a cancelled run still writes
 * what it has, as a plain stream would. {@link #close()} writes what is left, flushes, and ends
 * the thread; it does not close the underlying stream (its owner does). Not thread-safe: one
 * caller at a time.
 */
public final class WriteBehind extends OutputStream {
    /** The size of one buffer. */
    static final int CHUNK = 256 * 1024;

    /** How many full buffers may wait for the thread. */
    static final int QUEUED = 4;

    private record Chunk(byte[] bytes, int length) {}

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> waiting = new ArrayDeque<>();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private byte[] current = new byte[CHUNK];
    private int used;
    private Thread writer; // set by the caller's thread only
    private int unwritten; // handed over and not yet written (guarded by lock)
    private Throwable failure; // guarded by lock
    private boolean ending; // guarded by lock
    private boolean closed;

    /**
     * Writes behind to {@code out}.
     *
     * @param out the stream written to (by this stream's thread once a buffer fills)
     */
    public WriteBehind(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void write(int b) throws IOException {
        if (used == CHUNK) handOver();
        current[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (used == CHUNK) handOver();
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    /** Gives the full buffer to the thread (starting it the first time) and takes an empty one. */
    private void handOver() throws IOException {
        ensureOpen();
        lock.lock();
        try {
            if (writer == null) {
                writer = Threads.daemonFactory("lthn-ml-write-behind-").newThread(this::drain);
                writer.start();
            }
            while (waiting.size() >= QUEUED && failure == null) changed.awaitUninterruptibly();
            throwIfFailed();
            waiting.add(new Chunk(current, used));
            unwritten++;
            changed.signalAll();
            byte[] next = free.poll();
            current = next != null ? next : new byte[CHUNK];
            used = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Writes everything written so far to the underlying stream and flushes it. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (writer == null) { // never filled a buffer: no thread, the caller writes
            out.write(current, 0, used);
            used = 0;
        } else {
            if (used > 0) handOver();
            lock.lock();
            try {
                while (unwritten > 0 && failure == null) changed.awaitUninterruptibly();
                throwIfFailed();
            } finally {
                lock.unlock();
            }
        }
        out.flush(); // the thread is idle: nothing waits
    }

    /** Flushes, then ends the thread; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        try {
            flush();
        } finally {
            closed = true;
            endThread();
        }
    }

    private void endThread() {
        Thread t;
        lock.lock();
        try {
            ending = true;
            changed.signalAll();
            t = writer;
        } finally {
            lock.unlock();
        }
        if (t != null) Threads.joinUninterruptibly(t); // it ends by itself once the queue is empty
    }

    /** The thread: writes the buffers in order until the stream ends or a write fails. */
    private void drain() {
        while (true) {
            Chunk c;
            lock.lock();
            try {
                while (waiting.isEmpty() && !ending) changed.awaitUninterruptibly();
                c = waiting.poll();
                if (c == null) return; // ending, and nothing left
            } finally {
                lock.unlock();
            }
            try {
                out.write(c.bytes(), 0, c.length());
            } catch (Throwable e) {
                lock.lock();
                try {
                    failure = e;
                    waiting.clear();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                if (e instanceof VirtualMachineError fatal) throw fatal;
                return;
            }
            lock.lock();
            try {
                unwritten--;
                free.push(c.bytes());
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure == null) return;
        if (failure instanceof IOException io) throw new IOException(io.getMessage(), io);
        throw new IOException("write failed: " + failure, failure);
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("stream closed");
    }
}
