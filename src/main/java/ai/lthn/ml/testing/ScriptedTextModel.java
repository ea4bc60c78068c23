package ai.lthn.ml.testing;

import ai.lthn.ml.Message;
import ai.lthn.ml.inference.AbstractTokenStream;
import ai.lthn.ml.inference.ClassifyResult;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.ModelInfo;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link TextModel} that plays back scripted tokens, for testing code that uses a model:
 * per-token delays, a failure after N tokens, the token limit honoured ({@code finishReason}
 * "length"), and a record of every call and of every stream opened and closed.
 *
 * <pre>{@code
 * ScriptedTextModel model = ScriptedTextModel.builder()
 *         .tokens("Hello", " ", "world")
 *         .tokenDelay(Duration.ofMillis(5))
 *         .build();
 * assertThat(InferenceAdapter.builder(model).name("test").build().generate("hi", GenOpts.defaults())).isEqualTo("Hello world");
 * assertThat(model.calls()).extracting(ScriptedTextModel.Call::prompt).containsExactly("hi");
 * }</pre>
 *
 * <p>Thread-safe: streams are independent, so concurrent calls with different scripts never
 * share an outcome. Delays end early when the stream is closed, and are interruptible.
 */
public final class ScriptedTextModel implements TextModel {

    /** What to play back for one call. */
    public record Script(List<String> tokens, Duration tokenDelay, int failAfter, RuntimeException failure) {
        /**
         * Validates and copies.
         *
         * @param failAfter tokens produced before the failure, or -1 for none
         * @param failure the failure
         * @param tokenDelay the token delay
         * @param tokens the tokens
         */
        public Script {
            tokens = List.copyOf(tokens);
            Objects.requireNonNull(tokenDelay, "tokenDelay");
            if (tokenDelay.isNegative()) throw new IllegalArgumentException("negative delay");
            if (failure != null && (failAfter < 0 || failAfter > tokens.size()))
                throw new IllegalArgumentException("failAfter outside [0, tokens]: " + failAfter);
        }

        /**
         * Plays {@code tokens} with no delay and no failure.
         *
         * @param tokens the tokens
         * @return the script
         */
        public static Script of(String... tokens) {
            return new Script(List.of(tokens), Duration.ZERO, -1, null);
        }

        /**
         * Plays {@code tokens} with no delay and no failure.
         *
         * @param tokens the tokens
         * @return the script
         */
        public static Script of(List<String> tokens) {
            return new Script(tokens, Duration.ZERO, -1, null);
        }

        /**
         * This script with a delay before each token.
         *
         * @param delay the delay
         * @return this script with a delay before each token
         */
        public Script withTokenDelay(Duration delay) {
            return new Script(tokens, delay, failAfter, failure);
        }

        /**
         * This script failing with {@code e} after {@code n} tokens have been produced.
         *
         * @param n tokens produced before the failure
         * @param e the failure to throw
         * @return this script failing with {@code e} after {@code n} tokens have been produced
         */
        public Script failingAfter(int n, RuntimeException e) {
            return new Script(tokens, tokenDelay, n, Objects.requireNonNull(e, "failure"));
        }
    }

    /** The kinds of recorded call. */
    public enum Kind {
        /** {@code generate}. */
        GENERATE,
        /** {@code chat}. */
        CHAT
    }

    /**
     * One recorded call.
     *
     * @param kind generate or chat
     * @param prompt the prompt; for chat, the content of the last message
     * @param messages the messages; for generate, one user message with the prompt
     * @param config the folded options the call received
     */
    public record Call(Kind kind, String prompt, List<Message> messages, GenerateConfig config) {
        /**
         * Copies the messages.
         *
         * @param config the folded options the call received
         * @param kind generate or chat
         * @param messages the messages; for generate, one user message with the prompt
         * @param prompt the prompt; for chat, the content of the last message
         */
        public Call {
            messages = List.copyOf(messages);
        }
    }

    private final Function<Call, Script> scripts;
    private final String modelType;
    private final ModelInfo info;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closedStreams = new AtomicInteger();
    private final Object closeMonitor = new Object();
    private final List<TokenStream> live = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile GenerateMetrics lastMetrics = GenerateMetrics.ZERO;

    private ScriptedTextModel(Builder b) {
        this.scripts = b.scripts;
        this.modelType = b.modelType;
        this.info = b.info;
    }

    /**
     * A model that answers every call with {@code tokens}.
     *
     * @param tokens the tokens
     * @return a model that answers every call with {@code tokens}
     */
    public static ScriptedTextModel of(String... tokens) {
        return builder().tokens(tokens).build();
    }

    /**
     * A builder; with no script the model answers with no tokens.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TokenStream generate(String prompt, GenerateConfig config) {
        Objects.requireNonNull(prompt, "prompt");
        return open(new Call(Kind.GENERATE, prompt, List.of(Message.user(prompt)), config));
    }

    @Override
    public TokenStream chat(List<Message> messages, GenerateConfig config) {
        String last =
                messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
        return open(new Call(Kind.CHAT, last, messages, config));
    }

    /** Each prompt's first scripted token, with no logits. */
    @Override
    public List<ClassifyResult> classify(List<String> prompts, GenerateConfig config) {
        List<ClassifyResult> out = new ArrayList<>();
        for (String p : prompts) {
            Script s = scripts.apply(new Call(Kind.GENERATE, p, List.of(Message.user(p)), config));
            out.add(new ClassifyResult(
                    new Token(1, s.tokens().isEmpty() ? "" : s.tokens().get(0)), List.of()));
        }
        return out;
    }

