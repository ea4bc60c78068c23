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

    private final int statusCode;
    private final String responseBody;
    private final Duration retryAfter;

    /**
     * A non-success HTTP status.
     *
     * @param statusCode the HTTP status code
     * @param responseBody the body as the server sent it (possibly cut to a bound), or empty
     */
    public HttpStatusException(String message, int statusCode, String responseBody) {
        this(message, statusCode, responseBody, null);
    }

    /**
     * A non-success HTTP status with the delay the server asked for in {@code Retry-After}.
     *
     * @param retryAfter the server's requested delay, or null when it sent none
     */
    public HttpStatusException(String message, int statusCode, String responseBody, Duration retryAfter) {
        super(message);
        this.statusCode = statusCode;
        this.responseBody = responseBody == null ? "" : responseBody;
        this.retryAfter = retryAfter;
    }

    /** The delay the server asked for with {@code Retry-After}, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The HTTP status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The response body (possibly truncated), empty when there was none. */
    public String responseBody() {
        return responseBody;
    }

    /** True for statuses where the same request may succeed later: 408, 429 and 5xx. */
    public boolean isRetryable() {
        return isRetryableStatus(statusCode);
    }

    /** True for 408, 429 and every 5xx status. */
    public static boolean isRetryableStatus(int statusCode) {
        return statusCode == 408 || statusCode == 429 || statusCode >= 500;
    }
}
