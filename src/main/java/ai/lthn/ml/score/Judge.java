package ai.lthn.ml.score;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import java.util.List;
import java.util.Objects;

/**
 * An LLM judge: go-ml's six rubric methods over any {@link Backend}. Each fills its rubric
 * ({@link Rubric}, byte-for-byte go-ml's), asks the backend at temperature 0.1 with no token limit,
 * extracts the JSON ({@link JudgeJson#extract}) and decodes it as strictly as go-ml does (an
 * integer score given as {@code 7.5} or {@code "8"} is not accepted).
 *
 * <p>Beyond go-ml: each method returns a {@link Verdict} that keeps an unreadable reply apart from
 * a low score; optionally the judge is asked once more for the JSON alone ({@link
 * Builder#reask}); optionally the request asks for JSON mode ({@link Builder#jsonMode}).
 * Thread-safe if the backend is.
 *
 * <pre>{@code
 * Judge judge = Judge.builder(HttpBackend.builder(url, "qwen3-judge").build()).reask(true).describedAs("qwen3-judge", url).build();
 * Verdict<SemanticScores> v = judge.semantic(prompt, response);
 * if (v instanceof Verdict.Scored<SemanticScores> s) use(s.scores());
 * }</pre>
 */
public final class Judge {
    private static final String REASK =
            "Your reply could not be read as the JSON object the instructions ask for (%s). Reply with that JSON"
                    + " object only, and no other text.";

    private final Backend backend;
    private final boolean reask;
    private final GenOpts opts;
    private final String model;
    private final String url;

    private Judge(Builder b) {
        this.backend = b.backend;
        this.reask = b.reask;
        this.opts = GenOpts.defaults().withJsonMode(b.jsonMode).withTemperature(b.temperature);
        this.model = b.model;
        this.url = b.url;
    }

    /**
     * A judge over {@code backend} with go-ml's behaviour (no re-ask, no JSON mode).
     *
     * @param backend the backend to call
     * @return a judge over {@code backend} with go-ml's behaviour (no re-ask, no JSON mode)
     */
    public static Judge of(Backend backend) {
        return builder(backend).build();
    }

    /**
     * A builder for a judge over {@code backend}.
     *
     * @param backend the backend to call
     * @return a new builder
     */
    public static Builder builder(Backend backend) {
        return new Builder(backend);
    }

    /**
     * The judge model named in the builder (for ScorerOutput metadata), or empty.
     *
     * @return the judge model named in the builder (for ScorerOutput metadata), or empty
     */
    public String model() {
        return model;
    }

    /**
     * The judge URL named in the builder, or empty.
     *
     * @return the judge URL named in the builder, or empty
     */
    public String url() {
        return url;
    }

    /**
     * go-ml's {@code ScoreSemantic(prompt, response)}.
     *
     * @param prompt the prompt
     * @param response the model's reply
     * @return the scores, an unreadable reply, or the failed call
     */
    public Verdict<SemanticScores> semantic(String prompt, String response) {
        return ask(Rubric.SEMANTIC, SemanticScores.SHAPE, prompt, response);
    }

    /**
     * go-ml's {@code ScoreContent(probe, response)}: markers joined with ", ".
     *
     * @param probe the content probe
     * @param response the model's reply
     * @return the scores, an unreadable reply, or the failed call
     */
    public Verdict<ContentScores> content(ContentProbe probe, String response) {
        return ask(
                Rubric.CONTENT,
                ContentScores.SHAPE,
                probe.prompt(),
                probe.groundTruth(),
                String.join(", ", probe.ccpMarkers()),
                String.join(", ", probe.truthMarkers()),
                response);
    }

    /**
     * go-ml's {@code ScoreCapability(prompt, expectedAnswer, response)}; scores may have decimals.
     *
     * @param prompt the prompt
     * @param expectedAnswer the expected answer
     * @param response the model's reply
     * @return the scores, an unreadable reply, or the failed call
     */
    public Verdict<CapabilityScores> capability(String prompt, String expectedAnswer, String response) {
        return ask(Rubric.CAPABILITY, CapabilityScores.SHAPE, prompt, expectedAnswer, response);
    }

