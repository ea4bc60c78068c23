package ai.lthn.ml.inference;

import ai.lthn.ml.MlException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one prompt of a batch: the tokens produced and, when it failed, why. A failed
 * item may still carry the tokens produced before the failure.
 *
 * @param tokens tokens produced (possibly partial)
 * @param failure why the item failed, or null when it succeeded
 */
public record BatchResult(List<Token> tokens, MlException failure) {
    /**
     * Copies the tokens.
     *
     * @param failure why the item failed, or null when it succeeded
     * @param tokens tokens produced (possibly partial)
     */
    public BatchResult {
        tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
    }

    /**
     * A successful item.
     *
     * @param tokens the tokens
     * @return a successful item
     */
    public static BatchResult success(List<Token> tokens) {
        return new BatchResult(tokens, null);
    }

    /**
     * A failed item with the tokens produced before the failure.
     *
     * @param tokens the tokens
     * @param failure the failure
     * @return a failed item with the tokens produced before the failure
     */
    public static BatchResult failed(List<Token> tokens, MlException failure) {
        return new BatchResult(tokens, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * True when the item succeeded.
     *
     * @return true when the item succeeded
     */
    public boolean isSuccess() {
        return failure == null;
    }

    /**
     * The failure, if the item failed.
     *
     * @return the failure, if the item failed
     */
    public Optional<MlException> error() {
        return Optional.ofNullable(failure);
    }

    /**
     * The concatenated token text.
     *
     * @return the concatenated token text
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) sb.append(t.text());
        return sb.toString();
    }
}
