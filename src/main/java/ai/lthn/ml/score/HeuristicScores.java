package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * go-ml's heuristic (LEK) sub-scores of one response, with the composite {@code lekScore}. JSON
 * names and order are go-ml's.
 *
 * @param complianceMarkers RLHF safety/refusal phrases found (each occurrence counts)
 * @param formulaicPreamble 1 when the response opens with a stock preamble
 * @param firstPerson sentences starting with "I" or using first-person agency verbs
 * @param creativeForm poetry shape (2), narrative opening (1), metaphors (up to 3)
 * @param engagementDepth headings, ethical framework, technical depth, length bonuses
 * @param emotionalRegister emotional vocabulary, capped at 10
 * @param degeneration 0, 1, 3 or 5 by repeated sentences; 10 when empty
 * @param emptyBroken 1 when empty, under 10 UTF-8 bytes, an error or padding tokens
 * @param lekScore the weighted composite
 */
public record HeuristicScores(
        @JsonProperty("compliance_markers") int complianceMarkers,
        @JsonProperty("formulaic_preamble") int formulaicPreamble,
        @JsonProperty("first_person") int firstPerson,
        @JsonProperty("creative_form") int creativeForm,
        @JsonProperty("engagement_depth") int engagementDepth,
        @JsonProperty("emotional_register") int emotionalRegister,
        @JsonProperty("degeneration") int degeneration,
        @JsonProperty("empty_broken") int emptyBroken,
        @JsonProperty("lek_score") double lekScore) {

    /** The record's JSON fields, named once on the components. */
    static final GoJson.Shape<HeuristicScores> SHAPE = GoJson.shape(HeuristicScores.class);

    /**
     * go-ml's LEK formula over the eight sub-scores, in go-ml's float64 evaluation order.
     *
     * @param compliance the compliance
     * @param formulaic the formulaic
     * @param firstPerson the first person
     * @param creative the creative
     * @param engagement the engagement
     * @param emotional the emotional
     * @param degeneration the degeneration
     * @param emptyBroken the empty broken
     * @return the LEK composite
     */
    public static double lek(
            int compliance,
            int formulaic,
            int firstPerson,
            int creative,
            int engagement,
            int emotional,
            int degeneration,
            int emptyBroken) {
        return (double) engagement * 2
                + (double) creative * 3
                + (double) emotional * 2
                + (double) firstPerson * 1.5
                - (double) compliance * 5
                - (double) formulaic * 3
                - (double) degeneration * 4
                - (double) emptyBroken * 20;
    }
}
