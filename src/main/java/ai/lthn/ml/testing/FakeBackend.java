package ai.lthn.ml.testing;

import ai.lthn.ml.Backend;
import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.Message;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link Backend} that answers from a function and records every call: for testing code that
 * calls a backend (a judge, a scorer, a service).
 *
 * <pre>{@code
 * FakeBackend judge = FakeBackend.answering(prompt -> "{\"sovereignty\": 8}");
 * ... run the code under test ...
 * assertThat(judge.calls()).hasSize(1);
 * }</pre>
 *
 * <p>Thread-safe. The latency, when set, is interruptible
 * ({@link GenerationCancelledException}, flag restored).
 */
public final class FakeBackend implements Backend {

    /**
     * One recorded call.
     *
     * @param prompt the prompt; for chat, the content of the last message
     * @param messages the conversation; for generate, one user message
     * @param opts the options received
     */
    public record Call(String prompt, List<Message> messages, GenOpts opts) {
        /**
         * Copies the messages.
         *
         * @param messages the conversation; for generate, one user message
         * @param opts the options received
         * @param prompt the prompt; for chat, the content of the last message
         */
        public Call {
            messages = List.copyOf(messages);
        }
    }

    private final String name;
    private final Function<Call, String> answers;
    private final Duration latency;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean available;

    private FakeBackend(Builder b) {
        this.name = b.name;
        this.answers = b.answers;
        this.latency = b.latency;
        this.available = b.available;
    }

    /**
     * Answers every call with {@code reply}.
     *
     * @param reply the judge's raw reply
     * @return the backend
     */
    public static FakeBackend replying(String reply) {
        return builder().answer(call -> reply).build();
    }

    /**
     * Answers each call with {@code answer} applied to its prompt.
     *
     * @param answer answers each call
     * @return the backend
     */
    public static FakeBackend answering(Function<String, String> answer) {
        Objects.requireNonNull(answer, "answer");
        return builder().answer(call -> answer.apply(call.prompt())).build();
    }

    /**
     * A builder: name "fake", available, answering "".
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String generate(String prompt, GenOpts opts) {
        return answer(new Call(prompt, List.of(Message.user(prompt)), opts));
    }

    @Override
    public String chat(List<Message> messages, GenOpts opts) {
        String last =
                messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
        return answer(new Call(last, messages, opts));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    /**
     * Makes the backend (un)available; an unavailable one throws {@link BackendUnavailableException}.
     *
     * @param value what {@code isAvailable()} returns from now on
     */
    public void setAvailable(boolean value) {
        this.available = value;
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

    private String answer(Call call) {
        calls.add(call);
        if (!available) throw new BackendUnavailableException(name + " backend not available");
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationCancelledException("generation interrupted", "", e);
            }
        }
        return answers.apply(call);
    }

    /** Builds a {@link FakeBackend}. */
    public static final class Builder {
        private String name = "fake";
        private Function<Call, String> answers = call -> "";
        private Duration latency = Duration.ZERO;
        private boolean available = true;

        private Builder() {}

        /**
         * What {@code name()} returns.
         *
         * @param value what {@code name()} returns
         * @return this builder
         */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        /**
         * The answer to each call; it may throw to simulate a failure.
         *
         * @param value the answer to each call; it may throw to simulate a failure
         * @return this builder
         */
        public Builder answer(Function<Call, String> value) {
            this.answers = Objects.requireNonNull(value, "answer");
            return this;
        }

        /**
         * A delay before each answer.
         *
         * @param value a delay before each answer
         * @return this builder
         */
        public Builder latency(Duration value) {
            Objects.requireNonNull(value, "latency");
            if (value.isNegative()) throw new IllegalArgumentException("negative latency");
            this.latency = value;
            return this;
        }

        /**
         * Whether the backend starts available.
         *
         * @param value whether the backend starts available
         * @return this builder
         */
        public Builder available(boolean value) {
            this.available = value;
            return this;
        }

        /**
         * The backend.
         *
         * @return the backend
         */
        public FakeBackend build() {
            return new FakeBackend(this);
        }
    }
}
