package ai.lthn.ml.score;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link Engine#scoreAll}: scores grouped by model in input order (go-ml's
 * {@code per_prompt}), every suite that gave no scores, and a summary.
 */
public record EngineResult(Map<String, List<PromptScore>> perPrompt, List<ScoreFailure> failures, RunSummary summary) {

    /**
     * Copies.
     *
     * @param failures the failures
     * @param perPrompt the per prompt
     * @param summary the summary
     */
    public EngineResult {
        perPrompt = Map.copyOf(perPrompt);
        failures = List.copyOf(failures);
        Objects.requireNonNull(summary, "summary");
    }

    /**
     * The score file for this run, with go-ml's averages.
     *
     * @param metadata the run metadata
     * @return the score file for this run, with go-ml's averages
     */
    public ScorerOutput toOutput(ScorerOutput.Metadata metadata) {
        return ScorerOutput.of(metadata, perPrompt);
    }
}
