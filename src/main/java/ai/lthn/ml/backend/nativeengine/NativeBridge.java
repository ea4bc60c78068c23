package ai.lthn.ml.backend.nativeengine;

import java.nio.ByteBuffer;

/** The JNI entry points (src/main/native/lthn_jni.c). Not API: callers go through NativeTextModel. */
final class NativeBridge {
    private NativeBridge() {}

    /** Receives each token on the generating thread; return false to stop. */
    interface Sink {
        boolean onToken(int id, String text);
    }

    static native long load(String path, long cacheLimitBytes, long memoryLimitBytes, String[] error);

    static native String info(long handle, int[] dims);

    static native int countTokens(long handle, String text);

    /** 0 finished, 1 stopped (cancel or sink), negative: error in {@code error[0]}. */
    static native int generate(
            long handle,
            String prompt,
            int maxTokens,
            float temperature,
            int topK,
            float topP,
            float repeatPenalty,
            ByteBuffer cancelFlag,
            Sink sink,
            long[] metrics,
            String[] error);

    /**
     * Starts a pulled generation; its handle, or 0 with the reason in {@code error[0]}. The
     * cancel flag must stay reachable until {@link #genFinish}.
     */
    static native long genStart(
            long handle,
            String prompt,
            int maxTokens,
            float temperature,
            int topK,
            float topP,
            float repeatPenalty,
            ByteBuffer cancelFlag,
            String[] error);

    /** The address of a direct buffer's memory (0 when not direct). */
    static native long address(ByteBuffer direct);

    /**
     * Steps a pulled generation on the calling thread, writing into the direct buffer at {@code
     * io} ({@code cap} bytes): {@code max} int ids, then {@code max} int text ends, then UTF-8
     * text (token i's text is {@code [ends[i-1], ends[i])} from the text start). Returns {@code
     * (state << 32) | count}: state 0 running, 1 done, 2 cancelled, negative failed, with the
     * message as the text of length {@code ends[0]}. The buffer must stay reachable during the call.
     */
    static native long step(long gen, long io, int cap, int max);

    /** Ends and frees a pulled generation (exactly once), filling the five metrics. */
    static native void genFinish(long gen, long[] metrics);

    static native int setLimits(long cacheLimitBytes, long memoryLimitBytes);

    static native void free(long handle);

    static native long liveObjects();
}
