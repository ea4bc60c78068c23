package ai.lthn.ml.backend.mlx;

import ai.lthn.ml.backend.nativeengine.NativeLibrary;
import ai.lthn.ml.backend.nativeengine.NativeTextModel;
import ai.lthn.ml.inference.InferenceEngine;
import ai.lthn.ml.inference.LoadConfig;
import ai.lthn.ml.inference.ModelLoadException;
import ai.lthn.ml.inference.TextModel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The "metal" engine slot (go-mlx registers its engine under that name): MLX on Apple GPUs,
 * reached through JNI, on macOS arm64 only. Elsewhere it is registered but unavailable, and
 * {@link ai.lthn.ml.inference.Inference#loadModel} explains why: "unsupported platform".
 *
 * <p>On macOS arm64 the engine loads {@code liblthn_mlx} (the JNI shim linked with the mlx-c
 * engine behind {@code lthn_engine.h}; README says how to build it) through {@link NativeLibrary}
 * and serves models as {@link NativeTextModel}s, with the memory limits of the {@link
 * LoadConfig} (go-ml's 16 GiB cache and 24 GiB defaults). Without the library it reports why.
 */
public final class MlxEngine implements InferenceEngine {
    /** The engine's registry name. */
    public static final String NAME = "metal";

    static final String LIBRARY = "lthn_mlx";

    private final String reason;

    /** Probes this JVM's platform (and, on macOS arm64, the native library). */
    public MlxEngine() {
        this(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    MlxEngine(String osName, String osArch) {
        this.reason = probe(osName, osArch);
    }

    private static String probe(String osName, String osArch) {
        boolean mac = osName.toLowerCase(Locale.ROOT).startsWith("mac");
        boolean arm = osArch.equals("aarch64") || osArch.equals("arm64");
        if (!mac || !arm)
            return "unsupported platform: the MLX/Metal engine needs macOS on arm64 (this is " + osName + " " + osArch
                    + "); use an HTTP backend or llama-server here";
        String why = NativeLibrary.load(LIBRARY);
        return why == null ? null : "native library " + LIBRARY + ": " + why;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** True on macOS arm64 with the MLX library loaded; else see {@link #unavailableReason()}. */
    @Override
    public boolean isAvailable() {
        return reason == null;
    }

    @Override
    public String unavailableReason() {
        return reason == null ? "" : reason;
    }

    /**
     * @throws ModelLoadException off macOS arm64 or without the library, with {@link
     *     #unavailableReason()}; or with the engine's message when it cannot load the model
     */
    @Override
    public TextModel loadModel(Path path, LoadConfig config) {
        if (reason != null) throw new ModelLoadException("cannot load " + path + " with " + NAME + ": " + reason);
        return NativeTextModel.load(
                path,
                config.cacheLimitBytes() > 0 ? config.cacheLimitBytes() : NativeTextModel.DEFAULT_CACHE_LIMIT,
                config.memoryLimitBytes() > 0 ? config.memoryLimitBytes() : NativeTextModel.DEFAULT_MEMORY_LIMIT);
    }
}
