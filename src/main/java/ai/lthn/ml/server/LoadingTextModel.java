package ai.lthn.ml.server;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.Message;
import ai.lthn.ml.inference.ClassifyResult;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.ModelInfo;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A model that loads on its own thread while the server already answers: until it is loaded,
 * {@code /healthz} answers 503 with {@code "status":"loading"} (then {@code "failed"} if loading
 * failed) and every model route 503 {@code model_loading}, so an orchestrator's readiness probe
 * and a client's retry see the truth instead of a refused connection. Serve it with {@link
 * OpenAiServer#builder(TextModel)}.
 *
 * <p>Thread-safe. {@link #close()} closes the model now if it is loaded, or as soon as the load
 * finishes.
 */
public final class LoadingTextModel implements TextModel {
    private final CompletableFuture<TextModel> loaded = new CompletableFuture<>();
    private final String what;
    private volatile boolean closed;

    private LoadingTextModel(String what) {
        this.what = what;
    }

    /**
     * Starts loading on a new daemon thread.
     *
     * @param what what is loaded, for messages (a path or a name)
     * @param loader loads the model; its exception is the load failure
     * @return the model, loading
     */
    public static LoadingTextModel start(String what, Callable<? extends TextModel> loader) {
        Objects.requireNonNull(loader, "loader");
        LoadingTextModel m = new LoadingTextModel(Objects.requireNonNull(what, "what"));
        Thread t = new Thread(
                () -> {
                    try {
                        TextModel model = Objects.requireNonNull(loader.call(), "the loader returned null");
                        m.loaded.complete(model);
                        if (m.closed) model.close(); // closed while it loaded
                    } catch (Throwable e) {
                        m.loaded.completeExceptionally(e);
                    }
                },
                "lthn-ml-model-load");
        t.setDaemon(true);
        t.start();
        return m;
    }

    /**
     * Whether the model has loaded.
     *
     * @return {@code true} once the model can generate
     */
    public boolean isReady() {
        return loaded.isDone() && !loaded.isCompletedExceptionally();
    }

    /**
     * Why loading failed.
     *
     * @return the load failure, empty while loading or once loaded
     */
    public Optional<Throwable> failure() {
        if (!loaded.isCompletedExceptionally()) return Optional.empty();
        try {
            loaded.join();
            return Optional.empty();
        } catch (java.util.concurrent.CompletionException e) {
            return Optional.of(e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * Waits for the load.
     *
     * @param timeout the longest wait
     * @return the loaded model
     * @throws ExecutionException when loading failed (its cause is the loader's exception)
     * @throws TimeoutException when it is still loading after {@code timeout}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public TextModel await(Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
        return loaded.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private TextModel model() {
        if (isReady()) return loaded.join();
        Optional<Throwable> failed = failure();
        if (failed.isPresent())
            throw new BackendUnavailableException(
                    what + " failed to load: " + failed.get().getMessage(), failed.get());
        throw new BackendUnavailableException(what + " is still loading");
    }

    @Override
    public TokenStream generate(String prompt, GenerateConfig config) {
        return model().generate(prompt, config);
    }

    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        return model().chat(messages, config);
    }

    @Override
    public List<ClassifyResult> classify(List<String> prompts, GenerateConfig config) {
        return model().classify(prompts, config);
    }

    @Override
    public String modelType() {
        return isReady() ? loaded.join().modelType() : "loading";
    }

    @Override
    public ModelInfo info() {
        return model().info();
    }

    @Override
    public GenerateMetrics metrics() {
        return model().metrics();
    }

    @Override
    public void close() {
        closed = true;
        if (isReady()) loaded.join().close();
    }
}
