package ai.lthn.ml;

/**
 * The root of every failure this library reports. Unchecked, as in Jackson 3 and openai-java:
 * callers catch the subtype that tells them what to do (retry, give up, report bad input).
 *
 * <p>A failure during generation keeps the text produced before it: {@link #partialText()} is
 * that text (empty when nothing was produced), so a caller never loses output it already paid
 * for.
 *
 * <p>Caller mistakes (a null argument, a negative size) are not {@code MlException}s: they stay
 * {@link IllegalArgumentException} and {@link NullPointerException}.
 */
public class MlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The text produced before the failure. */
    private final String partialText;

    /**
     * A failure with a message and no partial output.
     *
     * @param message what went wrong
     */
    public MlException(String message) {
        this(message, "", null);
    }

    /**
     * A failure with a message and a cause, and no partial output.
     *
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public MlException(String message, Throwable cause) {
        this(message, "", cause);
    }

    /**
     * A failure with the text produced before it.
     *
     * @param partialText text generated before the failure; {@code null} is read as empty
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public MlException(String message, String partialText, Throwable cause) {
        super(message, cause);
        this.partialText = partialText == null ? "" : partialText;
    }

    /**
     * The text produced before the failure; empty when none was.
     *
     * @return the text produced before the failure; empty when none was
     */
    public String partialText() {
        return partialText;
    }
}
