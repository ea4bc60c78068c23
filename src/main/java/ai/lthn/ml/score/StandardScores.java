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
}
