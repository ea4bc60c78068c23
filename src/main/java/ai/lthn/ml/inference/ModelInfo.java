package ai.lthn.ml.inference;

import java.util.Objects;

/**
 * What a loaded model is. Zero fields are unknown.
 *
 * @param architecture e.g. "qwen3", "gemma3", or "http" for a remote model
 * @param vocabSize vocabulary size
 * @param numLayers transformer layers
 * @param hiddenSize hidden dimension
 * @param quantBits bits per weight when quantised, 0 when not
 * @param quantGroup quantisation group size, 0 when not quantised
 */
public record ModelInfo(
        String architecture, int vocabSize, int numLayers, int hiddenSize, int quantBits, int quantGroup) {

    /**
     * Validates the architecture is present.
     *
     * @param architecture e.g. "qwen3", "gemma3", or "http" for a remote model
     * @param hiddenSize hidden dimension
     * @param numLayers transformer layers
     * @param quantBits bits per weight when quantised, 0 when not
     * @param quantGroup quantisation group size, 0 when not quantised
     * @param vocabSize vocabulary size
     */
    public ModelInfo {
        Objects.requireNonNull(architecture, "architecture");
    }

    /**
     * Only the architecture known.
     *
     * @param architecture the architecture
     * @return the info, every other field unknown
     */
    public static ModelInfo of(String architecture) {
        return new ModelInfo(architecture, 0, 0, 0, 0, 0);
    }
}
