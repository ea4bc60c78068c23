package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The capability judge's scores, 0.0–10.0 with decimals (the only judge scores that accept
 * them, as in go-ml).
 */
@JsonPropertyOrder({"reasoning", "correctness", "clarity", "notes"})
public record CapabilityScores(
        @JsonProperty("reasoning") double reasoning,
        @JsonProperty("correctness") double correctness,
        @JsonProperty("clarity") double clarity,

        @JsonProperty("notes") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String notes) {

    /** Replaces null notes with empty. */
    public CapabilityScores {
        notes = notes == null ? "" : notes;
    }

    static final GoJson.Shape<CapabilityScores> SHAPE = GoJson.shape(
            "CapabilityScores",
            f -> new CapabilityScores(
                    f.number("reasoning"), f.number("correctness"), f.number("clarity"), f.string("notes")),
            GoJson.Field.FLOAT.named("reasoning"),
            GoJson.Field.FLOAT.named("correctness"),
            GoJson.Field.FLOAT.named("clarity"),
            GoJson.Field.STRING.named("notes"));
}
