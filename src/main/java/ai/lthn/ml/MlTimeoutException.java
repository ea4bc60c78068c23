package ai.lthn.ml;

import java.time.Duration;

/**
 * A time limit ran out: connecting, waiting for the first token, waiting between tokens, or the
 * whole call. {@link #timeout()} is the limit that fired; {@link #partialText()} what was produced
 * before it.
 */
public class MlTimeoutException extends MlException {
    private static final long serialVersionUID = 1L;

    /** The limit that ran out. */
    private final Duration timeout;

    /**
     * A timeout, naming what timed out, with the limit and the text produced before it.
     *
     * @param message what went wrong
     * @param timeout the time limit
     * @param partialText the text generated before the failure; null is read as empty
     * @param cause the underlying failure, or null
     */
    public MlTimeoutException(String message, Duration timeout, String partialText, Throwable cause) {
        super(message, partialText, cause);
        this.timeout = timeout;
    }

    /**
     * The limit that ran out.
     *
     * @return the limit that ran out
     */
    public Duration timeout() {
        return timeout;
    }
}
