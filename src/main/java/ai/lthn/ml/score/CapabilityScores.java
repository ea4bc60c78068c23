package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The capability judge's scores, 0.0–10.0 with decimals (the only judge scores that accept
 * them, as in go-ml).
 */
public record CapabilityScores(
        @JsonProperty("reasoning") double reasoning,
        @JsonProperty("correctness") double correctness,
        @JsonProperty("clarity") double clarity,

        @JsonProperty("notes") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String notes) {

    /**
     * Replaces null notes with empty.
     *
     * @param clarity the clarity
     * @param correctness the correctness
     * @param notes the notes
     * @param reasoning the reasoning
     */
    public CapabilityScores {
        notes = notes == null ? "" : notes;
    }

    /** How the judge's JSON decodes into this record (go-ml's struct {@code CapabilityScores}). */
    static final GoJson.Shape<CapabilityScores> SHAPE = GoJson.shape(CapabilityScores.class);
}
