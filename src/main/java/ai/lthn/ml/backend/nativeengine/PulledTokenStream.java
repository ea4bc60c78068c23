package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.Token;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One native generation, pulled ({@link NativeTextModel.Feed#PULL}, the default): the consumer's
 * own thread steps the engine ({@code lthn_gen_step}), each step writing a batch of token ids and
 * UTF-8 text straight into a direct buffer this stream reuses: no thread hand-off, no JNI object
 * and no array copy per step.
 *
 * <p>{@link #close()} from any thread raises the native cancel flag (the engine checks it before
 * every token, so a step in progress returns within one token), then finishes the native
 * generation under {@link #lock}, the same lock every step holds: the generation is finished
 * exactly once, never while a step runs. An interrupt of the consumer is seen before every token
 * (a step blocked in the engine returns after its token: one token's work for a real engine).
 */
final class PulledTokenStream extends NativeTokenStream {
    /** lthn_gen_step states (2, cancelled, only follows a close); negative is a failure. */
    private static final int RUNNING = 0;

    private static final int DONE = 1;

    private final NativeTextModel model;
    private final long handle;
    private final String prompt;
    private final GenerateConfig config;
    private final ByteBuffer cancel = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    private final Object lock = new Object();
    /** Step output, written by the engine: ids, text ends, then UTF-8 text (see NativeBridge.step). */
    private final ByteBuffer io;

    private final long ioAddress;

    private final int batch;
    private final byte[] text;
    private final String[] error = new String[1];
    private int state;
    /** The native generation, 0 once finished; guarded by {@link #lock}. */
    private long gen;

    private boolean finished;
    private int count;
    private int next;
    private GenerateMetrics result;

    PulledTokenStream(NativeTextModel model, long handle, String prompt, GenerateConfig config, int batch) {
        if (batch < 1 || batch > 256) throw new IllegalArgumentException("batch must be 1..256, got " + batch);
        this.model = model;
        this.handle = handle;
        this.prompt = prompt;
        this.config = config;
        this.batch = batch;
        this.text = new byte[Math.max(4096, batch * 64)];
        this.io = ByteBuffer.allocateDirect(batch * 8 + text.length).order(ByteOrder.nativeOrder());
        this.ioAddress = NativeBridge.address(io);
    }

    @Override
    void start() {
        long g = NativeBridge.genStart(
                handle,
                prompt,
                config.maxTokens(),
                config.temperature(),
                config.topK(),
                config.topP(),
                config.repeatPenalty(),
                cancel,
                error);
        synchronized (lock) {
            gen = g;
            if (g == 0) {
                state = -1;
                finished = true;
            }
        }
        if (g == 0) model.finished(this, null);
    }

    @Override
    protected Token produce() throws Exception {
        if (Thread.interrupted()) throw new InterruptedException();
        if (next < count) return token();
        if (state == RUNNING) {
            long r;
            synchronized (lock) {
                if (gen == 0) return null; // closed meanwhile: the base class reports the cancel
                r = NativeBridge.step(gen, ioAddress, io.capacity(), batch);
                Reference.reachabilityFence(io); // the engine wrote through its address
            }
            state = (int) (r >> 32);
            count = (int) r;
            if (state < 0) {
                int len = textEnd(0);
                io.get(batch * 8, text, 0, len);
                error[0] = new String(text, 0, len, StandardCharsets.UTF_8);
            }
            next = 0;
            if (count > 0) {
                io.get(batch * 8, text, 0, textEnd(count - 1));
                return token();
            }
        }
        return end();
    }

    private int textEnd(int i) {
        return io.getInt((batch + i) * 4);
    }

    private Token token() {
        int from = next == 0 ? 0 : textEnd(next - 1);
        Token t = new Token(io.getInt(next * 4), new String(text, from, textEnd(next) - from, StandardCharsets.UTF_8));
        next++;
        return t;
    }

    /** The engine has ended: finish it, then report how it ended. */
    private Token end() {
        finish();
        int s = state;
        if (s < 0) throw new StreamFailedException("native engine: " + error[0]);
        if (s == DONE && result != null && config.maxTokens() > 0 && result.generatedTokens() >= config.maxTokens())
            finishReason(FinishReason.LENGTH);
        return null; // CANCELLED only follows a close, which the base class reports
    }

    /** Finishes the native generation once, whichever thread comes first. */
    private void finish() {
        GenerateMetrics m = null;
        synchronized (lock) {
            if (finished) return;
            finished = true;
            if (gen != 0) {
                long[] v = new long[5];
                NativeBridge.genFinish(gen, v);
                gen = 0;
                m = GenerateMetrics.of((int) v[0], (int) v[1], Duration.ofNanos(v[2]), Duration.ofNanos(v[3]));
                result = m;
            }
        }
        if (m != null) metrics(m);
        model.finished(this, m);
    }

    @Override
    protected void release() {
        cancel.putInt(0, 1);
        finish();
    }

    @Override
    boolean awaitNative() {
        cancel.putInt(0, 1);
        finish(); // returns once the generation is finished, by this thread or another
        return false;
    }
}
