/**
 * Backend implementations and the bridges between the two contracts:
 * {@link ai.lthn.ml.backend.InferenceAdapter} turns a {@code TextModel} into a {@code Backend}.
 */
package ai.lthn.ml.backend;