    @Override
    public String modelType() {
        return modelType;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public GenerateMetrics metrics() {
        return lastMetrics;
    }

    /** Closes the model and cancels every open stream. */
    @Override
    public void close() {
        closed = true;
        for (TokenStream s : live) s.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Every call so far, in order.
     *
     * @return every call so far, in order
     */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /**
     * The prompts of every call so far, in order.
     *
     * @return the prompts of every call so far, in order
     */
    public List<String> prompts() {
        return calls.stream().map(Call::prompt).toList();
    }

    /**
     * How many streams were opened.
     *
     * @return how many streams were opened
     */
    public int streamsOpened() {
        return opened.get();
    }

    /**
     * How many streams were closed or ran to their end (their resources released).
     *
     * @return how many streams were closed or ran to their end (their resources released)
     */
    public int streamsClosed() {
        return closedStreams.get();
    }

    /**
     * Waits until at least {@code count} streams have been released, or the timeout passes.
     *
     * @return whether the count was reached
     * @param count the count
     * @param timeout the time limit
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitStreamsClosed(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (closeMonitor) {
            while (closedStreams.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(closeMonitor, left);
            }
        }
        return true;
    }

    private TokenStream open(Call call) {
        if (closed) throw new IllegalStateException("model is closed");
        calls.add(call);
        Script script = Objects.requireNonNull(scripts.apply(call), "script");
        Playback p = new Playback(script, call);
        live.add(p);
        if (closed) p.close(); // closed while opening: the stream starts cancelled
        opened.incrementAndGet();
        return p;
    }

    private final class Playback extends AbstractTokenStream {
        private final Script script;
        private final int maxTokens;
        private final int promptTokens;
        private int index;

        Playback(Script script, Call call) {
            this.script = script;
            this.maxTokens = call.config().maxTokens();
            int words = 0;
            for (Message m : call.messages())
                words += m.content().isBlank() ? 0 : m.content().trim().split("\\s+").length;
            this.promptTokens = words;
        }

        @Override
        protected Token produce() throws InterruptedException {
            if (script.failure() != null && index == script.failAfter()) throw script.failure();
            if (index >= script.tokens().size()) return null;
            if (maxTokens > 0 && index >= maxTokens) {
                finishReason(FinishReason.LENGTH);
                return null;
            }
            if (!script.tokenDelay().isZero() && !sleepUnlessClosed(script.tokenDelay())) return null;
            String text = script.tokens().get(index++);
            metrics(GenerateMetrics.ofUsage(promptTokens, index));
            return new Token(index, text);
        }

        @Override
        protected void release() {
            live.remove(this);
            lastMetrics = metrics();
            closedStreams.incrementAndGet();
            synchronized (closeMonitor) {
                closeMonitor.notifyAll();
            }
        }
    }

    /** Builds a {@link ScriptedTextModel}. */
    public static final class Builder {
        private List<String> tokens = List.of();
        private Duration tokenDelay = Duration.ZERO;
        private int failAfter = -1;
        private RuntimeException failure;
        private Function<Call, Script> scripts;
        private String modelType = "scripted";
        private ModelInfo info = ModelInfo.of("scripted");

        private Builder() {}

        /**
         * The tokens every call plays (unless {@link #script} decides per call).
         *
         * @param values the tokens, in order
         * @return this builder
         */
        public Builder tokens(String... values) {
            this.tokens = List.of(values);
            return this;
        }

        /**
         * The tokens every call plays.
         *
         * @param values the tokens, in order
         * @return this builder
         */
        public Builder tokens(List<String> values) {
            this.tokens = List.copyOf(values);
            return this;
        }

        /**
         * A delay before each token.
         *
         * @param value a delay before each token
         * @return this builder
         */
        public Builder tokenDelay(Duration value) {
            this.tokenDelay = Objects.requireNonNull(value, "tokenDelay");
            return this;
        }

        /**
         * Fail with {@code e} after {@code n} tokens.
         *
         * @param n tokens produced before the failure
         * @param e the failure to throw
         * @return this builder
         */
        public Builder failAfter(int n, RuntimeException e) {
            this.failAfter = n;
            this.failure = Objects.requireNonNull(e, "failure");
            return this;
        }

        /**
         * Decide the script per call (overrides tokens, delay and failure).
         *
         * @param value the script for each call
         * @return this builder
         */
        public Builder script(Function<Call, Script> value) {
            this.scripts = Objects.requireNonNull(value, "script");
            return this;
        }

        /**
         * What {@code modelType()} returns; default "scripted".
         *
         * @param value what {@code modelType()} returns; default "scripted"
         * @return this builder
         */
        public Builder modelType(String value) {
            this.modelType = Objects.requireNonNull(value, "modelType");
            return this;
        }

        /**
         * What {@code info()} returns.
         *
         * @param value what {@code info()} returns
         * @return this builder
         */
        public Builder info(ModelInfo value) {
            this.info = Objects.requireNonNull(value, "info");
            return this;
        }

        /**
         * The model.
         *
         * @return the model
         */
        public ScriptedTextModel build() {
            if (scripts == null) {
                Script fixed = new Script(tokens, tokenDelay, failAfter, failure);
                scripts = call -> fixed;
            }
            return new ScriptedTextModel(this);
        }
    }
}
