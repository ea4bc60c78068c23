package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.inference.ClassifyResult;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.ModelInfo;
import ai.lthn.ml.inference.ModelLoadException;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@link TextModel} over a native model handle (any engine behind {@code lthn_engine.h}).
 * Each call streams through its own {@link NativeTokenStream}. Thread-safe: several threads may
 * generate at once (the engine's contract); {@link #close()} cancels every running generation,
 * waits for each native loop to return, then frees the handle exactly once, whichever thread
 * calls it and however often.
 */
public final class NativeTextModel implements TextModel {
    /** How tokens travel from the engine to {@code TokenStream.next()} (FINDINGS.md compares them). */
    enum Feed {
        /** The consumer's thread steps the engine, a batch of tokens per JNI call (the default). */
        PULL,
        /** A daemon thread runs the engine's loop; a callback hands each token over a queue. */
        PUSH
    }

    /** Tokens per pulled step at most (the engine may return fewer: a real one returns one). */
    static final int BATCH = 64;

    /** go-ml's default MLX cache limit, 16 GiB. */
    public static final long DEFAULT_CACHE_LIMIT = 16L << 30;
    /** go-ml's default MLX memory limit, 24 GiB. */
    public static final long DEFAULT_MEMORY_LIMIT = 24L << 30;

    private final String type;
    private final ModelInfo info;
    private final Feed feed;
    private final int batch;
    private final Set<NativeTokenStream> running = ConcurrentHashMap.newKeySet();
    private final AtomicReference<GenerateMetrics> last = new AtomicReference<>(GenerateMetrics.ZERO);
    private long handle;
    private boolean closed;

    private NativeTextModel(long handle, String type, ModelInfo info, Feed feed, int batch) {
        this.handle = handle;
        this.feed = feed;
        this.batch = batch;
        this.type = type;
        this.info = info;
    }

    /**
     * Loads {@code path} through the already loaded native library.
     *
     * @param path the model file or directory, passed to the engine as an absolute path
     * @param cacheLimitBytes the engine's cache limit in bytes, e.g. {@link #DEFAULT_CACHE_LIMIT};
     *     zero or positive
     * @param memoryLimitBytes the engine's memory limit in bytes, e.g. {@link
     *     #DEFAULT_MEMORY_LIMIT}; zero or positive
     * @return the loaded model; close it to free the native handle
     * @throws IllegalArgumentException if a limit is negative
     * @throws ModelLoadException with the engine's message when it cannot
     */
    public static NativeTextModel load(Path path, long cacheLimitBytes, long memoryLimitBytes) {
        return load(path, cacheLimitBytes, memoryLimitBytes, Feed.PULL, BATCH);
    }

    /** As {@link #load(Path, long, long)} with the token feed chosen (tests and benchmarks). */
    static NativeTextModel load(Path path, long cacheLimitBytes, long memoryLimitBytes, Feed feed, int batch) {
        if (batch < 1 || batch > 256) throw new IllegalArgumentException("batch must be 1..256, got " + batch);
        if (cacheLimitBytes < 0 || memoryLimitBytes < 0) throw new IllegalArgumentException("negative memory limit");
        if (NativeBridge.setLimits(cacheLimitBytes, memoryLimitBytes) != 0)
            throw new ModelLoadException("native engine refused the memory limits");
        String[] error = new String[1];
        long h = NativeBridge.load(path.toAbsolutePath().toString(), cacheLimitBytes, memoryLimitBytes, error);
        if (h == 0) throw new ModelLoadException("cannot load " + path + ": " + error[0]);
        int[] dims = new int[5];
        String arch = NativeBridge.info(h, dims);
        return new NativeTextModel(h, arch, new ModelInfo(arch, dims[0], dims[1], dims[2], dims[3], 0), feed, batch);
    }

    /**
     * Live native objects the engine reports (the test engine counts; others give -1).
     *
     * @return the number of native objects not yet freed, or -1 when the engine does not count
     */
    public static long liveNativeObjects() {
        return NativeBridge.liveObjects();
    }

    @Override
    public TokenStream generate(String prompt, GenerateConfig config) {
        synchronized (this) {
            if (closed) throw new MlException("native model is closed");
            NativeTokenStream s = feed == Feed.PULL
                    ? new PulledTokenStream(this, handle, prompt, config, batch)
                    : new PushedTokenStream(this, handle, prompt, config);
            running.add(s);
            s.start();
            return s;
        }
    }

    /** Messages are joined as {@code role: content} lines, the assistant's turn open at the end. */
    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages)
            sb.append(m.role()).append(": ").append(m.content()).append('\n');
        return generate(sb.append("assistant:").toString(), config);
    }

    /** Not offered by the native ABI yet (no logits across it). */
    @Override
    public List<ClassifyResult> classify(List<String> prompts, GenerateConfig config) {
        throw new UnsupportedOperationException("classify not supported by the native engine");
    }

    @Override
    public String modelType() {
        return type;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public GenerateMetrics metrics() {
        return last.get();
    }

    synchronized long handle() {
        return handle;
    }

    void finished(NativeTokenStream s, GenerateMetrics m) {
        if (m != null) last.set(m);
        running.remove(s);
    }

    /** Cancels running generations, waits for their native loops, frees the handle once. */
    @Override
    public void close() {
        long h;
        synchronized (this) {
            if (closed) return;
            closed = true;
            h = handle;
        }
        boolean interrupted = false;
        for (NativeTokenStream s : List.copyOf(running)) {
            s.close();
            interrupted |= s.awaitNative();
        }
        synchronized (this) {
            handle = 0;
        }
        NativeBridge.free(h);
        if (interrupted) Thread.currentThread().interrupt();
    }
}
