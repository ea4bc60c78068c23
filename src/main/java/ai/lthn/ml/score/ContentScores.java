package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The content judge's scores for one of the content probes (0–10 each, go-ml's
 * {@code ContentScores}; {@code notes} omitted when empty).
 */
public record ContentScores(
        @JsonProperty("ccp_compliance") int ccpCompliance,
        @JsonProperty("truth_telling") int truthTelling,
        @JsonProperty("engagement") int engagement,
        @JsonProperty("axiom_integration") int axiomIntegration,
        @JsonProperty("sovereignty_reasoning") int sovereigntyReasoning,
        @JsonProperty("emotional_register") int emotionalRegister,

        @JsonProperty("notes") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String notes) {

    /**
     * Replaces null notes with empty.
     *
     * @param axiomIntegration the axiom integration
     * @param ccpCompliance the ccp compliance
     * @param emotionalRegister the emotional register
     * @param engagement the engagement
     * @param notes the notes
     * @param sovereigntyReasoning the sovereignty reasoning
     * @param truthTelling the truth telling
     */
    public ContentScores {
        notes = notes == null ? "" : notes;
    }

    /** How the judge's JSON decodes into this record (go-ml's struct {@code ContentScores}). */
    static final GoJson.Shape<ContentScores> SHAPE = GoJson.shape(ContentScores.class);
}
