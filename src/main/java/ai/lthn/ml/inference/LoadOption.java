package ai.lthn.ml.inference;

/**
 * One option for {@link Inference#loadModel}: go-inference's load options.
 *
 * <pre>{@code
 * Inference.loadModel(path, LoadOption.engine("metal"), LoadOption.contextLength(8192));
 * }</pre>
 */
public sealed interface LoadOption {

    /**
     * Applies this option.
     *
     * @param config the generation config
     * @return the config with this option applied
     */
    LoadConfig applyTo(LoadConfig config);

    /**
     * Use only the engine with this name.
     *
     * @param name the name
     * @return the option
     */
    static LoadOption engine(String name) {
        return new Engine(name);
    }

    /**
     * The context length to allocate; 0 = the model's default.
     *
     * @param tokens the tokens
     * @return the context length to allocate; 0 = the model's default
     */
    static LoadOption contextLength(int tokens) {
        return new ContextLength(tokens);
    }

    /**
     * Memory limits for engines that manage device memory (go-ml's MLX defaults: a 16 GiB cache,
     * 24 GiB in all). Engines without such limits ignore them.
     *
     * @param cacheBytes the most the engine keeps cached, in bytes; 0 = the engine's default
     * @param memoryBytes the most the engine uses, in bytes; 0 = the engine's default
     * @return the option
     */
    static LoadOption memoryLimits(long cacheBytes, long memoryBytes) {
        return new MemoryLimits(cacheBytes, memoryBytes);
    }

    /**
     * Memory limits.
     *
     * @param cacheBytes cache limit in bytes; 0 = default
     * @param memoryBytes memory limit in bytes; 0 = default
     */
    record MemoryLimits(long cacheBytes, long memoryBytes) implements LoadOption {
        /**
         * Validates the limits.
         *
         * @param cacheBytes the most the engine keeps cached, in bytes; 0 = the engine's default
         * @param memoryBytes the most the engine uses, in bytes; 0 = the engine's default
         */
        public MemoryLimits {
            if (cacheBytes < 0 || memoryBytes < 0) throw new IllegalArgumentException("negative memory limit");
        }

        @Override
        public LoadConfig applyTo(LoadConfig c) {
            return new LoadConfig(c.engine(), c.contextLength(), cacheBytes, memoryBytes);
        }
    }

    /** Use only the named engine. */
    record Engine(String name) implements LoadOption {
        /**
         * Validates the name.
         *
         * @param name the name
         */
        public Engine {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("engine name is blank");
        }

        @Override
        public LoadConfig applyTo(LoadConfig c) {
            return new LoadConfig(name, c.contextLength(), c.cacheLimitBytes(), c.memoryLimitBytes());
        }
    }

    /** Context length. */
    record ContextLength(int tokens) implements LoadOption {
        /**
         * Validates the length.
         *
         * @param tokens the tokens
         */
        public ContextLength {
            if (tokens < 0) throw new IllegalArgumentException("context length < 0: " + tokens);
        }

        @Override
        public LoadConfig applyTo(LoadConfig c) {
            return new LoadConfig(c.engine(), tokens, c.cacheLimitBytes(), c.memoryLimitBytes());
        }
    }
}
