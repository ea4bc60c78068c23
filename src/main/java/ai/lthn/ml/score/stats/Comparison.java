package ai.lthn.ml.score.stats;

/**
 * Two runs compared item by item over the same prompts.
 *
 * @param n matched items
 * @param meanA the first run's mean (old)
 * @param meanB the second run's mean (new)
 * @param difference {@code meanB - meanA}
 * @param interval confidence interval of the difference
 * @param pValue two-sided p-value of "no difference"
 * @param test the test ("mcnemar-exact" or "sign-flip permutation")
 * @param verdict "B higher", "B lower" or "within noise"
 */
public record Comparison(
        long n,
        double meanA,
        double meanB,
        double difference,
        Interval interval,
        double pValue,
        String test,
        String verdict) {}
