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

    private final String partialText;

    /** A failure with a message and no partial output. */
    public MlException(String message) {
        this(message, "", null);
    }

    /** A failure with a message and a cause, and no partial output. */
    public MlException(String message, Throwable cause) {
        this(message, "", cause);
    }

    /**
     * A failure with the text produced before it.
     *
     * @param partialText text generated before the failure; {@code null} is read as empty
     */
    public MlException(String message, String partialText, Throwable cause) {
        super(message, cause);
        this.partialText = partialText == null ? "" : partialText;
    }

    /** The text produced before the failure; empty when none was. */
    public String partialText() {
        return partialText;
    }

    /**
     * Gives a failure the text produced before it. An {@code MlException} that already carries
     * that text, or any {@code MlException} when nothing was produced, is returned as it is, so
     * its type survives. Otherwise a timeout or a cancellation keeps its type, an
     * {@link java.io.IOException} before any output becomes an {@link MlIOException}, and
     * anything else becomes a {@link StreamFailedException} with {@code failure} as its cause.
     *
     * @param failure what went wrong
     * @param partialText the text produced before it
     * @return an exception to throw
     */
    public static MlException withPartialText(Throwable failure, String partialText) {
        String partial = partialText == null ? "" : partialText;
        if (failure instanceof MlException ml
                && (partial.isEmpty() || ml.partialText().equals(partial))) return ml;
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failure instanceof MlTimeoutException t)
            return new MlTimeoutException(message, t.timeout(), partial, failure);
        if (failure instanceof GenerationCancelledException)
            return new GenerationCancelledException(message, partial, failure);
        if (failure instanceof java.io.IOException io && partial.isEmpty()) return new MlIOException(message, io);
        return new StreamFailedException(message, partial, failure);
    }
}
