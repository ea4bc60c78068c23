package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.Token;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One native generation, pushed ({@link NativeTextModel.Feed#PUSH}): a daemon thread runs the
 * engine's loop ({@code lthn_generate}), whose per-token callback puts each token into a bounded
 * queue that {@link #produce()} takes from. {@link #close()} raises the native cancel flag, which
 * the loop checks before every token. Kept for comparison with {@link PulledTokenStream}: the
 * hand-off between threads costs a park/unpark per token (FINDINGS.md).
 */
final class PushedTokenStream extends NativeTokenStream {
    private static final Object END = new Object();

    private final NativeTextModel model;
    private final long handle;
    private final String prompt;
    private final GenerateConfig config;
    private final ByteBuffer cancel = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(64);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean cancelled;

    PushedTokenStream(NativeTextModel model, long handle, String prompt, GenerateConfig config) {
        this.model = model;
        this.handle = handle;
        this.prompt = prompt;
        this.config = config;
    }

    @Override
    void start() {
        Thread t = new Thread(this::run, "lthn-native-generate");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        long[] m = new long[5];
        String[] error = new String[1];
        Object outcome = END;
        GenerateMetrics metrics = null;
        try {
            int rc = NativeBridge.generate(
                    handle,
                    prompt,
                    config.maxTokens(),
                    config.temperature(),
                    config.topK(),
                    config.topP(),
                    config.repeatPenalty(),
                    cancel,
                    this::offer,
                    m,
                    error);
            metrics = GenerateMetrics.of((int) m[0], (int) m[1], Duration.ofNanos(m[2]), Duration.ofNanos(m[3]));
            if (rc < 0) outcome = new StreamFailedException("native engine: " + error[0]);
            else if (config.maxTokens() > 0 && m[1] >= config.maxTokens()) finishReason(FinishReason.LENGTH);
        } catch (RuntimeException | Error e) { // a callback's exception, rethrown by the JNI return
            outcome = e;
        } finally {
            if (metrics != null) metrics(metrics);
            model.finished(this, metrics);
            done.countDown();
            hand(outcome);
        }
    }

    /** The native callback: hand one token over, waiting while the consumer is behind. */
    private boolean offer(int id, String text) {
        return hand(new Token(id, text));
    }

    /**
     * Puts {@code item} in the queue, waiting while it is full, until the stream is closed (then
     * the consumer no longer reads: {@link #release()} has already woken it).
     */
    private boolean hand(Object item) {
        try {
            while (!cancelled) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    protected Token produce() throws Exception {
        Object o = queue.take();
        if (o == END) return null;
        if (o instanceof Token t) return t;
        if (o instanceof RuntimeException e) throw e;
        if (o instanceof Error e) throw e;
        throw new IllegalStateException("unexpected " + o);
    }

    @Override
    protected void release() {
        cancelled = true;
        cancel.putInt(0, 1);
        queue.clear();
        queue.offer(END); // wakes a consumer blocked in take()
    }

    @Override
    boolean awaitNative() {
        try {
            done.await();
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
