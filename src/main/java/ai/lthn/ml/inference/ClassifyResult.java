package ai.lthn.ml.inference;

import java.util.List;
import java.util.Objects;

/**
 * The result of classifying one prompt: the token the model would produce next, and optionally
 * the logits it was chosen from.
 *
 * @param token the predicted token
 * @param logits the logits over the vocabulary when asked for with {@code returnLogits}, else
 *     empty
 */
public record ClassifyResult(Token token, List<Float> logits) {
    /**
     * Copies the logits.
     *
     * @param logits the logits over the vocabulary when asked for with {@code returnLogits}, else empty
     * @param token the predicted token
     */
    public ClassifyResult {
        Objects.requireNonNull(token, "token");
        logits = List.copyOf(logits);
    }
}
