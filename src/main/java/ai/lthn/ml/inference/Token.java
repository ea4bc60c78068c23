package ai.lthn.ml.inference;

import java.util.Objects;

/**
 * One generated token.
 *
 * @param id the token id in the model's vocabulary; 0 when the engine does not report ids
 *     (HTTP servers stream text, not ids)
 * @param text the token's text; may be empty
 */
public record Token(int id, String text) {
    /**
     * Validates that the text is present.
     *
     * @param id the token id in the model's vocabulary; 0 when the engine does not report ids (HTTP servers stream text, not ids)
     * @param text the token's text; may be empty
     */
    public Token {
        Objects.requireNonNull(text, "text");
    }

    /**
     * A token with text only (id 0).
     *
     * @param text the text
     * @return a token with text only (id 0)
     */
    public static Token of(String text) {
        return new Token(0, text);
    }
}
