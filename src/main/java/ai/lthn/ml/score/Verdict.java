package ai.lthn.ml.score;

import ai.lthn.ml.MlException;
import ai.lthn.ml.internal.Failures;
import java.util.Objects;

/**
 * What one judge call came to: scores, a reply that could not be read as the requested JSON
 * (kept apart from a low score, with the raw reply), or a failed call. {@link #orThrow()} turns
 * the last two into go-ml's errors.
 *
 * @param <T> the scores record
 */
public sealed interface Verdict<T> {

    /**
     * The rubric's suite.
     *
     * @return e.g. {@link Suite#SEMANTIC} or {@link Suite#TRUTHFULQA}
     */
    Suite suite();

    /**
     * The scores, or go-ml's error: "no JSON found in ...", "unmarshal ... scores: ...", "... judge chat: ...".
     *
     * @return the scores, or go-ml's error: "no JSON found in ...", "unmarshal ..
     */
    T orThrow();

    /**
     * Whether this verdict has scores.
     *
     * @return whether this verdict has scores
     */
    default boolean isScored() {
        return this instanceof Scored;
    }

    /**
     * The judge answered and its reply decoded.
     *
     * @param reply the judge's raw reply (the last one, after a re-ask)
     * @param attempts 1, or 2 when a re-ask was needed
     */
    record Scored<T>(Suite suite, T scores, String reply, int attempts) implements Verdict<T> {
        /**
         * Validates.
         *
         * @param attempts 1, or 2 when a re-ask was needed
         * @param reply the judge's raw reply (the last one, after a re-ask)
         * @param scores the scores
         * @param suite the suite
         */
        public Scored {
            Objects.requireNonNull(suite, "suite");
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
    record Unparseable<T>(Suite suite, String problem, String reply) implements Verdict<T> {
        @Override
        public T orThrow() {
            throw new JudgeParseException(problem, reply);
        }
    }

    /**
     * The judge call itself failed (network, status, timeout, cancellation).
     *
     * @param cause the backend's exception
     */
    record Failed<T>(Suite suite, MlException cause) implements Verdict<T> {
        /**
         * Validates.
         *
         * @param cause the backend's exception
         * @param suite the suite
         */
        public Failed {
            Objects.requireNonNull(suite, "suite");
            Objects.requireNonNull(cause, "cause");
        }

        /**
         * Throws go-ml's error, "&lt;suite&gt; judge chat: &lt;cause&gt;", as an exception of the
         * cause's type (an {@code HttpStatusException} stays one, with its status) with the
         * cause attached.
         */
        @Override
        public T orThrow() {
            throw Failures.withContext(suite.wireName() + " judge chat", cause);
        }
    }
}
