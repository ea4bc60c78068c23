package ai.lthn.ml.score.stats;

/**
 * A mean (or proportion) with its uncertainty.
 *
 * @param n observations
 * @param mean the mean, or the proportion for pass/fail items
 * @param standardError its standard error
 * @param interval the confidence interval
 * @param method how the interval was computed ("wilson", "bootstrap", "clustered")
 */
public record Estimate(long n, double mean, double standardError, Interval interval, String method) {}
