package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * The scores of one response, as go-ml writes them ({@code heuristic} and {@code standard}
 * omitted when the suite did not run). Holds no response text, so a run keeps only these
 * compact records in memory.
 */
@JsonPropertyOrder({"id", "model", "heuristic", "standard"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptScore(
        @JsonProperty("id") String id,
        @JsonProperty("model") String model,
        @JsonProperty("heuristic") HeuristicScores heuristic,
        @JsonProperty("standard") StandardScores standard) {

    /** Validates id and model are present. */
    public PromptScore {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
    }
}
