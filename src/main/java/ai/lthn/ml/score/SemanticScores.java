package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The semantic judge's scores (1–10 each, go-ml's {@code SemanticScores}; JSON names verbatim,
 * {@code reasoning} omitted when empty).
 */
@JsonPropertyOrder({"sovereignty", "ethical_depth", "creative_expression", "self_concept", "reasoning"})
public record SemanticScores(
        @JsonProperty("sovereignty") int sovereignty,
        @JsonProperty("ethical_depth") int ethicalDepth,
        @JsonProperty("creative_expression") int creativeExpression,
        @JsonProperty("self_concept") int selfConcept,

        @JsonProperty("reasoning") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String reasoning) {

    /** Replaces a null reasoning with empty. */
    public SemanticScores {
        reasoning = reasoning == null ? "" : reasoning;
    }

    static final GoJson.Shape<SemanticScores> SHAPE = GoJson.shape(
            "SemanticScores",
            f -> new SemanticScores(
                    f.integer("sovereignty"),
                    f.integer("ethical_depth"),
                    f.integer("creative_expression"),
                    f.integer("self_concept"),
                    f.string("reasoning")),
            GoJson.Field.INT.named("sovereignty"),
            GoJson.Field.INT.named("ethical_depth"),
            GoJson.Field.INT.named("creative_expression"),
            GoJson.Field.INT.named("self_concept"),
            GoJson.Field.STRING.named("reasoning"));
}
