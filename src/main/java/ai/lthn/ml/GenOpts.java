package ai.lthn.ml;

import java.util.List;
import java.util.Objects;

/**
 * Options for one {@link Backend} call. Zero means "the backend's default" for every numeric
 * field, as in go-ml: {@code maxTokens == 0} lets the server choose, {@code topK == 0} disables
 * top-k. {@link #temperature()} is the exception: HTTP backends send it even when it is zero.
 *
 * <p>Immutable; derive variants with {@link #toBuilder()} or the {@code withX} methods.
 *
 * <pre>{@code
 * GenOpts opts = GenOpts.builder().temperature(0.7).maxTokens(512).build();
 * String reply = backend.generate("Hello", opts);
 * }</pre>
 *
 * @param temperature sampling temperature (go-ml passes any non-zero value on, negative too)
 * @param maxTokens the most tokens to generate; 0 = backend default
 * @param model per-request model override for HTTP backends; empty = the backend's model;
 *     ignored by local engines
 * @param topK top-k sampling; 0 = disabled
 * @param topP nucleus sampling; 0 = disabled
 * @param repeatPenalty repetition penalty; 0 = disabled, 1.0 = no penalty
 * @param jsonMode ask the backend for a JSON object reply ({@code response_format} json_object on
 *     OpenAI-compatible servers); backends without such a mode ignore it
 * @param stop stop strings: generation ends before the first of them (OpenAI's {@code stop}; a
 *     local model behind {@code InferenceAdapter} has them applied to its text); empty for none
 * @param seed the sampling seed for servers that take one (OpenAI's {@code seed}); null for none
 */
