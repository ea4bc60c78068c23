/**
 * The string contracts of lthn-ml: {@link ai.lthn.ml.Backend} (whole replies), its options
 * {@link ai.lthn.ml.GenOpts}, the conversation turn {@link ai.lthn.ml.Message}, the exception
 * hierarchy rooted at {@link ai.lthn.ml.MlException}, and {@link ai.lthn.ml.Service}, a registry
 * of named backends.
 *
 * <p>This is the lowest layer: it depends on the JDK only. The iterator contract lives in
 * {@code ai.lthn.ml.inference}; implementations in {@code ai.lthn.ml.backend}.
 */
package ai.lthn.ml;
