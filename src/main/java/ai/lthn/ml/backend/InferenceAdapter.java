package ai.lthn.ml.backend;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.Scheduler;
import ai.lthn.ml.TokenCallback;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.inference.internal.GenerationOptions;
import ai.lthn.ml.inference.internal.StopStrings;
import ai.lthn.ml.internal.Checks;
import ai.lthn.ml.internal.Deadlines;
import ai.lthn.ml.internal.Failures;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Exposes a {@link TextModel} as a string {@link ai.lthn.ml.Backend} (and the deprecated
 * {@link ai.lthn.ml.StreamingBackend}): the one bridge from the iterator contract to the string
 * one, as go-ml's {@code InferenceAdapter}.
 *
 * <ul>
 *   <li>{@code generate}/{@code chat} drain the model's stream and return the text. On failure
 *       the exception carries the text produced before it ({@link MlException#partialText()}),
 *       as go-ml returns the partial text with the error.
 *   <li>The streaming methods call the callback per token; an exception from the callback stops
 *       generation at once and is rethrown unchanged.
 *   <li>Each call is bounded by the adapter's timeout ({@link MlTimeoutException}) and stops on
 *       thread interruption ({@link GenerationCancelledException}, flag restored); both close
 *       the model's stream, which cancels the generation.
 * </ul>
 *
 * <p>Thread-safe when the model is: every call has its own stream, so one call's failure never
 * shows in another's result. Closing the adapter closes the model.
 *
 * <pre>{@code
 * Backend backend = InferenceAdapter.builder(model).name("mlx").build();
 * String reply = backend.generate("Hello", GenOpts.defaults());
 * }</pre>
 */
@SuppressWarnings("deprecation") // implements the deprecated StreamingBackend for go-ml callers
public final class InferenceAdapter implements ai.lthn.ml.StreamingBackend, AutoCloseable {
    /** The time limit per call when none is set: five minutes, as go-ml's HTTP client. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final TextModel model;
    private final String name;
    private final Duration timeout;
    private final Scheduler scheduler;

    private InferenceAdapter(Builder b) {
        this.model = b.model;
        this.name = b.name;
        this.timeout = b.timeout;
        this.scheduler = b.scheduler;
    }

    /**
     * A builder for an adapter over {@code model}.
     *
     * @param model the model
     * @return a new builder
     */
    public static Builder builder(TextModel model) {
        return new Builder(model);
    }

    @Override
    public String generate(String prompt, GenOpts opts) {
        Objects.requireNonNull(prompt, "prompt");
        GenerateConfig config = GenerationOptions.toConfig(opts);
        return drain(() -> model.generate(prompt, config), null, opts.stop());
    }

    @Override
    public String chat(List<Message> messages, GenOpts opts) {
        List<Message> copy = List.copyOf(messages);
        GenerateConfig config = GenerationOptions.toConfig(opts);
        return drain(() -> model.chat(copy, config), null, opts.stop());
    }

    @Override
    public void generateStream(String prompt, GenOpts opts, TokenCallback callback) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(callback, "callback");
        GenerateConfig config = GenerationOptions.toConfig(opts);
        drain(() -> model.generate(prompt, config), callback, opts.stop());
    }

    @Override
    public void chatStream(List<Message> messages, GenOpts opts, TokenCallback callback) {
        Objects.requireNonNull(callback, "callback");
        List<Message> copy = List.copyOf(messages);
        GenerateConfig config = GenerationOptions.toConfig(opts);
        drain(() -> model.chat(copy, config), callback, opts.stop());
    }

    /** The name given at construction. */
    @Override
    public String name() {
        return name;
    }

    /** Always true: a loaded model is ready (as go-ml). */
    @Override
    public boolean isAvailable() {
        return true;
    }

    /**
     * The wrapped model.
     *
     * @return the wrapped model
     */
    public TextModel model() {
        return model;
    }

    /**
     * The time limit of each call.
     *
     * @return the time limit of each call
     */
    public Duration timeout() {
        return timeout;
    }

    /** Closes the wrapped model. */
    @Override
    public void close() {
        model.close();
    }

    /**
     * Pulls the stream to its end, or to the first stop string: the text returned ends before it
     * and the generation is cancelled there (OpenAI's {@code stop}, applied here for models that
     * have no stop strings of their own, through the same {@link StopStrings} the server uses). A
     * callback sees the text as it settles: text that could begin a stop string is held back until
     * the next token decides it, so no part of a stop string reaches the callback.
     */
    private String drain(Supplier<TokenStream> open, TokenCallback callback, List<String> stop) {
        if (Thread.currentThread().isInterrupted()) throw new GenerationCancelledException("generation interrupted");
        StringBuilder text = new StringBuilder();
        AtomicBoolean timedOut = new AtomicBoolean();
        RuntimeException callbackFailure = null;
        TokenStream stream = StopStrings.apply(open.get(), stop);
        Future<?> deadline = scheduler.schedule(timeout, () -> {
            timedOut.set(true);
            stream.close();
        });
        try {
            while (stream.hasNext()) {
                if (Thread.currentThread().isInterrupted())
                    throw new GenerationCancelledException("generation interrupted", text.toString(), null);
                String piece = stream.next().text();
                text.append(piece);
                if (callback != null) {
                    try {
                        callback.onToken(piece);
                    } catch (RuntimeException e) {
                        callbackFailure = e;
                        break;
                    }
                }
            }
        } catch (MlException e) {
            if (timedOut.get())
                throw new MlTimeoutException(
                        "generation timed out after " + timeout.toMillis() + " ms", timeout, text.toString(), e);
            throw Failures.withPartialText(e, text.toString());
        } catch (RuntimeException e) {
            throw Failures.withPartialText(e, text.toString());
        } finally {
            deadline.cancel(false);
            stream.close();
        }
        if (callbackFailure != null) throw callbackFailure;
        return text.toString();
    }

    /** Builds an {@link InferenceAdapter}. */
    public static final class Builder {
        private final TextModel model;
        private String name = "inference";
        private Duration timeout = DEFAULT_TIMEOUT;
        private Scheduler scheduler = Deadlines.system();

        private Builder(TextModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * What {@link InferenceAdapter#name()} returns.
         *
         * @param value what {@link InferenceAdapter#name()} returns
         * @return this builder
         */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        /**
         * The time limit of each call; positive.
         *
         * @param value the time limit of each call; positive
         * @return this builder
         */
        public Builder timeout(Duration value) {
            this.timeout = Checks.positive(value, "timeout");
            return this;
        }

        /**
         * What enforces the call timeout; default one shared daemon timer thread. A test passes a
         * {@link ai.lthn.ml.testing.ManualTime} to fire it when it chooses.
         *
         * @param value the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /**
         * The adapter.
         *
         * @return the adapter
         */
        public InferenceAdapter build() {
            return new InferenceAdapter(this);
        }
    }
}
