package ai.lthn.ml.inference;

import java.util.List;

/**
 * One generation option, the Java form of go-inference's functional options. Fold a list of
 * them into a {@link GenerateConfig} with {@link GenerateConfig#of(List)}; later options override
 * earlier ones. A zero value means "engine default", as in go-ml.
 *
 * <pre>{@code
 * model.generate("Hello", GenerateOption.temperature(0.7f), GenerateOption.maxTokens(256));
 * }</pre>
 */
public sealed interface GenerateOption {

    /**
     * Applies this option to a config builder.
     *
     * @param builder the builder
     */
    void applyTo(GenerateConfig.Builder builder);

    /**
     * Sampling temperature.
     *
     * @param value the sampling temperature
     * @return the option
     */
    static GenerateOption temperature(float value) {
        return new Temperature(value);
    }

    /**
     * Token limit; 0 = engine default.
     *
     * @param value the token limit; 0 = engine default
     * @return the option
     */
    static GenerateOption maxTokens(int value) {
        return new MaxTokens(value);
    }

    /**
     * Top-k; 0 = disabled.
     *
     * @param value top-k; 0 = disabled
     * @return the option
     */
    static GenerateOption topK(int value) {
        return new TopK(value);
    }

    /**
     * Top-p; 0 = disabled.
     *
     * @param value top-p, in [0, 1]; 0 = disabled
     * @return the option
     */
    static GenerateOption topP(float value) {
        return new TopP(value);
    }

    /**
     * Token ids that end generation.
     *
     * @param ids the token ids
     * @return the option
     */
    static GenerateOption stopTokens(int... ids) {
        List<Integer> list = new java.util.ArrayList<>(ids.length);
        for (int id : ids) list.add(id);
        return new StopTokens(list);
    }

    /**
     * Repetition penalty; 0 = disabled.
     *
     * @param value the repetition penalty; 0 = disabled
     * @return the option
     */
    static GenerateOption repeatPenalty(float value) {
        return new RepeatPenalty(value);
    }

    /**
     * Ask the engine to return logits (for {@code classify}).
     *
     * @param value whether {@code classify} returns logits
     * @return the option
     */
    static GenerateOption returnLogits(boolean value) {
        return new ReturnLogits(value);
    }

    /**
     * The model to ask for, for models that route by name (go-ml's {@code WithModel}-less
     * {@code GenOpts.Model}); empty = the model's default.
     *
     * @param name the model name, or empty
     * @return the option
     */
    static GenerateOption model(String name) {
        return new Model(name);
    }

    /**
     * The model option.
     *
     * @param name the model name, or empty
     */
    record Model(String name) implements GenerateOption {
        /**
         * Checks the name.
         *
         * @param name the model name, or empty
         */
        public Model {
            java.util.Objects.requireNonNull(name, "model (empty for the default)");
        }

        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.model(name);
        }
    }

    /** Sampling temperature. */
    record Temperature(float value) implements GenerateOption {
        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.temperature(value);
        }
    }

    /** Token limit. */
    record MaxTokens(int value) implements GenerateOption {
        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.maxTokens(value);
        }
    }

    /** Top-k. */
    record TopK(int value) implements GenerateOption {
        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.topK(value);
        }
    }

    /** Top-p. */
    record TopP(float value) implements GenerateOption {
        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.topP(value);
        }
    }

    /** Stop token ids. */
    record StopTokens(List<Integer> ids) implements GenerateOption {
        /**
         * Copies the ids.
         *
         * @param ids the token ids
         */
        public StopTokens {
            ids = List.copyOf(ids);
        }

        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.stopTokens(ids);
        }
    }

    /** Repetition penalty. */
    record RepeatPenalty(float value) implements GenerateOption {
        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.repeatPenalty(value);
        }
    }

    /** Return logits. */
    record ReturnLogits(boolean value) implements GenerateOption {
        @Override
        public void applyTo(GenerateConfig.Builder b) {
            b.returnLogits(value);
        }
    }
}
