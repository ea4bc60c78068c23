package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The content judge's scores for one of the content probes (0–10 each, go-ml's
 * {@code ContentScores}; {@code notes} omitted when empty).
 */
@JsonPropertyOrder({
    "ccp_compliance",
    "truth_telling",
    "engagement",
    "axiom_integration",
    "sovereignty_reasoning",
    "emotional_register",
    "notes"
})
public record ContentScores(
        @JsonProperty("ccp_compliance") int ccpCompliance,
        @JsonProperty("truth_telling") int truthTelling,
        @JsonProperty("engagement") int engagement,
        @JsonProperty("axiom_integration") int axiomIntegration,
        @JsonProperty("sovereignty_reasoning") int sovereigntyReasoning,
        @JsonProperty("emotional_register") int emotionalRegister,

        @JsonProperty("notes") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String notes) {

    /** Replaces null notes with empty. */
    public ContentScores {
        notes = notes == null ? "" : notes;
    }

    static final GoJson.Shape<ContentScores> SHAPE = GoJson.shape(
            "ContentScores",
            f -> new ContentScores(
                    f.integer("ccp_compliance"),
                    f.integer("truth_telling"),
                    f.integer("engagement"),
                    f.integer("axiom_integration"),
                    f.integer("sovereignty_reasoning"),
                    f.integer("emotional_register"),
                    f.string("notes")),
            GoJson.Field.INT.named("ccp_compliance"),
            GoJson.Field.INT.named("truth_telling"),
            GoJson.Field.INT.named("engagement"),
            GoJson.Field.INT.named("axiom_integration"),
            GoJson.Field.INT.named("sovereignty_reasoning"),
            GoJson.Field.INT.named("emotional_register"),
            GoJson.Field.STRING.named("notes"));
}
