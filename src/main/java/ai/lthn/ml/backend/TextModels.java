package ai.lthn.ml.backend;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.MlException;
import ai.lthn.ml.inference.BatchResult;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import java.util.ArrayList;
import java.util.List;

/** What the HTTP-backed TextModels share. */
final class TextModels {
    static final String NO_CLASSIFY = "classify not supported by HTTP backend";

    private TextModels() {}

    /**
     * A TextModel config as the options of a string backend call (go-ml's mapping: temperature
     * and max tokens; the sampling fields too), with {@code model} as the per-request model.
     */
    static GenOpts toGenOpts(GenerateConfig c, String model) {
        return GenOpts.builder()
                .temperature(c.temperature())
                .maxTokens(c.maxTokens())
                .model(model)
                .topK(c.topK())
                .topP(c.topP())
                .repeatPenalty(c.repeatPenalty())
                .build();
    }

    /** go-ml's batch: one prompt after another, each failure kept in its own result. */
    static List<BatchResult> batchSequentially(TextModel model, List<String> prompts, GenerateConfig config) {
        List<BatchResult> results = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            List<Token> tokens = new ArrayList<>();
            try (TokenStream s = model.generate(prompt, config)) {
                s.forEachRemaining(tokens::add);
                results.add(BatchResult.success(tokens));
            } catch (MlException e) {
                results.add(BatchResult.failed(tokens, e));
            }
        }
        return results;
    }
}
