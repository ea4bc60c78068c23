/**
 * go-ml's deterministic scorers with go-ml's exact results: the heuristic (LEK) scorer, GSM8K
 * exact match, the 23 capability probes, think-block stripping and the judge's JSON extraction.
 * All entry points are static, stateless and thread-safe.
 */
package ai.lthn.ml.score;
