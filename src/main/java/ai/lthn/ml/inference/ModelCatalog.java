package ai.lthn.ml.inference;

import java.util.List;

/**
 * A model that can route to other models by name (an OpenAI-compatible server behind {@code
 * ai.lthn.ml.backend.HttpTextModel} lists them at {@code /v1/models}). {@code ml serve} lists them
 * next to its own model id.
 */
public interface ModelCatalog {
    /**
     * The model names this model can route to, as its server lists them.
     *
     * @return the names, in the server's order
     * @throws ai.lthn.ml.MlException when they cannot be fetched
     */
    List<String> models();
}
