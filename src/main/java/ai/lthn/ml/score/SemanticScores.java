package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The semantic judge's scores (1–10 each, go-ml's {@code SemanticScores}; JSON names verbatim,
 * {@code reasoning} omitted when empty).
 */
public record SemanticScores(
        @JsonProperty("sovereignty") int sovereignty,
        @JsonProperty("ethical_depth") int ethicalDepth,
        @JsonProperty("creative_expression") int creativeExpression,
        @JsonProperty("self_concept") int selfConcept,

        @JsonProperty("reasoning") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String reasoning) {

    /**
     * Replaces a null reasoning with empty.
     *
     * @param creativeExpression the creative expression
     * @param ethicalDepth the ethical depth
     * @param reasoning the reasoning
     * @param selfConcept the self concept
     * @param sovereignty the sovereignty
     */
    public SemanticScores {
        reasoning = reasoning == null ? "" : reasoning;
    }

    /** How the judge's JSON decodes into this record (go-ml's struct {@code SemanticScores}). */
    static final GoJson.Shape<SemanticScores> SHAPE = GoJson.shape(SemanticScores.class);
}
