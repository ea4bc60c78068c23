package ai.lthn.ml;

/**
 * Generation was cancelled: its {@code TokenStream} was closed from another thread, or the
 * calling thread was interrupted (the interrupt flag is restored before this is thrown).
 * {@link #partialText()} holds what was produced before the cancellation.
 */
public class GenerationCancelledException extends MlException {
    private static final long serialVersionUID = 1L;

    /**
     * A cancellation with the text produced before it.
     *
     * @param message what went wrong
     * @param partialText the text generated before the failure; null is read as empty
     * @param cause the underlying failure, or null
     */
    public GenerationCancelledException(String message, String partialText, Throwable cause) {
        super(message, partialText, cause);
    }

    /**
     * A cancellation with no partial output.
     *
     * @param message what went wrong
     */
    public GenerationCancelledException(String message) {
        super(message);
    }
}
