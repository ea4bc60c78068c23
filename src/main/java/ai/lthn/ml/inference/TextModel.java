package ai.lthn.ml.inference;

import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded language model that yields tokens as it produces them: the preferred API for new
 * code. Each call returns its own {@link TokenStream}, which must be closed.
 *
 * <p>Implementations are thread-safe: several threads may generate at once (engines that
 * serialise internally say so). Wrap one as a string {@link ai.lthn.ml.Backend} with
 * {@code ai.lthn.ml.backend.InferenceAdapter}.
 *
 * <pre>{@code
 * try (TextModel model = Inference.loadModel(Path.of("models/qwen3"));
 *      TokenStream tokens = model.generate("Hello", GenerateOption.maxTokens(64))) {
 *     tokens.forEachRemaining(t -> System.out.print(t.text()));
 * }
 * }</pre>
 */
public interface TextModel extends AutoCloseable {

    /**
     * Starts generating a reply to one prompt. Nothing blocks here longer than starting the work;
     * failures surface from the stream.
     *
     * @param prompt the prompt
     * @param config the generation config
     * @return the stream of this generation, to be closed by the caller
     */
    TokenStream generate(String prompt, GenerateConfig config);

    /**
     * {@link #generate(String, GenerateConfig)} with options folded by {@link GenerateConfig#of}.
     *
     * @param prompt the prompt
     * @param options the options, applied in order
     * @return the stream of this generation, to be closed by the caller
     */
    default TokenStream generate(String prompt, GenerateOption... options) {
        return generate(prompt, GenerateConfig.of(options));
    }

    /**
     * Starts generating the next assistant turn of a conversation.
     *
     * @param messages the conversation so far, oldest first
     * @param config the generation config
     * @return the stream of the reply, to be closed by the caller
     */
    TokenStream chat(List<Message> messages, GenerateConfig config);

    /**
     * {@link #chat(List, GenerateConfig)} with options folded by {@link GenerateConfig#of}.
     *
     * @param messages the conversation so far, oldest first
     * @param options the options, applied in order
     * @return the stream of the reply, to be closed by the caller
     */
    default TokenStream chat(List<Message> messages, GenerateOption... options) {
        return chat(messages, GenerateConfig.of(options));
    }

    /**
     * Predicts the next token for each prompt (a single forward pass each).
     *
     *
     * @param prompts the prompts
     * @param config the generation config
     * @return one result per prompt, in order
     * @throws UnsupportedOperationException if the model cannot classify (HTTP models cannot)
     * @throws ai.lthn.ml.MlException if the engine fails
     */
    List<ClassifyResult> classify(List<String> prompts, GenerateConfig config);

    /**
     * Generates for each prompt; one prompt's failure is recorded in its {@link BatchResult} and
     * does not stop the others.
     *
     * <p>The default runs the prompts one after another on the calling thread (go-ml's batch for
     * engines without a batched path), each result holding the tokens produced before any failure;
     * an engine that batches natively overrides it.
     *
     * @param prompts the prompts
     * @param config the generation config
     * @return one result per prompt, in order
     */
    default List<BatchResult> batchGenerate(List<String> prompts, GenerateConfig config) {
        List<BatchResult> results = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            List<Token> tokens = new ArrayList<>();
            try (TokenStream s = generate(prompt, config)) {
                s.forEachRemaining(tokens::add);
                results.add(BatchResult.success(tokens));
            } catch (MlException e) {
                results.add(BatchResult.failed(tokens, e));
            }
        }
        return results;
    }

    /**
     * The model's type, e.g. "qwen3", "llama", or the served model name.
     *
     * @return the model's type, e.g. its architecture
     */
    String modelType();

    /**
     * What the model is.
     *
     * @return what the model is
     */
    ModelInfo info();

    /**
     * The metrics of the most recently completed generation on this model, for go-ml
     * compatibility; prefer {@link TokenStream#metrics()}, which belongs to one call.
     *
     * @return the metrics of the most recently completed generation on this model, for go-ml compatibility; prefer {@link TokenStream#metrics()}, which belongs to one call
     */
    GenerateMetrics metrics();

    /** Releases the model. Streams still open are cancelled. Idempotent. */
    @Override
    void close();
}
