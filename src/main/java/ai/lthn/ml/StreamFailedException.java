package ai.lthn.ml;

/**
 * Generation failed after it began: the engine, the server or the connection broke mid-stream.
 * {@link #partialText()} holds the tokens produced before the failure; {@link #getCause()} the
 * underlying failure.
 */
public class StreamFailedException extends MlException {
    private static final long serialVersionUID = 1L;

    /**
     * A mid-stream failure with no partial output.
     *
     * @param message what went wrong
     */
    public StreamFailedException(String message) {
        super(message);
    }

    /**
     * A mid-stream failure with the text produced before it and its cause.
     *
     * @param message what went wrong
     * @param partialText the text generated before the failure; null is read as empty
     * @param cause the underlying failure, or null
     */
    public StreamFailedException(String message, String partialText, Throwable cause) {
        super(message, partialText, cause);
    }
}
