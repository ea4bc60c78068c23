package ai.lthn.ml;

/**
 * A backend (or engine, or server process) is not there to answer: not configured, not started,
 * not healthy, or not supported on this platform. Retrying at once will not help; starting or
 * configuring the backend will.
 */
public class BackendUnavailableException extends MlException {
    private static final long serialVersionUID = 1L;

    /**
     * A backend is not available, for the reason given.
     *
     * @param message what went wrong
     */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * A backend is not available, for the reason given, because of {@code cause}.
     *
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
