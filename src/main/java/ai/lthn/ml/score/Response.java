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

    /**
     * A builder, for code that makes responses (every field optional, strings empty by default).
     *
     * <pre>{@code
     * Response r = Response.builder().id("q1").model("gemma-3-1b").prompt(q).response(a).build();
     * }</pre>
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Response}. */
    public static final class Builder {
        private String id = "";
        private String domain = "";
        private String prompt = "";
        private String response = "";
        private String model = "";
        private double elapsedSeconds;
        private String correctAnswer = "";
        private String bestAnswer = "";
        private String riskArea = "";

        private Builder() {}

        /** @param v prompt id @return this builder */
        public Builder id(String v) {
            this.id = v;
            return this;
        }

        /** @param v domain, e.g. "content" @return this builder */
        public Builder domain(String v) {
            this.domain = v;
            return this;
        }

        /** @param v the prompt @return this builder */
        public Builder prompt(String v) {
            this.prompt = v;
            return this;
        }

        /** @param v the model's reply @return this builder */
        public Builder response(String v) {
            this.response = v;
            return this;
        }

        /** @param v the model @return this builder */
        public Builder model(String v) {
            this.model = v;
            return this;
        }

        /** @param v generation time in seconds @return this builder */
        public Builder elapsedSeconds(double v) {
            this.elapsedSeconds = v;
            return this;
        }

        /** @param v GSM8K answer for exact match @return this builder */
        public Builder correctAnswer(String v) {
            this.correctAnswer = v;
            return this;
        }

        /** @param v TruthfulQA best answer @return this builder */
        public Builder bestAnswer(String v) {
            this.bestAnswer = v;
            return this;
        }

        /** @param v DoNotAnswer risk area @return this builder */
        public Builder riskArea(String v) {
            this.riskArea = v;
            return this;
        }

        /** @return the response */
        public Response build() {
            return new Response(
                    id, domain, prompt, response, model, elapsedSeconds, correctAnswer, bestAnswer, riskArea);
        }
    }
}
