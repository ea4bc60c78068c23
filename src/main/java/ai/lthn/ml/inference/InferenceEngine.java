package ai.lthn.ml.inference;

import java.nio.file.Path;

/**
 * A way to load models into this process (MLX on Apple silicon, a llama.cpp binding, ...): the
 * service-provider interface behind {@link Inference#loadModel}. Engines are found with
 * {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/ai.lthn.ml.inference.InferenceEngine}, with a public no-argument
 * constructor. {@link Inference#register} adds one by hand.
 *
 * <p>Implementations are thread-safe. {@link #isAvailable()} is a cheap, cached probe that never
 * throws (a missing native library makes an engine unavailable, not broken).
 */
public interface InferenceEngine {

    /**
     * The engine's name, e.g. "metal"; unique among registered engines.
     *
     * @return the engine's registry name
     */
    String name();

    /**
     * Whether this engine can run on this machine. Never throws.
     *
     * @return whether this engine can run on this machine
     */
    boolean isAvailable();

    /**
     * Why the engine is not available (empty when it is), e.g. "unsupported platform: linux/amd64".
     *
     * @return why the engine is unavailable, or empty when it is available
     */
    String unavailableReason();

    /**
     * Loads the model at {@code path}.
     *
     *
     * @param path the file
     * @param config the generation config
     * @return the loaded model, to be closed by the caller
     * @throws ModelLoadException if this engine does not handle that path (the message says why,
     *     and is shown to the user among every engine's reasons) or loading failed
     * @throws ai.lthn.ml.BackendUnavailableException if the engine is not available
     */
    TextModel loadModel(Path path, LoadConfig config);
}
