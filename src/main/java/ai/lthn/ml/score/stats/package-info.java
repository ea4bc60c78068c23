/**
 * Statistics for evaluations: means with confidence intervals (Wilson for pass rates, a seeded
 * bootstrap for scores, clustered standard errors for grouped prompts) and paired comparisons of
 * two runs over the same prompts (McNemar's exact test for pass/fail items, a paired bootstrap
 * interval and a sign-flip permutation test for scores). Everything is deterministic for a seed.
 */
package ai.lthn.ml.score.stats;
