package ai.lthn.ml.inference;

import java.util.List;
import java.util.Objects;

/**
 * Folded {@link LoadOption}s.
 *
 * @param engine the engine to use; empty = try every available engine in turn
 * @param contextLength context length; 0 = the model's default
 */
public record LoadConfig(String engine, int contextLength) {
    /**
     * Validates.
     *
     * @param contextLength context length; 0 = the model's default
     * @param engine the engine to use; empty = try every available engine in turn
     */
    public LoadConfig {
        Objects.requireNonNull(engine, "engine");
        if (contextLength < 0) throw new IllegalArgumentException("context length < 0");
    }

    /**
     * No engine preference, default context.
     *
     * @return the default load config
     */
    public static LoadConfig defaults() {
        return new LoadConfig("", 0);
    }

    /**
     * Folds options in order.
     *
     * @param options the options, applied in order
     * @return the config
     */
    public static LoadConfig of(List<LoadOption> options) {
        LoadConfig c = defaults();
        for (LoadOption o : options) c = Objects.requireNonNull(o, "option").applyTo(c);
        return c;
    }
}
