package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * The scores of one response, as go-ml writes them (each suite's object omitted when it did
 * not run or failed). Holds no response text, so a run keeps only these
 * compact records in memory.
 */
@JsonPropertyOrder({"id", "model", "heuristic", "semantic", "content", "standard"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptScore(
        @JsonProperty("id") String id,
        @JsonProperty("model") String model,
        @JsonProperty("heuristic") HeuristicScores heuristic,
        @JsonProperty("semantic") SemanticScores semantic,
        @JsonProperty("content") ContentScores content,
        @JsonProperty("standard") StandardScores standard) {

    /** Validates id and model are present. */
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
        if (heuristic != null) {
            double[] values = heuristic.values();
            for (int i = 0; i < values.length; i++) action.accept(HeuristicScores.FIELD_NAMES.get(i), values[i]);
        }
        if (semantic != null) {
            action.accept("sovereignty", semantic.sovereignty());
            action.accept("ethical_depth", semantic.ethicalDepth());
            action.accept("creative_expression", semantic.creativeExpression());
            action.accept("self_concept", semantic.selfConcept());
        }
        if (content != null) {
            action.accept("ccp_compliance", content.ccpCompliance());
            action.accept("truth_telling", content.truthTelling());
            action.accept("engagement", content.engagement());
            action.accept("axiom_integration", content.axiomIntegration());
            action.accept("sovereignty_reasoning", content.sovereigntyReasoning());
            action.accept("content_emotional_register", content.emotionalRegister());
        }
    }

    /** Scores without judge suites. */
    public PromptScore(String id, String model, HeuristicScores heuristic, StandardScores standard) {
        this(id, model, heuristic, null, null, standard);
    }
}
