package ai.lthn.ml.inference;

import java.util.List;
import java.util.Objects;

/**
 * Folded {@link LoadOption}s.
 *
 * @param engine the engine to use; empty = try every available engine in turn
 * @param contextLength context length; 0 = the model's default
 * @param cacheLimitBytes the engine's cache limit; 0 = its default (go-ml's MLX: 16 GiB)
 * @param memoryLimitBytes the engine's memory limit; 0 = its default (go-ml's MLX: 24 GiB)
 */
public record LoadConfig(String engine, int contextLength, long cacheLimitBytes, long memoryLimitBytes) {
    /**
     * Validates.
     *
     * @param engine the engine to use; empty = try every available engine in turn
     * @param contextLength context length; 0 = the model's default
     * @param cacheLimitBytes the engine's cache limit; 0 = its default (go-ml's MLX: 16 GiB)
     * @param memoryLimitBytes the engine's memory limit; 0 = its default (go-ml's MLX: 24 GiB)
     */
    public LoadConfig {
        Objects.requireNonNull(engine, "engine");
        if (contextLength < 0) throw new IllegalArgumentException("context length < 0");
        if (cacheLimitBytes < 0 || memoryLimitBytes < 0) throw new IllegalArgumentException("negative memory limit");
    }

    /**
     * An engine and a context length, the engine's default memory limits.
     *
     * @param engine the engine; empty for any
     * @param contextLength the context length; 0 for the model's
     */
    public LoadConfig(String engine, int contextLength) {
        this(engine, contextLength, 0, 0);
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
