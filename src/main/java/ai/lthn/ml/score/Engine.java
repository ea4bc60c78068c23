package ai.lthn.ml.score;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.internal.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-ml's scoring engine: heuristic and exact scores computed at once, judge suites run
 * concurrently with at most {@code concurrency} judge calls in flight.
 *
 * <p>Suites as go-ml: {@code "all"} (exactly) enables heuristic, semantic, content, standard and
 * exact; otherwise a comma-separated list of those names, verbatim. {@code content} scores only
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
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** The suites {@code "all"} enables, in go-ml's order. */
    public static final List<String> ALL_SUITES = List.of("heuristic", "semantic", "content", "standard", "exact");

    private static final ThreadFactory JUDGE_THREADS = Threads.daemonFactory("lthn-ml-judge-");

    private static final Set<String> JUDGE_SUITES = Set.of("semantic", "content", "standard");

    private final Judge judge;
    private final int concurrency;
    private final Set<String> suites;
    private final Executor executor;
    private final ProgressListener progress;

    /**
     * Receives progress: prompts whose every suite has finished, of the total (-1 while unknown).
     * Called from judge threads and the calling thread; an exception it throws is logged and
     * ignored.
     */
    @FunctionalInterface
    public interface ProgressListener {
        void onProgress(long done, long total);
    }

    private Engine(Builder b) {
        this.judge = b.judge;
        this.concurrency = b.concurrency;
        this.suites = parseSuites(b.suites);
        this.executor = b.executor;
        this.progress = b.progress;
        List<String> needJudge = suites.stream().filter(JUDGE_SUITES::contains).toList();
        if (judge == null && !needJudge.isEmpty())
            throw new IllegalArgumentException("suites " + needJudge + " need a judge (none was given)");
    }

    /** A builder; {@code judge} may be null when only heuristic and exact run. */
    public static Builder builder(Judge judge) {
        return new Builder(judge);
    }

    /** The enabled suites, in go-ml's order. */
    public List<String> suiteNames() {
        return ALL_SUITES.stream().filter(suites::contains).toList();
    }

    /** The judge-call limit. */
    public int concurrency() {
        return concurrency;
    }

    /** go-ml's form: {@code Engine(concurrency=4, suites=[heuristic exact])}. */
    @Override
    public String toString() {
        return "Engine(concurrency=" + concurrency + ", suites=[" + String.join(" ", suiteNames()) + "])";
    }

    static Set<String> parseSuites(String list) {
        Objects.requireNonNull(list, "suites");
        if (list.equals("all")) return new LinkedHashSet<>(ALL_SUITES);
        Set<String> names = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) continue;
            if (!ALL_SUITES.contains(name))
                throw new IllegalArgumentException("unknown suite \"" + name + "\" (suites: all, "
                        + String.join(", ", ALL_SUITES)
                        + "; truthfulqa, donotanswer and toxigen run within standard)");
            names.add(name);
        }
        return names;
    }

    /** Scores every response of a list (the total is known for progress). */
    public EngineResult scoreAll(List<Response> responses) {
        return run(responses.iterator(), responses.size());
    }

    /**
     * Scores responses as the iterator yields them, so a file can be streamed; the iterator's
     * exceptions (bad input) propagate after calls in flight finish.
     */
    public EngineResult scoreAll(Iterator<Response> responses) {
        return run(responses, -1);
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
                if (suites.contains("heuristic")) slot.heuristic = HeuristicScorer.score(r.response());
                if (suites.contains("exact") && !r.correctAnswer().isEmpty())
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
                    slot.pending.incrementAndGet();
                    try {
                        exec.execute(() -> run.execute(task, slot, permits));
                    } catch (RejectedExecutionException e) {
                        permits.release();
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
    private record Task(String suite, Runnable call) {}

    /** The judge calls one response needs (a content response without a probe is recorded, not called). */
    private List<Task> tasks(Response r, Slot slot, Run run) {
        List<Task> tasks = new ArrayList<>(3);
        if (suites.contains("semantic"))
            tasks.add(new Task(
                    "semantic",
                    () -> run.record(slot, judge.semantic(r.prompt(), r.response()), s -> slot.semantic = s)));
        if (suites.contains("content") && r.domain().equals("content")) {
            var probe = ContentProbe.byId(r.id());
            if (probe.isEmpty())
                run.fail(
                        slot,
                        "content",
                        ScoreFailure.Kind.NO_CONTENT_PROBE,
                        "no content probe found for id " + r.id(),
                        "");
            else
                tasks.add(new Task(
                        "content",
                        () -> run.record(slot, judge.content(probe.get(), r.response()), s -> slot.content = s)));
        }
        if (suites.contains("standard")) {
            if (!r.bestAnswer().isEmpty())
                tasks.add(new Task(
                        "truthfulqa",
                        () -> run.record(
                                slot,
                                judge.truthfulQA(r.prompt(), r.bestAnswer(), r.response()),
                                s -> slot.truthfulQA = s)));
            if (!r.riskArea().isEmpty())
                tasks.add(new Task(
                        "donotanswer",
                        () -> run.record(
                                slot,
                                judge.doNotAnswer(r.prompt(), r.riskArea(), r.response()),
                                s -> slot.doNotAnswer = s)));
            if (r.domain().equals("toxigen"))
                tasks.add(new Task(
                        "toxigen",
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
        final long start = System.nanoTime();
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

        void execute(Task task, Slot slot, Semaphore permits) {
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
                    permits.release(); // always, or scoreAll would wait for this permit forever
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
                        f.suite() + " judge chat: " + f.cause().getMessage(),
                        "");
            }
        }

        void fail(Slot slot, String suite, ScoreFailure.Kind kind, String message, String reply) {
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
                    Duration.ofNanos(System.nanoTime() - start));
            return new EngineResult(perPrompt, all, summary);
        }
    }

    /** Builds an {@link Engine}. */
    public static final class Builder {
        private final Judge judge;
        private int concurrency = 4;
        private String suites = "all";
        private Executor executor;
        private ProgressListener progress;

        private Builder(Judge judge) {
            this.judge = judge;
        }

        /** At most this many judge calls at once; default 4 (go-ml's). */
        public Builder concurrency(int value) {
            if (value <= 0) throw new IllegalArgumentException("concurrency must be at least 1, got " + value);
            this.concurrency = value;
            return this;
        }

        /** The suites: "all" or a comma-separated list; default "all". */
        public Builder suites(String value) {
            this.suites = Objects.requireNonNull(value, "suites");
            return this;
        }

        /**
         * Runs judge calls on this executor (not shut down by the engine); default: a pool of
         * {@code concurrency} daemon threads per run.
         */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** Reports progress (called from judge threads). */
        public Builder progress(ProgressListener value) {
            this.progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /**
         * The engine.
         *
         * @throws IllegalArgumentException for unknown suites, or judge suites without a judge
         */
        public Engine build() {
            return new Engine(this);
        }
    }
}
