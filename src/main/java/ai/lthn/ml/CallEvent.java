package ai.lthn.ml;

import java.time.Duration;

/**
 * What one request to a model server came back with: its status, the server's rate-limit
 * signals, and the tokens it used. Given to a {@link CallObserver}.
 *
 * @param status the HTTP status, or 0 when the request failed without one
 * @param retryAfter the server's {@code Retry-After}, or null
 * @param remainingRequests {@code x-ratelimit-remaining-requests}, or -1 when absent
 * @param resetRequests {@code x-ratelimit-reset-requests} (e.g. {@code 6m0s}), or null
 * @param promptTokens {@code usage.prompt_tokens}, or -1 when unknown
 * @param completionTokens {@code usage.completion_tokens}, or -1 when unknown
 */
public record CallEvent(
        int status,
        Duration retryAfter,
        long remainingRequests,
        Duration resetRequests,
        int promptTokens,
        int completionTokens) {

    /**
     * Whether the server said to slow down (429, or no requests left in its window).
     *
     * @return {@code true} when the status is 429 or {@code remainingRequests} is 0 (-1, absent,
     *     does not count)
     */
    public boolean rateLimited() {
        return status == 429 || remainingRequests == 0;
    }
}
