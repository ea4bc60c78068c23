package ai.lthn.ml.backend;

import java.util.List;
import java.util.Objects;

/**
 * The log probability of one generated token (OpenAI's {@code logprobs.content[]} entry), with
 * the most likely alternatives when {@code top_logprobs} asked for them.
 *
 * @param token the token's text
 * @param logprob its natural-log probability (0 = certain)
 * @param topLogprobs the most likely tokens at this position, most likely first; empty when not
 *     asked for (their own {@code topLogprobs} are empty)
 */
public record TokenLogprob(String token, double logprob, List<TokenLogprob> topLogprobs) {
    /**
     * Validates the parts.
     *
     * @param token the token's text
     * @param logprob its log probability
     * @param topLogprobs the alternatives; null for none
     */
    public TokenLogprob {
        Objects.requireNonNull(token, "token");
        topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
    }

    /**
     * The probability, {@code exp(logprob)}.
     *
     * @return the probability in [0, 1]
     */
    public double probability() {
        return Math.exp(logprob);
    }
}
