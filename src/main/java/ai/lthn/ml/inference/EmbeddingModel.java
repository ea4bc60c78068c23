package ai.lthn.ml.inference;

import java.util.List;

/**
 * A model that also serves embeddings (an OpenAI-compatible {@code /v1/embeddings} behind {@code
 * ai.lthn.ml.backend.HttpTextModel}, for one). {@code ml serve} answers {@code /v1/embeddings} when
 * its model implements this, and 404 when it does not.
 */
public interface EmbeddingModel {
    /**
     * Embeds {@code inputs}.
     *
     * @param model the embedding model to ask for (for models that route by name); empty = the
     *     model's default
     * @param inputs the texts, at least one
     * @return one vector per input, in input order, with the token count when the model gives one
     * @throws IllegalArgumentException when {@code inputs} is empty
     * @throws ai.lthn.ml.MlException when the model fails or answers with something else
     */
    Embeddings embed(String model, List<String> inputs);
}
