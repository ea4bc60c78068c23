package ai.lthn.ml.backend;

import ai.lthn.ml.Backend;
import ai.lthn.ml.Message;
import ai.lthn.ml.inference.AbstractTokenStream;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.ModelInfo;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.inference.internal.GenerationOptions;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Any string {@link Backend} seen as a {@link TextModel}: each stream calls the backend on its
 * first read and yields the whole reply as one token (for a backend that streams, prefer its own
 * TextModel, such as {@link HttpBackend#textModel()}).
 */
public final class BackendTextModel extends StringBackedTextModel {
    private final Backend backend;
    private final String modelType;

    /**
     * A model over {@code backend}, whose {@link #modelType()} is the backend's name.
     *
     * @param backend the backend to call
     */
    public BackendTextModel(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.modelType = backend.name();
    }

    @Override
    public TokenStream generate(String prompt, GenerateConfig config) {
        return new OneShot(() -> backend.generate(prompt, GenerationOptions.toGenOpts(config, "")));
    }

    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        List<Message> copy = List.copyOf(messages);
        return new OneShot(() -> backend.chat(copy, GenerationOptions.toGenOpts(config, "")));
    }

    @Override
    String classifyUnsupported() {
        return "classify not supported by " + modelType + " backend";
    }

    @Override
    public String modelType() {
        return modelType;
    }

    @Override
    public ModelInfo info() {
        return ModelInfo.of(modelType);
    }

    @Override
    public GenerateMetrics metrics() {
        return GenerateMetrics.ZERO;
    }

    /** Nothing to release: the backend is owned by the caller. */
    @Override
    public void close() {}

    private static final class OneShot extends AbstractTokenStream {
        private final Supplier<String> call;
        private boolean done;

        OneShot(Supplier<String> call) {
            this.call = call;
        }

        @Override
        protected Token produce() {
            if (done) return null;
            done = true;
            String text = call.get();
            return text.isEmpty() ? null : Token.of(text);
        }
    }
}
