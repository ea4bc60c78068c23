package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.inference.InferenceEngine;
import ai.lthn.ml.inference.LoadConfig;
import ai.lthn.ml.inference.ModelLoadException;
import ai.lthn.ml.inference.TextModel;
import java.nio.file.Path;

/**
 * The engine named "native": any library behind {@code lthn_engine.h}, chosen with the system
 * property {@value #PROPERTY} (its base name, e.g. {@code lthn_test} for the deterministic test
 * engine this build makes on Linux; the library is found as {@link NativeLibrary} finds it). With
 * the property unset the engine is registered but unavailable, and says so. On macOS arm64 the
 * MLX library is the "metal" engine ({@code MlxEngine}), over the same ABI.
 *
 * <pre>{@code
 * java -Dlthn.native.engine=lthn_test -jar ml-cli.jar serve --model-path model.spec
 * }</pre>
 */
public final class NativeEngine implements InferenceEngine {
    /** The engine's registry name. */
    public static final String NAME = "native";

    /** The system property naming the library (its base name). */
    public static final String PROPERTY = "lthn.native.engine";

    /** Registered through {@link java.util.ServiceLoader}; the library is loaded when first asked. */
    public NativeEngine() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    @Override
    public String unavailableReason() {
        String lib = System.getProperty(PROPERTY);
        if (lib == null || lib.isBlank())
            return "no native engine library named (set -D" + PROPERTY + "=<library base name>)";
        String why = NativeLibrary.load(lib.strip());
        return why == null ? "" : "native library " + lib.strip() + ": " + why;
    }

    @Override
    public TextModel loadModel(Path path, LoadConfig config) {
        String why = unavailableReason();
        if (!why.isEmpty()) throw new ModelLoadException("cannot load " + path + " with " + NAME + ": " + why);
        return NativeTextModel.load(
                path,
                config.cacheLimitBytes() > 0 ? config.cacheLimitBytes() : NativeTextModel.DEFAULT_CACHE_LIMIT,
                config.memoryLimitBytes() > 0 ? config.memoryLimitBytes() : NativeTextModel.DEFAULT_MEMORY_LIMIT);
    }
}
