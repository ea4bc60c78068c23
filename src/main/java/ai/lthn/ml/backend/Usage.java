package ai.lthn.ml.backend;

/**
 * The token counts a server reported for one call; -1 where it reported none.
 *
 * @param promptTokens tokens read ({@code usage.prompt_tokens}), -1 when unknown
 * @param completionTokens tokens generated, over all choices ({@code usage.completion_tokens}), -1 when unknown
 */
public record Usage(int promptTokens, int completionTokens) {
    /** No counts reported. */
    public static final Usage UNKNOWN = new Usage(-1, -1);

    /**
     * Whether the server reported any count.
     *
     * @return true when a count is known
     */
    public boolean known() {
        return promptTokens >= 0 || completionTokens >= 0;
    }

    /**
     * Prompt plus completion tokens, the unknown ones counted as 0.
     *
     * @return the total
     */
    public int totalTokens() {
        return Math.max(promptTokens, 0) + Math.max(completionTokens, 0);
    }

    /** Sums two calls' counts (for {@code n} emulated by several calls). */
    Usage plus(Usage other) {
        if (!known()) return other;
        if (!other.known()) return this;
        return new Usage(
                Math.max(promptTokens, 0) + Math.max(other.promptTokens, 0),
                Math.max(completionTokens, 0) + Math.max(other.completionTokens, 0));
    }
}
