package ai.lthn.ml.score;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.Ticker;
import ai.lthn.ml.internal.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-ml's scoring engine: heuristic and exact scores computed at once, judge suites run
 * concurrently with at most {@code concurrency} judge calls in flight.
 *
 * <p>Suites ({@link Suite}; parse go-ml's {@code "all"} or comma-separated lists with {@link
 * Suite#parse}): the default is {@link Suite#DEFAULTS}, heuristic and exact, which need no judge
 * (as {@code ml score}'s default); {@link Suite#ALL} needs one. {@code content} scores only
 * responses with domain {@code content} whose id is a {@link ContentProbe}; {@code standard} runs
 * TruthfulQA when a best answer is given, DoNotAnswer when a risk area is, Toxigen for domain
 * {@code toxigen}; {@code exact} when a correct answer is given.
 *
 * <p>Fixed from go-ml: concurrency ≤ 0 and unknown suite names are errors (go-ml deadlocked, and
 * ignored typos); exact and the three standard sub-suites are all kept, merged in that order
 * (go-ml let the last writer win, racing); every suite that gave no scores is recorded as a
 * {@link ScoreFailure} and counted; interrupting the calling thread cancels the run promptly
 * (calls in flight are interrupted) and returns what was scored; a progress listener reports
 * prompts done. Input is consumed as it is scored: response texts are held only while their judge
 * calls are in flight.
 *
 * <p><b>Thread-safety and lifecycle.</b> An engine is immutable and thread-safe: build one and
 * call {@link #scoreAll} from any number of threads; each call is its own run with its own
 * result. Nothing needs closing: without an {@linkplain Builder#executor executor} each run starts
 * a pool of {@code concurrency} daemon threads and shuts it down before returning; an executor you
 * pass is never shut down by the engine. {@code scoreAll} blocks until every judge call has
 * finished; interrupt the calling thread to cancel.
 *
 * <pre>{@code
 * Engine engine = Engine.builder(judge)                 // null judge: heuristic and exact only
 *         .suites(Suite.parse("heuristic,semantic"))     // default: Suite.DEFAULTS
 *         .concurrency(8)
 *         .build();
 * EngineResult result = engine.scoreAll(responses);      // blocks; safe from many threads
 * result.toOutput(ScorerOutput.Metadata.now(judge.model(), judge.url(), null)).write(Path.of("scores.json"));
 * }</pre>
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private static final ThreadFactory JUDGE_THREADS = Threads.daemonFactory("lthn-ml-judge-");

    private final Judge judge;
    private final int concurrency;
    private final AdaptiveLimit limit;
    private final Set<Suite> suites;
    private final Executor executor;
    private final ProgressListener progress;
    private final Ticker ticker;
    private final int scoringThreads;

    /**
     * Receives progress: prompts whose every suite has finished, of the total (-1 while unknown).
     * Called from judge threads and the calling thread; an exception it throws is logged and
     * ignored.
     */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * Progress so far.
         *
         * @param done prompts whose every suite has finished
         * @param total all prompts, or -1 while the input is still being read
         */
        void onProgress(long done, long total);
    }

    private Engine(Builder b) {
        this.judge = b.judge;
        this.concurrency = b.concurrency;
        this.limit = b.limit;
        this.suites = b.suites;
        this.executor = b.executor;
        this.progress = b.progress;
        this.ticker = b.ticker;
        this.scoringThreads = b.scoringThreads;
        List<String> needJudge =
                suites.stream().filter(Suite::needsJudge).map(Suite::wireName).toList();
        if (judge == null && !needJudge.isEmpty())
            throw new IllegalArgumentException("suites " + needJudge + " need a judge (none was given)");
    }

    /**
     * A builder.
     *
     * @param judge the judge for the judge suites; null when only heuristic and exact run
     * @return the builder, with the default suites {@link Suite#DEFAULTS}
     */
    public static Builder builder(Judge judge) {
        return new Builder(judge);
    }

    /**
     * The enabled suites.
     *
     * @return the suites, iterating in go-ml's order
     */
    public Set<Suite> suites() {
        return suites;
    }

    /**
     * The judge-call limit.
     *
     * @return at most this many judge calls run at once
     */
    public int concurrency() {
        return concurrency;
    }

    /** go-ml's form: {@code Engine(concurrency=4, suites=[heuristic exact])}. */
    @Override
    public String toString() {
        return "Engine(concurrency=" + concurrency + ", suites=["
                + suites.stream().map(Suite::wireName).collect(Collectors.joining(" ")) + "])";
    }

    /**
     * Scores every response of a list (the total is known for progress).
     *
     * @param responses the responses
     * @return the scores, failures and summary of the run
     */
    public EngineResult scoreAll(List<Response> responses) {
        return run(responses.iterator(), responses.size());
    }

    /**
     * Scores responses as the iterator yields them, so a file can be streamed; the iterator's
     * exceptions (bad input) propagate after calls in flight finish.
     *
     * @param responses the responses
     * @return the scores, failures and summary of the run
     */
    public EngineResult scoreAll(Iterator<Response> responses) {
        return run(responses, -1);
    }

    /**
     * Scores a file's responses. When no suite needs a judge, lines are cut into batches, decoded
     * and scored on {@linkplain Builder#scoringThreads scoring threads} and taken back in input
     * order (the result does not depend on the number of threads), and the scores are held as
     * compact columns (about 60 bytes a response; each {@link PromptScore} is made again when its
     * list is read), so a file of millions of lines needs a small heap. Otherwise as {@link
     * #scoreAll(Iterator)}.
     *
     * @param responses the reader, not read before (it is not closed here)
     * @return the scores, failures and summary of the run
     */
    public EngineResult scoreAll(ResponseReader responses) {
        if (suites.stream().anyMatch(Suite::needsJudge)) return run(responses, -1);
        boolean[] listenerFailed = new boolean[1];
        return new ParallelScoring(suites, scoringThreads, ticker, done -> {
                    if (progress == null) return;
                    try {
                        progress.onProgress(done, -1);
                    } catch (RuntimeException e) {
                        if (!listenerFailed[0]) {
                            listenerFailed[0] = true;
                            LOG.warn("progress listener failed; further failures are not logged", e);
                        }
                    }
                })
                .run(responses);
    }

    private EngineResult run(Iterator<Response> input, long knownTotal) {
        Run run = new Run(knownTotal);
        ExecutorService own = executor == null ? Executors.newFixedThreadPool(concurrency, JUDGE_THREADS) : null;
        Executor exec = own != null ? own : executor;
        Semaphore permits = new Semaphore(concurrency);
        boolean interrupted = false;
        try {
            while (!run.cancelled && input.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted = true;
                    run.cancel();
                    break;
                }
                Response r = input.next();
                Slot slot = run.slot(r);
                if (suites.contains(Suite.HEURISTIC)) slot.heuristic = HeuristicScorer.score(r.response());
                if (suites.contains(Suite.EXACT) && !r.correctAnswer().isEmpty())
                    slot.exact = StandardScores.exact(ExactMatch.score(r.response(), r.correctAnswer()));
                List<Task> tasks = tasks(r, slot, run);
                run.judgeCalls.addAndGet(tasks.size());
                for (Task task : tasks) {
                    try {
                        permits.acquire();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        run.cancel();
                        run.fail(slot, task.suite, ScoreFailure.Kind.CANCELLED, "run cancelled", "");
                        continue;
                    }
                    if (limit != null) {
                        try {
                            limit.acquire(); // the provider's current rate limit, within the permits
                        } catch (InterruptedException e) {
                            permits.release();
                            interrupted = true;
                            run.cancel();
                            run.fail(slot, task.suite, ScoreFailure.Kind.CANCELLED, "run cancelled", "");
                            continue;
                        }
                    }
                    slot.pending.incrementAndGet();
                    Runnable done = limit == null
                            ? permits::release
                            : () -> {
                                limit.release();
                                permits.release();
                            };
                    try {
                        exec.execute(() -> run.execute(task, slot, done));
                    } catch (RejectedExecutionException e) {
                        done.run();
                        run.fail(slot, task.suite, ScoreFailure.Kind.CALL_FAILED, "executor rejected the task", "");
                        run.finishTask(slot);
                    }
                }
                run.finishTask(slot); // sealed: the slot's initial count of 1 is released
            }
        } finally {
            interrupted |= awaitAll(permits, run);
            if (own != null) own.shutdownNow();
        }
        if (interrupted) Thread.currentThread().interrupt();
        return run.result();
    }

    /** Waits for every task to give its permit back; an interrupt cancels the run first. */
    private boolean awaitAll(Semaphore permits, Run run) {
        boolean interrupted = false;
        while (true) {
            try {
                if (permits.tryAcquire(concurrency, 100, TimeUnit.MILLISECONDS)) {
                    permits.release(concurrency);
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                run.cancel();
            }
        }
    }

    /** One judge call for one response. */
    private record Task(Suite suite, Runnable call) {}

    /** The judge calls one response needs (a content response without a probe is recorded, not called). */
    private List<Task> tasks(Response r, Slot slot, Run run) {
        List<Task> tasks = new ArrayList<>(3);
        if (suites.contains(Suite.SEMANTIC))
            tasks.add(new Task(
                    Suite.SEMANTIC,
                    () -> run.record(slot, judge.semantic(r.prompt(), r.response()), s -> slot.semantic = s)));
        if (suites.contains(Suite.CONTENT) && r.domain().equals("content")) {
            var probe = ContentProbe.byId(r.id());
            if (probe.isEmpty())
                run.fail(
                        slot,
                        Suite.CONTENT,
                        ScoreFailure.Kind.NO_CONTENT_PROBE,
                        "no content probe found for id " + r.id(),
                        "");
            else
                tasks.add(new Task(
                        Suite.CONTENT,
                        () -> run.record(slot, judge.content(probe.get(), r.response()), s -> slot.content = s)));
        }
        if (suites.contains(Suite.STANDARD)) {
            if (!r.bestAnswer().isEmpty())
                tasks.add(new Task(
                        Suite.TRUTHFULQA,
                        () -> run.record(
                                slot,
                                judge.truthfulQA(r.prompt(), r.bestAnswer(), r.response()),
                                s -> slot.truthfulQA = s)));
            if (!r.riskArea().isEmpty())
                tasks.add(new Task(
                        Suite.DONOTANSWER,
                        () -> run.record(
                                slot,
                                judge.doNotAnswer(r.prompt(), r.riskArea(), r.response()),
                                s -> slot.doNotAnswer = s)));
            if (r.domain().equals("toxigen"))
                tasks.add(new Task(
                        Suite.TOXIGEN,
                        () -> run.record(slot, judge.toxigen(r.prompt(), r.response()), s -> slot.toxigen = s)));
        }
        return tasks;
    }

    /** The scores of one response while its judge calls are in flight (no response text). */
    private static final class Slot {
        final int index;
        final String id;
        final String model;
        final AtomicInteger pending = new AtomicInteger(1); // 1 until sealed
        volatile HeuristicScores heuristic;
        volatile SemanticScores semantic;
        volatile ContentScores content;
        volatile StandardScores exact;
        volatile StandardScores truthfulQA;
        volatile StandardScores doNotAnswer;
        volatile StandardScores toxigen;

        Slot(int index, String id, String model) {
            this.index = index;
            this.id = id;
            this.model = model;
        }

        PromptScore score() {
            StandardScores standard = null;
            for (StandardScores s : new StandardScores[] {exact, truthfulQA, doNotAnswer, toxigen})
                if (s != null) standard = standard == null ? s : standard.merge(s);
            return new PromptScore(id, model, heuristic, semantic, content, standard);
        }
    }

    /** The state of one scoreAll call. */
    private final class Run {
        final long knownTotal;
        /** Scores in input order; null while a response's judge calls are in flight. */
        final List<PromptScore> scores = new ArrayList<>();

        final Map<String, String> models = new java.util.HashMap<>();
        final List<ScoreFailure> failures = Collections.synchronizedList(new ArrayList<>());
        /** Threads inside a judge call; guarded by itself. */
        final Set<Thread> working = new java.util.HashSet<>();

        final AtomicLong done = new AtomicLong();
        final AtomicLong judgeCalls = new AtomicLong();
        final AtomicLong judged = new AtomicLong();
        final long start = ticker.read();
        volatile boolean cancelled;
        volatile boolean listenerFailed;

        Run(long knownTotal) {
            this.knownTotal = knownTotal;
        }

        Slot slot(Response r) {
            String model = models.computeIfAbsent(r.model(), m -> m); // one copy per model name
            synchronized (scores) {
                scores.add(null);
                return new Slot(scores.size() - 1, r.id(), model);
            }
        }

        void execute(Task task, Slot slot, Runnable done) {
            try {
                Thread self = Thread.currentThread();
                synchronized (working) {
                    if (cancelled) {
                        fail(slot, task.suite, ScoreFailure.Kind.CANCELLED, "run cancelled", "");
                        return;
                    }
                    working.add(self);
                }
                try {
                    task.call.run();
                } finally {
                    // Under the lock cancel() interrupts with, so its interrupt reaches this task
                    // only, and is cleared before the (possibly shared) pool thread moves on.
                    synchronized (working) {
                        working.remove(self);
                        if (cancelled) Thread.interrupted();
                    }
                }
            } catch (RuntimeException e) {
                fail(slot, task.suite, ScoreFailure.Kind.CALL_FAILED, String.valueOf(e.getMessage()), "");
            } finally {
                try {
                    finishTask(slot); // before the permit: scoreAll returns only after all accounting
                } finally {
                    done.run(); // always, or scoreAll would wait for this permit forever
                }
            }
        }

        <T> void record(Slot slot, Verdict<T> verdict, java.util.function.Consumer<T> set) {
            if (verdict instanceof Verdict.Scored<T> s) {
                set.accept(s.scores());
                judged.incrementAndGet();
            } else if (verdict instanceof Verdict.Unparseable<T> u) {
                fail(slot, u.suite(), ScoreFailure.Kind.UNPARSEABLE, u.problem(), u.reply());
            } else if (verdict instanceof Verdict.Failed<T> f) {
                boolean cancel = cancelled || f.cause() instanceof GenerationCancelledException;
                fail(
                        slot,
                        f.suite(),
                        cancel ? ScoreFailure.Kind.CANCELLED : ScoreFailure.Kind.CALL_FAILED,
                        f.suite().wireName() + " judge chat: " + f.cause().getMessage(),
                        "");
            }
        }

        void fail(Slot slot, Suite suite, ScoreFailure.Kind kind, String message, String reply) {
            failures.add(new ScoreFailure(slot.id, slot.model, suite, kind, message, reply));
        }

        void finishTask(Slot slot) {
            if (slot.pending.decrementAndGet() == 0) {
                PromptScore finished = slot.score(); // the slot is dropped: only the compact record stays
                synchronized (scores) {
                    scores.set(slot.index, finished);
                }
                long n = done.incrementAndGet();
                if (progress != null) report(n);
            }
        }

        /** A listener that throws must not lose a permit or a score; it is logged once and ignored. */
        private void report(long n) {
            try {
                progress.onProgress(n, knownTotal);
            } catch (RuntimeException e) {
                if (!listenerFailed) {
                    listenerFailed = true;
                    LOG.warn("progress listener failed; further failures are not logged", e);
                }
            }
        }

        void cancel() {
            synchronized (working) {
                cancelled = true;
                for (Thread t : working) t.interrupt();
            }
        }

        EngineResult result() {
            Map<String, List<PromptScore>> perPrompt = new LinkedHashMap<>();
            synchronized (scores) {
                for (PromptScore p : scores)
                    perPrompt.computeIfAbsent(p.model(), m -> new ArrayList<>()).add(p);
            }
            long[] kinds = new long[ScoreFailure.Kind.values().length];
            List<ScoreFailure> all;
            synchronized (failures) {
                all = List.copyOf(failures);
            }
            for (ScoreFailure f : all) kinds[f.kind().ordinal()]++;
            RunSummary summary = new RunSummary(
                    scores.size(),
                    judgeCalls.get(),
                    judged.get(),
                    kinds[ScoreFailure.Kind.UNPARSEABLE.ordinal()],
                    kinds[ScoreFailure.Kind.CALL_FAILED.ordinal()],
                    kinds[ScoreFailure.Kind.NO_CONTENT_PROBE.ordinal()],
                    kinds[ScoreFailure.Kind.CANCELLED.ordinal()],
                    cancelled,
                    Duration.ofNanos(ticker.read() - start));
            return new EngineResult(perPrompt, all, summary);
        }
    }

    /** Builds an {@link Engine}. */
    public static final class Builder {
        private final Judge judge;
        private int concurrency = 4;
        private AdaptiveLimit limit;
        private Set<Suite> suites = Suite.DEFAULTS;
        private Executor executor;
        private ProgressListener progress;
        private Ticker ticker = Ticker.system();
        private int scoringThreads = 1;

        private Builder(Judge judge) {
            this.judge = judge;
        }

        /**
         * Follows the provider's rate limits within {@link #concurrency}: judge calls also wait for
         * a place in {@code value}, which shrinks on 429s and grows back (give the same object to
         * the judge's {@code HttpBackend.Builder.observer}).
         *
         * @param value the adaptive limit; null for none (the default)
         * @return this builder
         */
        public Builder limit(AdaptiveLimit value) {
            this.limit = value;
            return this;
        }

        /**
         * At most this many judge calls at once; default 4 (go-ml's).
         *
         * @param value at most this many judge calls at once; default 4 (go-ml's)
         * @return this builder
         */
        public Builder concurrency(int value) {
            if (value <= 0) throw new IllegalArgumentException("concurrency must be at least 1, got " + value);
            this.concurrency = value;
            return this;
        }

        /**
         * The suites to run; default {@link Suite#DEFAULTS} (heuristic, exact). Parse go-ml's
         * strings with {@link Suite#parse}.
         *
         * @param value engine suites ({@link Suite#isEngineSuite()}); may be empty
         * @return this builder
         * @throws IllegalArgumentException for a suite that runs within another (truthfulqa,
         *     donotanswer, toxigen: ask for standard) or is not an engine suite (capability)
         */
        public Builder suites(Collection<Suite> value) {
            Set<Suite> copy = EnumSet.noneOf(Suite.class);
            for (Suite s : value) {
                if (!Objects.requireNonNull(s, "suite").isEngineSuite())
                    throw new IllegalArgumentException("suite " + s.wireName() + " is not an engine suite"
                            + s.within()
                                    .map(w -> " (it runs within " + w.wireName() + ")")
                                    .orElse("")
                            + "; engine suites: " + Suite.names(Suite.ALL));
                copy.add(s);
            }
            this.suites = Collections.unmodifiableSet(copy);
            return this;
        }

        /**
         * The suites to run; see {@link #suites(Collection)}.
         *
         * @param value engine suites
         * @return this builder
         */
        public Builder suites(Suite... value) {
            return suites(List.of(value));
        }

        /**
         * Runs judge calls on this executor (not shut down by the engine); default: a pool of
         * {@code concurrency} daemon threads per run.
         *
         * @param value the executor; the caller shuts it down
         * @return this builder
         */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * Reports progress (called from judge threads).
         *
         * @param value the listener
         * @return this builder
         */
        public Builder progress(ProgressListener value) {
            this.progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /**
         * What measures {@link RunSummary#elapsed()}; default {@link Ticker#system()}.
         *
         * @param value the ticker
         * @return this builder
         */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * Threads that decode and score a {@link ResponseReader}'s lines when no suite needs a
         * judge ({@link #scoreAll(ResponseReader)}); default 1 (the calling thread alone). The
         * result does not depend on it.
         *
         * @param value at least 1; {@code ml score} gives the number of available processors
         * @return this builder
         */
        public Builder scoringThreads(int value) {
            if (value <= 0) throw new IllegalArgumentException("scoring threads must be at least 1, got " + value);
            this.scoringThreads = value;
            return this;
        }

        /**
         * The engine.
         *
         *
         * @return the engine
         * @throws IllegalArgumentException for judge suites without a judge
         */
        public Engine build() {
            return new Engine(this);
        }
    }
}
