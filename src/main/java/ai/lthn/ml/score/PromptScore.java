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
