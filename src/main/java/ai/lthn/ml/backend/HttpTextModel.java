package ai.lthn.ml.backend;

import ai.lthn.ml.Message;
import ai.lthn.ml.inference.EmbeddingModel;
import ai.lthn.ml.inference.Embeddings;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.ModelCatalog;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.inference.internal.GenerationOptions;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link HttpBackend} seen as a {@link TextModel}: go-ml's reverse bridge, except that tokens
 * stream as the server sends them (go-ml yields the whole reply as one token) and a failure is
 * thrown from the stream with its partial text instead of being kept in a shared error field.
 *
 * <p>{@code classify} is not supported; {@code batchGenerate} runs the prompts one after another
 * and records each failure in its result; {@link #modelType()} is the backend's model, or "http"
 * when it has none. {@link #close()} cancels the streams still open. It serves embeddings and lists
 * the server's models when the server does ({@link EmbeddingModel}, {@link ModelCatalog}).
 * Thread-safe. Obtained from
 * {@link HttpBackend#textModel()}.
 */
public final class HttpTextModel extends StringBackedTextModel implements EmbeddingModel, ModelCatalog {
    private final HttpBackend backend;
    private final Set<TokenStream> open = ConcurrentHashMap.newKeySet();

    /** A model over {@code backend}; obtained through {@link HttpBackend#textModel()}. */
    HttpTextModel(HttpBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        TokenStream s = backend.streamChat(List.copyOf(messages), GenerationOptions.toGenOpts(config, backend.model()));
        open.add(s);
        return new Tracked(s);
    }

    @Override
    public String modelType() {
        return backend.model().isEmpty() ? "http" : backend.model();
    }

    /** {@code POST /v1/embeddings} on the backend's server ({@link HttpBackend#embeddings}). */
    @Override
    public Embeddings embed(String model, List<String> inputs) {
        return backend.embeddings(model, inputs);
    }

    /** {@code GET /v1/models} on the backend's server ({@link HttpBackend#models}). */
    @Override
    public List<String> models() {
        return backend.models();
    }

    /** The metrics of the last stream that ended normally (go-ml always reports zero). */
    @Override
    public GenerateMetrics metrics() {
        return backend.lastMetrics();
    }

    /**
     * The backend underneath.
     *
     * @return the backend underneath
     */
    public HttpBackend backend() {
        return backend;
    }

    /** Cancels the streams still open. The backend itself holds nothing to release. */
    @Override
    public void close() {
        for (TokenStream s : open) s.close();
        open.clear();
    }

    /** Forgets the stream once it is closed or has ended. */
    private final class Tracked implements TokenStream {
        private final TokenStream inner;

        Tracked(TokenStream inner) {
            this.inner = inner;
        }

        @Override
        public boolean hasNext() {
            boolean more;
            try {
                more = inner.hasNext();
            } catch (RuntimeException e) {
                open.remove(inner);
                throw e;
            }
            if (!more) open.remove(inner);
            return more;
        }

        @Override
        public Token next() {
            return inner.next();
        }

        @Override
        public void close() {
            open.remove(inner);
            inner.close();
        }

        @Override
        public FinishReason finishReason() {
            return inner.finishReason();
        }

        @Override
        public GenerateMetrics metrics() {
            return inner.metrics();
        }
    }
}
