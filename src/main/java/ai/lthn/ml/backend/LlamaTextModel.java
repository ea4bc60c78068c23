package ai.lthn.ml.backend;

import ai.lthn.ml.Message;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.inference.internal.GenerationOptions;
import java.util.List;
import java.util.Objects;

/**
 * A managed {@link LlamaBackend} seen as a {@link TextModel}: tokens stream from the server;
 * {@link #modelType()} is "llama"; {@link #close()} stops the server (go-ml's reverse bridge).
 * Generation fails with {@link ai.lthn.ml.BackendUnavailableException} when the server is not
 * running.
 */
public final class LlamaTextModel extends StringBackedTextModel {
    private final LlamaBackend llama;

    /**
     * A model over {@code llama}.
     *
     * @param llama the managed server
     */
    public LlamaTextModel(LlamaBackend llama) {
        this.llama = Objects.requireNonNull(llama, "llama");
    }

    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        return llama.streamChat(List.copyOf(messages), GenerationOptions.toGenOpts(config, ""));
    }

    /**
     * The running server's OpenAI-compatible client: {@code OpenAiServer} passes the fields a
     * {@link TextModel} cannot carry ({@code n}, tools, log-probabilities, …) through it, as it
     * does for an {@link HttpTextModel}, since llama-server answers them itself.
     *
     * @return the client of the running server
     * @throws ai.lthn.ml.BackendUnavailableException when the server is not running
     */
    public HttpBackend backend() {
        return llama.server();
    }

    @Override
    public String modelType() {
        return "llama";
    }

    /** The metrics of the last stream from the server that ended normally. */
    @Override
    public GenerateMetrics metrics() {
        return llama.lastMetrics();
    }

    /** Stops the server; a no-op when it is not running. */
    @Override
    public void close() {
        llama.stop();
    }
}
