package ai.lthn.ml;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An I/O failure reading or writing a file, a socket or a process: the unchecked carrier of an
 * {@link IOException}. The message names the file, URL or process involved.
 */
public class MlIOException extends MlException {
    private static final long serialVersionUID = 1L;

    /**
     * An I/O failure described by {@code message}, caused by {@code cause}.
     *
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public MlIOException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * An I/O failure with the text generated before it.
     *
     * @param message what went wrong
     * @param partialText the text generated before the failure; null is read as empty
     * @param cause the underlying failure, or null
     */
    public MlIOException(String message, String partialText, IOException cause) {
        super(message, partialText, cause);
    }

    /**
     * The same I/O failure seen from further out (after retries, or inside a larger task): the
     * message adds context, the type stays.
     *
     * @param message the failure with its context
     * @param cause the failure as first reported
     */
    public MlIOException(String message, MlIOException cause) {
        super(message, cause.partialText(), cause);
    }

    /**
     * Wraps an {@link UncheckedIOException} keeping its {@link IOException} as the cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public MlIOException(String message, UncheckedIOException cause) {
        super(message, cause.getCause());
    }
}
