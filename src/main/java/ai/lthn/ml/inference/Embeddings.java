package ai.lthn.ml.inference;

import java.util.List;
import java.util.Objects;

/**
 * Embedding vectors, one per input in input order, and the tokens the inputs took.
 *
 * @param vectors one vector per input, in input order
 * @param promptTokens the tokens the inputs took as the model counted them; 0 when it did not say
 */
public record Embeddings(List<float[]> vectors, int promptTokens) {
    /**
     * Copies the list (the arrays are the caller's).
     *
     * @param vectors one vector per input, in input order
     * @param promptTokens the tokens the inputs took; 0 when unknown
     */
    public Embeddings {
        vectors = List.copyOf(Objects.requireNonNull(vectors, "vectors"));
        if (promptTokens < 0) throw new IllegalArgumentException("promptTokens < 0: " + promptTokens);
    }
}
