package ai.lthn.ml.score;

import ai.lthn.ml.MlException;
import java.util.Objects;

/**
 * What one judge call came to: scores, a reply that could not be read as the requested JSON
 * (kept apart from a low score, with the raw reply), or a failed call. {@link #orThrow()} turns
 * the last two into go-ml's errors.
 *
 * @param <T> the scores record
 */
public sealed interface Verdict<T> {

    /** The rubric's suite name ("semantic", "truthfulqa", ...). */
    String suite();

    /** The scores, or go-ml's error: "no JSON found in ...", "unmarshal ... scores: ...", "... judge chat: ...". */
    T orThrow();

    /** Whether this verdict has scores. */
    default boolean isScored() {
        return this instanceof Scored;
    }

    /**
     * The judge answered and its reply decoded.
     *
     * @param reply the judge's raw reply (the last one, after a re-ask)
     * @param attempts 1, or 2 when a re-ask was needed
     */
    record Scored<T>(String suite, T scores, String reply, int attempts) implements Verdict<T> {
        /** Validates. */
        public Scored {
            Objects.requireNonNull(scores, "scores");
        }

        @Override
        public T orThrow() {
            return scores;
        }
    }

    /**
     * The judge answered, but not with the JSON asked for.
     *
     * @param problem go-ml's wording: "no JSON found in &lt;suite&gt; judge response: ..." or
     *     "unmarshal &lt;suite&gt; scores: ..."
     * @param reply the raw reply
     */
    record Unparseable<T>(String suite, String problem, String reply) implements Verdict<T> {
        @Override
        public T orThrow() {
            throw new JudgeParseException(problem, reply);
        }
    }

    /** The judge call itself failed (network, status, timeout, cancellation). */
    record Failed<T>(String suite, MlException cause) implements Verdict<T> {
        @Override
        public T orThrow() {
            throw new MlException(suite + " judge chat: " + cause.getMessage(), cause);
        }
    }
}
