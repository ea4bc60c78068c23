package ai.lthn.ml.inference;

/**
 * One option for {@link Inference#loadModel}: go-inference's load options.
 *
 * <pre>{@code
 * Inference.loadModel(path, LoadOption.engine("metal"), LoadOption.contextLength(8192));
 * }</pre>
 */
public sealed interface LoadOption {

    /** Applies this option. */
    LoadConfig applyTo(LoadConfig config);

    /** Use only the engine with this name. */
    static LoadOption engine(String name) {
        return new Engine(name);
    }

    /** The context length to allocate; 0 = the model's default. */
    static LoadOption contextLength(int tokens) {
        return new ContextLength(tokens);
    }

    /** Use only the named engine. */
    record Engine(String name) implements LoadOption {
        /** Validates the name. */
        public Engine {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("engine name is blank");
        }

        @Override
        public LoadConfig applyTo(LoadConfig c) {
            return new LoadConfig(name, c.contextLength());
        }
    }

    /** Context length. */
    record ContextLength(int tokens) implements LoadOption {
        /** Validates the length. */
        public ContextLength {
            if (tokens < 0) throw new IllegalArgumentException("context length < 0: " + tokens);
        }

        @Override
        public LoadConfig applyTo(LoadConfig c) {
            return new LoadConfig(c.engine(), tokens);
        }
    }
}
