package ai.lthn.ml.inference;

import java.util.List;
import java.util.Objects;

/**
 * The folded generation options for one {@link TextModel} call. Zero means "engine default" for
 * every numeric field.
 *
 * @param temperature sampling temperature; 0 = engine default (greedy for most engines)
 * @param maxTokens token limit; 0 = engine default
 * @param topK top-k; 0 = disabled
 * @param topP top-p; 0 = disabled
 * @param stopTokens token ids that end generation
 * @param repeatPenalty repetition penalty; 0 = disabled
 * @param returnLogits whether {@code classify} should return logits
 * @param model the model to ask for, for models that route by name (an HTTP backend sends it as
 *     the request's {@code model}); empty = the model's own default. go-ml's {@code GenOpts.Model}
 */
public record GenerateConfig(
        float temperature,
        int maxTokens,
        int topK,
        float topP,
        List<Integer> stopTokens,
        float repeatPenalty,
        boolean returnLogits,
        String model) {

    private static final GenerateConfig DEFAULTS = new GenerateConfig(0, 0, 0, 0, List.of(), 0, false, "");

    /**
     * Validates and copies.
     *
     * @param maxTokens token limit; 0 = engine default
     * @param repeatPenalty repetition penalty; 0 = disabled
     * @param returnLogits whether {@code classify} should return logits
     * @param stopTokens token ids that end generation
     * @param temperature sampling temperature; 0 = engine default (greedy for most engines)
     * @param topK top-k; 0 = disabled
     * @param topP top-p; 0 = disabled
     * @param model the model to ask for; empty = the model's default
     */
    public GenerateConfig {
        stopTokens = List.copyOf(Objects.requireNonNull(stopTokens, "stopTokens"));
        Objects.requireNonNull(model, "model (empty for the default)");
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens < 0: " + maxTokens);
        if (topK < 0) throw new IllegalArgumentException("topK < 0: " + topK);
        if (Float.isNaN(temperature)) throw new IllegalArgumentException("temperature is NaN");
        if (Float.isNaN(topP) || topP < 0 || topP > 1)
            throw new IllegalArgumentException("topP outside [0, 1]: " + topP);
        if (Float.isNaN(repeatPenalty) || repeatPenalty < 0)
            throw new IllegalArgumentException("repeatPenalty < 0: " + repeatPenalty);
    }

    /**
     * A config without a model name (the model's default), as before {@code model} existed.
     *
     * @param temperature sampling temperature; 0 = engine default
     * @param maxTokens token limit; 0 = engine default
     * @param topK top-k; 0 = disabled
     * @param topP top-p; 0 = disabled
     * @param stopTokens token ids that end generation
     * @param repeatPenalty repetition penalty; 0 = disabled
     * @param returnLogits whether {@code classify} should return logits
     */
    public GenerateConfig(
            float temperature,
            int maxTokens,
            int topK,
            float topP,
            List<Integer> stopTokens,
            float repeatPenalty,
            boolean returnLogits) {
        this(temperature, maxTokens, topK, topP, stopTokens, repeatPenalty, returnLogits, "");
    }

    /**
     * Every field at its zero: the engine decides.
     *
     * @return every field at its zero: the engine decides
     */
    public static GenerateConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Folds options in order; a later option overrides an earlier one of the same kind.
     *
     * @param options the options, applied in order
     * @return the config
     */
    public static GenerateConfig of(List<? extends GenerateOption> options) {
        Builder b = builder();
        for (GenerateOption o : options) Objects.requireNonNull(o, "option").applyTo(b);
        return b.build();
    }

    /**
     * Folds options in order.
     *
     * @param options the options, applied in order
     * @return the config
     */
    public static GenerateConfig of(GenerateOption... options) {
        return of(List.of(options));
    }

    /**
     * A builder with every field at zero.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this config.
     *
     * @return a builder starting from these values
     */
    public Builder toBuilder() {
        return new Builder()
                .temperature(temperature)
                .maxTokens(maxTokens)
                .topK(topK)
                .topP(topP)
                .stopTokens(stopTokens)
                .repeatPenalty(repeatPenalty)
                .returnLogits(returnLogits)
                .model(model);
    }

    /** Builds a {@link GenerateConfig}. */
    public static final class Builder {
        private float temperature;
        private int maxTokens;
        private int topK;
        private float topP;
        private List<Integer> stopTokens = List.of();
        private float repeatPenalty;
        private boolean returnLogits;
        private String model = "";

        private Builder() {}

        /**
         * Sampling temperature.
         *
         * @param value sampling temperature
         * @return this builder
         */
        public Builder temperature(float value) {
            this.temperature = value;
            return this;
        }

        /**
         * Token limit.
         *
         * @param value token limit
         * @return this builder
         */
        public Builder maxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        /**
         * Top-k.
         *
         * @param value top-k
         * @return this builder
         */
        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        /**
         * Top-p.
         *
         * @param value top-p
         * @return this builder
         */
        public Builder topP(float value) {
            this.topP = value;
            return this;
        }

        /**
         * Stop token ids.
         *
         * @param value stop token ids
         * @return this builder
         */
        public Builder stopTokens(List<Integer> value) {
            this.stopTokens = List.copyOf(value);
            return this;
        }

        /**
         * Repetition penalty.
         *
         * @param value repetition penalty
         * @return this builder
         */
        public Builder repeatPenalty(float value) {
            this.repeatPenalty = value;
            return this;
        }

        /**
         * Whether to return logits.
         *
         * @param value whether to return logits
         * @return this builder
         */
        public Builder returnLogits(boolean value) {
            this.returnLogits = value;
            return this;
        }

        /**
         * The model to ask for (go-ml's {@code GenOpts.Model}); empty = the model's default.
         *
         * @param value the model name, or empty
         * @return this builder
         */
        public Builder model(String value) {
            this.model = Objects.requireNonNull(value, "model (empty for the default)");
            return this;
        }

        /**
         * The config.
         *
         *
         * @return the config
         * @throws IllegalArgumentException if a field is out of range
         */
        public GenerateConfig build() {
            return new GenerateConfig(
                    temperature, maxTokens, topK, topP, stopTokens, repeatPenalty, returnLogits, model);
        }
    }
}
