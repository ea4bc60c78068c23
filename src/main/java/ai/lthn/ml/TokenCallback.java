package ai.lthn.ml;

/**
 * Receives each token's text as it is generated, for the deprecated {@link StreamingBackend}.
 * Throwing from {@link #onToken} stops generation at once: no further tokens are produced and
 * the exception reaches the caller of the streaming method unchanged.
 */
@FunctionalInterface
public interface TokenCallback {
    /**
     * Called once per token, in order, on the generating thread.
     *
     * @param token the token
     */
    void onToken(String token);
}
