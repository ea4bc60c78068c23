package ai.lthn.ml;

import java.util.List;

/**
 * A language model that answers with whole strings: the compatibility contract that scoring,
 * judging and most callers use. New code that wants tokens as they are produced should use
 * {@link ai.lthn.ml.inference.TextModel}; {@code ai.lthn.ml.backend.InferenceAdapter} turns any
 * {@code TextModel} into a {@code Backend}.
 *
 * <p>Calls block until the answer is complete. They are bounded by the backend's timeout and
 * respond to thread interruption with {@link GenerationCancelledException} (the interrupt flag
 * is restored). Implementations are thread-safe unless they say otherwise.
 *
 * <pre>{@code
 * String reply = backend.generate("Name three primes.", GenOpts.defaults());
 * }</pre>
 */
public interface Backend {

    /**
     * Generates a reply to one user prompt.
     *
     *
     * @param prompt the prompt
     * @param opts the generation options
     * @return the reply's text
     * @throws BackendUnavailableException if the backend is not there to answer
     * @throws HttpStatusException if an HTTP server refused the request
     * @throws MlTimeoutException if a time limit ran out ({@link MlException#partialText()} has
     *     any text produced)
     * @throws GenerationCancelledException if the calling thread was interrupted
     * @throws MlException for any other failure, with the partial text when some was produced
     */
    String generate(String prompt, GenOpts opts);

    /**
     * {@link #generate(String, GenOpts)} with {@link GenOpts#defaults()}.
     *
     * @param prompt the prompt
     * @return the reply's text
     */
    default String generate(String prompt) {
        return generate(prompt, GenOpts.defaults());
    }

    /**
     * Generates the next assistant turn of a conversation.
     *
     *
     * @param messages the conversation so far, oldest first
     * @param opts the generation options
     * @return the assistant's reply
     * @throws MlException as {@link #generate(String, GenOpts)}
     */
    String chat(List<Message> messages, GenOpts opts);

    /**
     * {@link #chat(List, GenOpts)} with {@link GenOpts#defaults()}.
     *
     * @param messages the conversation so far, oldest first
     * @return the assistant's reply
     */
    default String chat(List<Message> messages) {
        return chat(messages, GenOpts.defaults());
    }

    /**
     * A short identifier of the kind of backend: "http", "llama", "mlx", or the adapter's name.
     *
     * @return a short identifier of the kind of backend: "http", "llama", "mlx", or the adapter's name
     */
    String name();

    /**
     * Whether the backend is ready to answer. Cheap and never throws: it reports what the backend
     * knows without a network round trip.
     *
     * @return whether the backend is ready to answer
     */
    boolean isAvailable();
}
