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
 */
public record GenerateConfig(
        float temperature,
        int maxTokens,
        int topK,
        float topP,
        List<Integer> stopTokens,
        float repeatPenalty,
        boolean returnLogits) {

    private static final GenerateConfig DEFAULTS = new GenerateConfig(0, 0, 0, 0, List.of(), 0, false);

    /** Validates and copies. */
    public GenerateConfig {
        stopTokens = List.copyOf(Objects.requireNonNull(stopTokens, "stopTokens"));
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens < 0: " + maxTokens);
        if (topK < 0) throw new IllegalArgumentException("topK < 0: " + topK);
        if (Float.isNaN(temperature)) throw new IllegalArgumentException("temperature is NaN");
        if (Float.isNaN(topP) || topP < 0 || topP > 1)
            throw new IllegalArgumentException("topP outside [0, 1]: " + topP);
        if (Float.isNaN(repeatPenalty) || repeatPenalty < 0)
            throw new IllegalArgumentException("repeatPenalty < 0: " + repeatPenalty);
    }

    /** Every field at its zero: the engine decides. */
    public static GenerateConfig defaults() {
        return DEFAULTS;
    }

    /** Folds options in order; a later option overrides an earlier one of the same kind. */
    public static GenerateConfig of(List<? extends GenerateOption> options) {
        Builder b = builder();
        for (GenerateOption o : options) Objects.requireNonNull(o, "option").applyTo(b);
        return b.build();
    }

    /** Folds options in order. */
    public static GenerateConfig of(GenerateOption... options) {
        return of(List.of(options));
    }

    /** A builder with every field at zero. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder()
                .temperature(temperature)
                .maxTokens(maxTokens)
                .topK(topK)
                .topP(topP)
                .stopTokens(stopTokens)
                .repeatPenalty(repeatPenalty)
                .returnLogits(returnLogits);
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

        private Builder() {}

        /** Sampling temperature. */
        public Builder temperature(float value) {
            this.temperature = value;
            return this;
        }

        /** Token limit. */
        public Builder maxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        /** Top-k. */
        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        /** Top-p. */
        public Builder topP(float value) {
            this.topP = value;
            return this;
        }

        /** Stop token ids. */
        public Builder stopTokens(List<Integer> value) {
            this.stopTokens = List.copyOf(value);
            return this;
        }

        /** Repetition penalty. */
        public Builder repeatPenalty(float value) {
            this.repeatPenalty = value;
            return this;
        }

        /** Whether to return logits. */
        public Builder returnLogits(boolean value) {
            this.returnLogits = value;
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException if a field is out of range
         */
        public GenerateConfig build() {
            return new GenerateConfig(temperature, maxTokens, topK, topP, stopTokens, repeatPenalty, returnLogits);
        }
    }
}