public record GenOpts(
        double temperature,
        int maxTokens,
        String model,
        int topK,
        double topP,
        double repeatPenalty,
        boolean jsonMode,
        List<String> stop,
        Long seed) {

    private static final GenOpts DEFAULTS = new GenOpts(0.1, 0, "", 0, 0, 0, false);

    /**
     * Validates the fields.
     *
     * @param jsonMode ask the backend for a JSON object reply ({@code response_format} json_object on OpenAI-compatible servers); backends without such a mode ignore it
     * @param maxTokens the most tokens to generate; 0 = backend default
     * @param model per-request model override for HTTP backends; empty = the backend's model; ignored by local engines
     * @param repeatPenalty repetition penalty; 0 = disabled, 1.0 = no penalty
     * @param temperature sampling temperature (go-ml passes any non-zero value on, negative too)
     * @param topK top-k sampling; 0 = disabled
     * @param topP nucleus sampling; 0 = disabled
     * @param stop stop strings, none empty; null or empty for none
     * @param seed the sampling seed; null for none
     */
    public GenOpts {
        Objects.requireNonNull(model, "model");
        stop = List.copyOf(stop == null ? List.of() : stop);
        for (String s : stop) if (s.isEmpty()) throw new IllegalArgumentException("an empty stop string");
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens < 0: " + maxTokens);
        if (topK < 0) throw new IllegalArgumentException("topK < 0: " + topK);
        if (Double.isNaN(temperature)) throw new IllegalArgumentException("temperature is NaN");
        if (Double.isNaN(topP) || topP < 0 || topP > 1)
            throw new IllegalArgumentException("topP outside [0, 1]: " + topP);
        if (Double.isNaN(repeatPenalty) || repeatPenalty < 0)
            throw new IllegalArgumentException("repeatPenalty < 0: " + repeatPenalty);
    }

    /**
     * Options without JSON mode (go-ml's six fields).
     *
     * @param temperature the temperature
     * @param maxTokens the max tokens
     * @param model the model
     * @param topK the top k
     * @param topP the top p
     * @param repeatPenalty the repeat penalty
     */
    public GenOpts(double temperature, int maxTokens, String model, int topK, double topP, double repeatPenalty) {
        this(temperature, maxTokens, model, topK, topP, repeatPenalty, false);
    }

    /**
     * Options without stop strings or a seed.
     *
     * @param temperature the temperature
     * @param maxTokens the max tokens
     * @param model the model
     * @param topK the top k
     * @param topP the top p
     * @param repeatPenalty the repeat penalty
     * @param jsonMode JSON mode
     */
    public GenOpts(
            double temperature,
            int maxTokens,
            String model,
            int topK,
            double topP,
            double repeatPenalty,
            boolean jsonMode) {
        this(temperature, maxTokens, model, topK, topP, repeatPenalty, jsonMode, List.of(), null);
    }

    /**
     * go-ml's {@code DefaultGenOpts()}: temperature 0.1, everything else the backend's default.
     *
     * @return go-ml's {@code DefaultGenOpts()}: temperature 0.1, everything else the backend's default
     */
    public static GenOpts defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from all zeros (temperature 0, not 0.1).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a builder starting from these values
     */
    public Builder toBuilder() {
        return new Builder()
                .temperature(temperature)
                .maxTokens(maxTokens)
                .model(model)
                .topK(topK)
                .topP(topP)
                .repeatPenalty(repeatPenalty)
                .jsonMode(jsonMode)
                .stop(stop)
                .seed(seed);
    }

    /**
     * These options with another temperature.
     *
     * @param value the temperature
     * @return these options with another temperature
     */
    public GenOpts withTemperature(double value) {
        return toBuilder().temperature(value).build();
    }

    /**
     * These options with another token limit.
     *
     * @param value the token limit; 0 = backend default
     * @return these options with another token limit
     */
    public GenOpts withMaxTokens(int value) {
        return toBuilder().maxTokens(value).build();
    }

    /**
     * These options with another model.
     *
     * @param value the model; empty = the backend's
     * @return these options with another model
     */
    public GenOpts withModel(String value) {
        return toBuilder().model(value).build();
    }

    /**
     * These options with JSON mode on or off.
     *
     * @param value whether to ask for a JSON object reply
     * @return these options with JSON mode on or off
     */
    public GenOpts withJsonMode(boolean value) {
        return toBuilder().jsonMode(value).build();
    }

    /** Builds {@link GenOpts}; every field starts at zero (or empty). */
    public static final class Builder {
        private List<String> stop = List.of();
        private Long seed;

        private double temperature;
        private int maxTokens;
        private String model = "";
        private int topK;
        private double topP;
        private double repeatPenalty;
        private boolean jsonMode;

        private Builder() {}

        /**
         * Sampling temperature.
         *
         * @param value sampling temperature
         * @return this builder
         */
        public Builder temperature(double value) {
            this.temperature = value;
            return this;
        }

        /**
         * Token limit; 0 = backend default.
         *
         * @param value token limit; 0 = backend default
         * @return this builder
         */
        public Builder maxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        /**
         * Model override; empty = the backend's model.
         *
         * @param value model override; empty = the backend's model
         * @return this builder
         */
        public Builder model(String value) {
            this.model = Objects.requireNonNull(value, "model");
            return this;
        }

        /**
         * Top-k; 0 = disabled.
         *
         * @param value top-k; 0 = disabled
         * @return this builder
         */
        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        /**
         * Top-p; 0 = disabled.
         *
         * @param value top-p; 0 = disabled
         * @return this builder
         */
        public Builder topP(double value) {
            this.topP = value;
            return this;
        }

        /**
         * Repetition penalty; 0 = disabled.
         *
         * @param value repetition penalty; 0 = disabled
         * @return this builder
         */
        public Builder repeatPenalty(double value) {
            this.repeatPenalty = value;
            return this;
        }

        /**
         * Ask for a JSON object reply where the backend supports it.
         *
         * @param value ask for a JSON object reply where the backend supports it
         * @return this builder
         */
        public Builder jsonMode(boolean value) {
            this.jsonMode = value;
            return this;
        }

        /**
         * The options.
         *
         *
         * @return the options
         * @throws IllegalArgumentException if a field is out of range
         */
        public GenOpts build() {
            return new GenOpts(temperature, maxTokens, model, topK, topP, repeatPenalty, jsonMode, stop, seed);
        }

        /**
         * Stop strings: generation ends before the first of them.
         *
         * @param values the strings, none empty
         * @return this builder
         */
        public Builder stop(List<String> values) {
            this.stop = List.copyOf(values);
            return this;
        }

        /**
         * Stop strings: generation ends before the first of them.
         *
         * @param values the strings, none empty
         * @return this builder
         */
        public Builder stop(String... values) {
            return stop(List.of(values));
        }

        /**
         * The sampling seed, for servers that take one.
         *
         * @param value the seed; null for none
         * @return this builder
         */
        public Builder seed(Long value) {
            this.seed = value;
            return this;
        }
    }
}
