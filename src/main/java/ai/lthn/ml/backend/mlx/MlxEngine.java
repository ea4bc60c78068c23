package ai.lthn.ml.backend.mlx;

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
 * <p>The native bridge ({@code liblthn_mlx}) is not part of this build yet (TODO.md, phase 2):
 * on macOS arm64 the engine reports the missing library instead.
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
        try {
            System.loadLibrary(LIBRARY);
        } catch (UnsatisfiedLinkError e) {
            return "native library " + LIBRARY + " not found (java.library.path="
                    + System.getProperty("java.library.path", "") + ")";
        }
        return "the " + LIBRARY + " library loaded, but this build has no MLX bridge for it";
    }

    @Override
    public String name() {
        return NAME;
    }

    /** False in this build: see {@link #unavailableReason()}. */
    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return reason;
    }

    /**
     * @throws ModelLoadException always in this build, with {@link #unavailableReason()}
     */
    @Override
    public TextModel loadModel(Path path, LoadConfig config) {
        throw new ModelLoadException("cannot load " + path + " with " + NAME + ": " + reason);
    }
}
