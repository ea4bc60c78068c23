package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The scores of one response, as go-ml writes them (each suite's object omitted when it did
 * not run or failed). Holds no response text, so a run keeps only these
 * compact records in memory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptScore(
        @JsonProperty("id") String id,
        @JsonProperty("model") String model,
        @JsonProperty("heuristic") HeuristicScores heuristic,
        @JsonProperty("semantic") SemanticScores semantic,
        @JsonProperty("content") ContentScores content,
        @JsonProperty("standard") StandardScores standard) {

    /**
     * Validates id and model are present.
     *
     * @param content the text of the turn
     * @param heuristic the heuristic scores, or null
     * @param id the id
     * @param model the model
     * @param semantic the semantic judge's scores, or null
     * @param standard the standard-benchmark and exact-match scores, or null
     */
    public PromptScore {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
    }

    /**
     * The averaged fields of these scores by go-ml's names ({@code lek_score}, {@code sovereignty},
     * {@code content_emotional_register}, …), in go-ml's order; suites without scores are absent.
     * Standard scores are not among them, as go-ml does not average them.
     *
     * @return field name → value
     */
    public java.util.Map<String, Double> metricValues() {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        forEachMetric(out::put);
        return out;
    }

    /**
     * Hands each averaged field to {@code action}, as {@link #metricValues()} lists them, without
     * building a map.
     *
     * @param action receives the field name and its value
     */
    public void forEachMetric(java.util.function.ObjDoubleConsumer<String> action) {
        if (heuristic != null)
            for (GoJson.Named f : HeuristicScores.SHAPE.numbers()) action.accept(f.name(), f.number(heuristic));
        if (semantic != null)
            for (GoJson.Named f : SemanticScores.SHAPE.numbers()) action.accept(f.name(), f.number(semantic));
        if (content != null)
            for (GoJson.Named f : ContentScores.SHAPE.numbers())
                // go-ml prefixes the one name content shares with the heuristic scores
                action.accept(
                        f.name().equals("emotional_register") ? "content_emotional_register" : f.name(),
                        f.number(content));
    }

    /**
     * Scores without judge suites.
     *
     * @param id the id
     * @param model the model
     * @param heuristic the heuristic scores, or null
     * @param standard the standard-benchmark and exact-match scores, or null
     */
    public PromptScore(String id, String model, HeuristicScores heuristic, StandardScores standard) {
        this(id, model, heuristic, null, null, standard);
    }
}