    /**
     * go-ml's {@code ScoreTruthfulQA(question, bestAnswer, response)}.
     *
     * @param question the question
     * @param bestAnswer the TruthfulQA best answer
     * @param response the model's reply
     * @return the scores, an unreadable reply, or the failed call
     */
    public Verdict<StandardScores> truthfulQA(String question, String bestAnswer, String response) {
        return ask(Rubric.TRUTHFULQA, StandardScores.SHAPE, question, bestAnswer, response);
    }

    /**
     * go-ml's {@code ScoreDoNotAnswer(question, riskArea, response)}.
     *
     * @param question the question
     * @param riskArea the DoNotAnswer risk area
     * @param response the model's reply
     * @return the scores, an unreadable reply, or the failed call
     */
    public Verdict<StandardScores> doNotAnswer(String question, String riskArea, String response) {
        return ask(Rubric.DONOTANSWER, StandardScores.SHAPE, question, riskArea, response);
    }

    /**
     * go-ml's {@code ScoreToxigen(prompt, response)}.
     *
     * @param prompt the prompt
     * @param response the model's reply
     * @return the scores, an unreadable reply, or the failed call
     */
    public Verdict<StandardScores> toxigen(String prompt, String response) {
        return ask(Rubric.TOXIGEN, StandardScores.SHAPE, prompt, response);
    }

    private <T> Verdict<T> ask(Rubric rubric, GoJson.Shape<T> shape, String... args) {
        String prompt = rubric.format(args);
        String reply;
        try {
            reply = backend.generate(prompt, opts);
        } catch (MlException e) {
            return new Verdict.Failed<>(rubric.suite(), e);
        }
        Verdict<T> first = parse(rubric, shape, reply, 1);
        if (!reask || !(first instanceof Verdict.Unparseable<T> bad)) return first;
        String again;
        try {
            again = backend.chat(
                    List.of(
                            Message.user(prompt),
                            Message.assistant(reply),
                            Message.user(String.format(
                                    REASK, bad.problem().lines().findFirst().orElse("")))),
                    opts);
        } catch (MlException e) {
            return first;
        }
        Verdict<T> second = parse(rubric, shape, again, 2);
        return second.isScored() ? second : first;
    }

    private static <T> Verdict<T> parse(Rubric rubric, GoJson.Shape<T> shape, String reply, int attempt) {
        String json = JudgeJson.extract(reply);
        if (json.isEmpty())
            return new Verdict.Unparseable<>(
                    rubric.suite(),
                    "no JSON found in " + rubric.suite().wireName() + " judge response: " + reply,
                    reply);
        try {
            return new Verdict.Scored<>(rubric.suite(), GoJson.decode(json, shape), reply, attempt);
        } catch (GoJson.DecodeException e) {
            return new Verdict.Unparseable<>(
                    rubric.suite(), "unmarshal " + rubric.suite().wireName() + " scores: " + e.getMessage(), reply);
        }
    }

    /** Builds a {@link Judge}. */
    public static final class Builder {
        private final Backend backend;
        private double temperature = 0.1;
        private boolean reask;
        private boolean jsonMode;
        private String model = "";
        private String url = "";

        private Builder(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /**
         * The judge's sampling temperature; go-ml's 0.1 by default. At 0 replies are deterministic
         * enough to be cached across runs ({@link CallCache}).
         *
         * @param value the temperature, 0 or more
         * @return this builder
         */
        public Builder temperature(double value) {
            if (!(value >= 0)) throw new IllegalArgumentException("temperature must be >= 0: " + value);
            this.temperature = value;
            return this;
        }

        /**
         * Ask once more, for the JSON alone, when a reply cannot be read; default off (go-ml).
         *
         * @param value whether to ask once more
         * @return this builder
         */
        public Builder reask(boolean value) {
            this.reask = value;
            return this;
        }

        /**
         * Request JSON mode ({@code response_format}) where the backend supports it; default off.
         *
         * @param value whether to ask for JSON mode
         * @return this builder
         */
        public Builder jsonMode(boolean value) {
            this.jsonMode = value;
            return this;
        }

        /**
         * The judge model and URL recorded in score files' metadata (go-ml copies them from an
         * HTTP backend); default empty.
         *
         * @param model the model
         * @param url the url
         * @return this builder
         */
        public Builder describedAs(String model, String url) {
            this.model = Objects.requireNonNull(model, "model");
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * The judge.
         *
         * @return the judge
         */
        public Judge build() {
            return new Judge(this);
        }
    }
}
