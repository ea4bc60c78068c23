package ai.lthn.ml.inference.internal;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one conversion between the string contract's {@link GenOpts} and the iterator contract's
 * {@link GenerateConfig}, both ways. Zero means "engine default" on both sides.
 */
public final class GenerationOptions {
    private GenerationOptions() {}

    /**
     * go-ml's {@code convertOpts}: temperature when non-zero, max tokens when non-zero, top-k,
     * top-p and repeat penalty when positive, in that order; the model override and JSON mode
     * have no counterpart and are dropped.
     *
     * @param opts the string contract's options
     * @return the options, in go-ml's order
     */
    public static List<GenerateOption> toOptions(GenOpts opts) {
        List<GenerateOption> out = new ArrayList<>(5);
        if (opts.temperature() != 0) out.add(GenerateOption.temperature((float) opts.temperature()));
        if (opts.maxTokens() != 0) out.add(GenerateOption.maxTokens(opts.maxTokens()));
        if (opts.topK() > 0) out.add(GenerateOption.topK(opts.topK()));
        if (opts.topP() > 0) out.add(GenerateOption.topP((float) opts.topP()));
        if (opts.repeatPenalty() > 0) out.add(GenerateOption.repeatPenalty((float) opts.repeatPenalty()));
        return out;
    }

    /**
     * {@link #toOptions} folded into a config.
     *
     * @param opts the string contract's options
     * @return the config a {@code TextModel} takes
     */
    public static GenerateConfig toConfig(GenOpts opts) {
        return GenerateConfig.of(toOptions(opts));
    }

    /**
     * A config as the options of a string backend call (go-ml's reverse mapping: temperature and
     * max tokens; the sampling fields too), with the config's model, or {@code model} when the
     * config names none, as the per-request model. Stop tokens and logits have no counterpart and
     * are dropped.
     *
     * @param config the iterator contract's config
     * @param model the model when the config names none; empty = the backend's
     * @return the options a {@code Backend} takes
     */
    public static GenOpts toGenOpts(GenerateConfig config, String model) {
        return GenOpts.builder()
                .temperature(config.temperature())
                .maxTokens(config.maxTokens())
                .model(config.model().isEmpty() ? model : config.model())
                .topK(config.topK())
                .topP(config.topP())
                .repeatPenalty(config.repeatPenalty())
                .build();
    }
}
