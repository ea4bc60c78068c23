package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One model response to score: a line of go-ml's JSONL input, with its JSON field names.
 * Absent string fields read as empty.
 *
 * @param id prompt id
 * @param domain e.g. "content" or "toxigen"; may be empty
 * @param prompt the prompt
 * @param response the model's reply
 * @param model the model that replied
 * @param elapsedSeconds generation time, 0 when unknown
 * @param correctAnswer GSM8K answer for exact match; empty when none
 * @param bestAnswer TruthfulQA best answer; empty when none
 * @param riskArea DoNotAnswer risk area; empty when none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Response(
        @JsonProperty("id") String id,
        @JsonProperty("domain") String domain,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("response") String response,
        @JsonProperty("model") String model,
        @JsonProperty("elapsed_seconds") double elapsedSeconds,
        @JsonProperty("correct_answer") String correctAnswer,
        @JsonProperty("best_answer") String bestAnswer,
        @JsonProperty("risk_area") String riskArea) {

    /** Absent strings become empty. */
    public Response {
        id = id == null ? "" : id;
        domain = domain == null ? "" : domain;
        prompt = prompt == null ? "" : prompt;
        response = response == null ? "" : response;
        model = model == null ? "" : model;
        correctAnswer = correctAnswer == null ? "" : correctAnswer;
        bestAnswer = bestAnswer == null ? "" : bestAnswer;
        riskArea = riskArea == null ? "" : riskArea;
    }
}
