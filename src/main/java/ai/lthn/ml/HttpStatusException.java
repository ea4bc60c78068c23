package ai.lthn.ml;

import java.time.Duration;
import java.util.Optional;

/**
 * A server answered with an HTTP status that is not success. {@link #isRetryable()} says whether
 * the same request may succeed later (408, 429 and 5xx); other 4xx mean the request itself is
 * wrong.
 */
public class HttpStatusException extends MlException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status code. */
    private final int statusCode;
    /** The response body, possibly cut to a bound. */
    private final String responseBody;
    /** The server's {@code Retry-After}, or null. */
    private final Duration retryAfter;
    /** Attempts made, at least 1. */
    private final int attempts;

    /**
     * A non-success HTTP status.
     *
     * @param statusCode the HTTP status code
     * @param responseBody the body as the server sent it (possibly cut to a bound), or empty
     * @param message what went wrong
     */
    public HttpStatusException(String message, int statusCode, String responseBody) {
        this(message, statusCode, responseBody, null);
    }

    /**
     * A non-success HTTP status with the delay the server asked for in {@code Retry-After}.
     *
     * @param retryAfter the server's requested delay, or null when it sent none
     * @param message what went wrong
     * @param statusCode the HTTP status code
     * @param responseBody the body as the server sent it (possibly cut to a bound), or empty
     */
    public HttpStatusException(String message, int statusCode, String responseBody, Duration retryAfter) {
        this(message, statusCode, responseBody, retryAfter, 1, null);
    }

    /**
     * A non-success HTTP status that ended a call of {@code attempts} attempts (or the same status
     * with more context).
     *
     * @param message what failed, and the server's message
     * @param statusCode the HTTP status code of the last attempt
     * @param responseBody the last body as the server sent it (possibly cut to a bound), or empty
     * @param retryAfter the server's requested delay, or null when it sent none
     * @param attempts how many attempts the call made, at least 1
     * @param cause the last attempt's own exception, or null
     */
    public HttpStatusException(
            String message, int statusCode, String responseBody, Duration retryAfter, int attempts, Throwable cause) {
        super(message, cause);
        if (attempts < 1) throw new IllegalArgumentException("attempts < 1: " + attempts);
        this.statusCode = statusCode;
        this.responseBody = responseBody == null ? "" : responseBody;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
    }

    /**
     * How many attempts the call made before giving up with this status: 1 without retries, up
     * to {@link RetryPolicy#maxAttempts()} with them.
     *
     * @return the attempts, at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The delay the server asked for with {@code Retry-After}, if it sent one.
     *
     * @return the delay the server asked for with {@code Retry-After}, if it sent one
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The HTTP status code.
     *
     * @return the HTTP status code
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The response body (possibly truncated), empty when there was none.
     *
     * @return the response body (possibly truncated), empty when there was none
     */
    public String responseBody() {
        return responseBody;
    }

    /**
     * True for statuses where the same request may succeed later: 408, 429 and 5xx.
     *
     * @return true for statuses where the same request may succeed later: 408, 429 and 5xx
     */
    public boolean isRetryable() {
        return isRetryableStatus(statusCode);
    }

    /**
     * True for 408, 429 and every 5xx status.
     *
     * @param statusCode the HTTP status code
     * @return true for 408, 429 and every 5xx status
     */
    public static boolean isRetryableStatus(int statusCode) {
        return statusCode == 408 || statusCode == 429 || statusCode >= 500;
    }
}
