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

    static native int setLimits(long cacheLimitBytes, long memoryLimitBytes);

    static native void free(long handle);

    static native long liveObjects();
}
