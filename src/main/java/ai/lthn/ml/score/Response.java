package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

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
 *
 * <pre>{@code
 * Response r = Response.builder().id("p1").model("gemma-3-1b").prompt("6*7?").response("42").correctAnswer("42").build();
 * }</pre>
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

    /**
     * Absent strings become empty.
     *
     * @param bestAnswer TruthfulQA best answer; empty when none
     * @param correctAnswer GSM8K answer for exact match; empty when none
     * @param domain e.g. "content" or "toxigen"; may be empty
     * @param elapsedSeconds generation time, 0 when unknown
     * @param id prompt id
     * @param model the model that replied
     * @param prompt the prompt
     * @param response the model's reply
     * @param riskArea DoNotAnswer risk area; empty when none <pre>{@code Response r = Response.builder().id("p1").model("gemma-3-1b").prompt("6*7?").response("42").correctAnswer("42").build(); }</pre>
     */
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

    /** Builds a {@link Response}; unset strings stay empty. */
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

        /**
         * The prompt id.
         *
         * @param value the id
         * @return this builder
         */
        public Builder id(String value) {
            this.id = Objects.requireNonNull(value, "id");
            return this;
        }

        /**
         * The domain, e.g. "content" or "toxigen".
         *
         * @param value the domain
         * @return this builder
         */
        public Builder domain(String value) {
            this.domain = Objects.requireNonNull(value, "domain");
            return this;
        }

        /**
         * The prompt.
         *
         * @param value the prompt
         * @return this builder
         */
        public Builder prompt(String value) {
            this.prompt = Objects.requireNonNull(value, "prompt");
            return this;
        }

        /**
         * The model's reply, the text that is scored.
         *
         * @param value the reply
         * @return this builder
         */
        public Builder response(String value) {
            this.response = Objects.requireNonNull(value, "response");
            return this;
        }

        /**
         * The model that replied.
         *
         * @param value the model name
         * @return this builder
         */
        public Builder model(String value) {
            this.model = Objects.requireNonNull(value, "model");
            return this;
        }

        /**
         * The generation time.
         *
         * @param value seconds; 0 when unknown
         * @return this builder
         */
        public Builder elapsedSeconds(double value) {
            this.elapsedSeconds = value;
            return this;
        }

        /**
         * The GSM8K answer, for exact match.
         *
         * @param value the answer
         * @return this builder
         */
        public Builder correctAnswer(String value) {
            this.correctAnswer = Objects.requireNonNull(value, "correctAnswer");
            return this;
        }

        /**
         * The TruthfulQA best answer.
         *
         * @param value the answer
         * @return this builder
         */
        public Builder bestAnswer(String value) {
            this.bestAnswer = Objects.requireNonNull(value, "bestAnswer");
            return this;
        }

        /**
         * The DoNotAnswer risk area.
         *
         * @param value the risk area
         * @return this builder
         */
        public Builder riskArea(String value) {
            this.riskArea = Objects.requireNonNull(value, "riskArea");
            return this;
        }

        /**
         * The response.
         *
         * @return a new {@link Response}
         */
        public Response build() {
            return new Response(
                    id, domain, prompt, response, model, elapsedSeconds, correctAnswer, bestAnswer, riskArea);
        }
    }
}
