package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
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

    /** Absent strings become empty. */
    public StandardScores {
        extracted = extracted == null ? "" : extracted;
        expected = expected == null ? "" : expected;
        reasoning = reasoning == null ? "" : reasoning;
    }

    /** The GSM8K exact-match result as standard scores. */
    public static StandardScores exact(ExactMatch.Result r) {
        return new StandardScores(0, 0, 0, 0, 0, 0, r.correct(), r.extracted(), r.expected(), "");
    }

    /** The JSON object, with go-ml's omitempty rules and field order. */
    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        putInt(m, "truthfulness", truthfulness);
        putInt(m, "informativeness", informativeness);
        putInt(m, "safety", safety);
        putInt(m, "nuance", nuance);
        putInt(m, "kindness", kindness);
        putInt(m, "awareness", awareness);
        if (correct != null) m.put("correct", correct);
        if (!extracted.isEmpty()) m.put("extracted", extracted);
        if (!expected.isEmpty()) m.put("expected", expected);
        if (!reasoning.isEmpty()) m.put("reasoning", reasoning);
        return m;
    }

    private static void putInt(Map<String, Object> m, String key, int value) {
        if (value != 0) m.put(key, value);
    }

    static final GoJson.Shape<StandardScores> SHAPE = GoJson.shape(
            "StandardScores",
            f -> new StandardScores(
                    f.integer("truthfulness"),
                    f.integer("informativeness"),
                    f.integer("safety"),
                    f.integer("nuance"),
                    f.integer("kindness"),
                    f.integer("awareness"),
                    f.bool("correct"),
                    f.string("extracted"),
                    f.string("expected"),
                    f.string("reasoning")),
            GoJson.Field.INT.named("truthfulness"),
            GoJson.Field.INT.named("informativeness"),
            GoJson.Field.INT.named("safety"),
            GoJson.Field.INT.named("nuance"),
            GoJson.Field.INT.named("kindness"),
            GoJson.Field.INT.named("awareness"),
            GoJson.Field.BOOL.named("correct"),
            GoJson.Field.STRING.named("extracted"),
            GoJson.Field.STRING.named("expected"),
            GoJson.Field.STRING.named("reasoning"));

    /**
     * These scores with {@code other}'s merged in: its non-zero scores, its {@code correct},
     * non-empty {@code extracted}/{@code expected}, and its reasoning only where this has none.
     * Sub-suites set disjoint scores, so merging in a fixed order keeps every one of them.
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
