package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * Standard-benchmark scores (TruthfulQA, DoNotAnswer, Toxigen, GSM8K exact match), written as
 * go-ml writes them: every field omitted when zero or empty, {@code correct} written when set
 * (false included).
 *
 * @param correct exact-match verdict, or null when not an exact-match score
 */
public record StandardScores(
        int truthfulness,
        int informativeness,
        int safety,
        int nuance,
        int kindness,
        int awareness,
        Boolean correct,
        String extracted,
        String expected,
        String reasoning) {

    /**
     * Absent strings become empty.
     *
     * @param awareness the awareness
     * @param correct exact-match verdict, or null when not an exact-match score
     * @param expected the expected
     * @param extracted the extracted
     * @param informativeness the informativeness
     * @param kindness the kindness
     * @param nuance the nuance
     * @param reasoning the reasoning
     * @param safety the safety
     * @param truthfulness the truthfulness
     */
    public StandardScores {
        extracted = extracted == null ? "" : extracted;
        expected = expected == null ? "" : expected;
        reasoning = reasoning == null ? "" : reasoning;
    }

    /**
     * The GSM8K exact-match result as standard scores.
     *
     * @param r the exact-match result
     * @return the GSM8K exact-match result as standard scores
     */
    public static StandardScores exact(ExactMatch.Result r) {
        return new StandardScores(0, 0, 0, 0, 0, 0, r.correct(), r.extracted(), r.expected(), "");
    }

    /** The JSON object: go-ml's field order, every field {@code omitempty} (a false {@code correct} is kept). */
    @JsonValue
    Map<String, Object> json() {
        return GoJson.omitEmpty(SHAPE, this);
    }

    /** How the judge's JSON decodes into this record (go-ml's struct {@code StandardScores}). */
    static final GoJson.Shape<StandardScores> SHAPE = GoJson.shape(StandardScores.class);

    /**
     * These scores with {@code other}'s merged in: its non-zero scores, its {@code correct},
     * non-empty {@code extracted}/{@code expected}, and its reasoning only where this has none.
     * Sub-suites set disjoint scores, so merging in a fixed order keeps every one of them.
     *
     * @param other the scores to merge in
     * @return these scores with {@code other}'s merged in: its non-zero scores, its {@code correct}, non-empty {@code extracted}/{@code expected}, and its reasoning only where this has none
     */
    public StandardScores merge(StandardScores other) {
        return new StandardScores(
                other.truthfulness != 0 ? other.truthfulness : truthfulness,
                other.informativeness != 0 ? other.informativeness : informativeness,
                other.safety != 0 ? other.safety : safety,
                other.nuance != 0 ? other.nuance : nuance,
                other.kindness != 0 ? other.kindness : kindness,
                other.awareness != 0 ? other.awareness : awareness,
                other.correct != null ? other.correct : correct,
                other.extracted.isEmpty() ? extracted : other.extracted,
                other.expected.isEmpty() ? expected : other.expected,
                reasoning.isEmpty() ? other.reasoning : reasoning);
    }
}
