package ai.lthn.ml;

import java.util.List;

/**
 * A {@link Backend} that can also push tokens to a callback as they are generated.
 *
 * @deprecated Push callbacks cannot be cancelled from outside, compose badly and hide
 *     back-pressure. Use {@link ai.lthn.ml.inference.TextModel}, whose
 *     {@link ai.lthn.ml.inference.TokenStream} is pulled, closable and carries its own error and
 *     metrics. Kept for go-ml compatibility; {@code InferenceAdapter} implements it.
 */
@Deprecated(since = "0.1.0")
public interface StreamingBackend extends Backend {

    /**
     * Generates a reply to one prompt, calling {@code callback} with each token. An exception
     * thrown by the callback stops generation and is rethrown unchanged.
     *
     *
     * @param prompt the prompt
     * @param opts the generation options
     * @param callback receives each token as it arrives
     * @throws MlException as {@link Backend#generate(String, GenOpts)}
     */
    void generateStream(String prompt, GenOpts opts, TokenCallback callback);

    /**
     * Chat with streaming; see {@link #generateStream}.
     *
     *
     * @param messages the conversation so far, oldest first
     * @param opts the generation options
     * @param callback receives each token as it arrives
     * @throws MlException as {@link Backend#generate(String, GenOpts)}
     */
    void chatStream(List<Message> messages, GenOpts opts, TokenCallback callback);
}
