/**
 * The iterator contract: {@link ai.lthn.ml.inference.TextModel} yields a pulled, closable
 * {@link ai.lthn.ml.inference.TokenStream} per call, each with its own error and metrics. The
 * Java counterpart of go-inference, with the engine registry
 * {@link ai.lthn.ml.inference.Inference} ({@link java.util.ServiceLoader} based).
 *
 * <p>Depends only on the JDK, slf4j and the core package {@code ai.lthn.ml} (for
 * {@code Message} and the exceptions).
 */
package ai.lthn.ml.inference;
