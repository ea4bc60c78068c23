package ai.lthn.ml.score;

import ai.lthn.ml.Ticker;
import ai.lthn.ml.internal.Threads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run of the suites that need no judge (heuristic, exact) over a file on one or more threads: the
 * calling thread cuts the input into batches of raw lines, worker threads decode and score whole
 * batches, and the calling thread takes the results back in input order, so the scores — and the
 * averages go-ml sums in input order — are the sequential run's, bit for bit. At most {@code
 * 2 × threads + 2} batches (≤ {@value #BATCH_BYTES} bytes of lines each, plus one line) are held at
 * once, so memory does not grow with the file beyond the score records. The first bad line in
 * input order fails the run, as it does sequentially; an interrupt of the calling thread cancels
 * it and returns what was scored. Scores are kept as {@link CompactScores} columns. With one thread
 * every batch is scored on the calling thread.
 */
final class ParallelScoring {
    static final int BATCH_LINES = 512;
    static final int BATCH_BYTES = 512 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ParallelScoring.class);
    private static final ThreadFactory SCORING_THREADS = Threads.daemonFactory("lthn-ml-score-");

    private final Set<Suite> suites;
    private final int threads;
    private final Ticker ticker;
    private final LongConsumer progress;
    private final Map<String, String> models = new ConcurrentHashMap<>();

    ParallelScoring(Set<Suite> suites, int threads, Ticker ticker, LongConsumer progress) {
        this.suites = suites;
        this.threads = threads;
        this.ticker = ticker;
        this.progress = progress;
    }

    /** The scores taken back so far, in input order, per model, held compactly. */
    private static final class Collected {
        final Map<String, CompactScores> byModel = new LinkedHashMap<>();
        long size;

        void add(PromptScore p) {
            byModel.computeIfAbsent(p.model(), CompactScores::new).append(p);
            size++;
        }
    }

    /** One scored batch: the scores of its lines up to the first that failed, and that failure. */
    private record Scored(List<PromptScore> scores, RuntimeException failure) {}

    EngineResult run(ResponseReader reader) {
        long start = ticker.read();
        Collected scores = new Collected();
        if (threads == 1) {
            boolean cancelled = runHere(reader, scores);
            return result(scores, cancelled, start);
        }
        ArrayDeque<Future<Scored>> inFlight = new ArrayDeque<>();
        int window = 2 * threads + 2;
        boolean cancelled = false;
        // One thread: batches are scored on the calling thread, no pool.
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, SCORING_THREADS);
        try {
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    cancelled = true;
                    break;
                }
                ResponseReader.LineBatch batch;
                try {
                    batch = reader.readBatch(BATCH_LINES, BATCH_BYTES);
                } catch (RuntimeException e) {
                    // Lines before this one may hold an earlier failure: theirs is reported first.
                    while (!inFlight.isEmpty()) {
                        if (!collect(inFlight.poll(), scores)) {
                            cancelled = true;
                            break;
                        }
                    }
                    if (cancelled) break;
                    throw e;
                }
                if (batch == null) break;
                inFlight.add(
                        pool == null
                                ? CompletableFuture.completedFuture(score(batch))
                                : pool.submit(() -> score(batch)));
                if (inFlight.size() >= window && !collect(inFlight.poll(), scores)) {
                    cancelled = true;
                    break;
                }
            }
            while (!cancelled && !inFlight.isEmpty()) {
                if (!collect(inFlight.poll(), scores)) cancelled = true;
            }
        } finally {
            if (pool != null) stop(pool);
        }
        return result(scores, cancelled, start);
    }

    private EngineResult result(Collected scores, boolean cancelled, long start) {
        if (cancelled) Thread.currentThread().interrupt();
        Map<String, List<PromptScore>> perPrompt = new LinkedHashMap<>(scores.byModel);
        RunSummary summary =
                new RunSummary(scores.size, 0, 0, 0, 0, 0, 0, cancelled, Duration.ofNanos(ticker.read() - start));
        return new EngineResult(perPrompt, List.of(), summary);
    }

    /**
     * One thread: each line is scored where the reader holds it, with no batch copy.
     *
     * @return whether the calling thread was interrupted
     */
    private boolean runHere(ResponseReader reader, Collected scores) {
        LineScorer scorer = new LineScorer();
        while (true) {
            if (scores.size % BATCH_LINES == 0) { // as often as the threads' path looks
                if (scores.size > 0) progress.accept(scores.size);
                if (Thread.currentThread().isInterrupted()) return true;
            }
            if (!reader.nextNonBlank()) break;
            scores.add(scorer.score(
                    reader.buffer(), reader.lineFrom(), reader.lineTo(), reader.source(), reader.lineNumber()));
        }
        progress.accept(scores.size);
        return false;
    }

    /**
     * Stops the workers and waits (bounded) until none is left scoring a batch, so no thread of the
     * run outlives it; an interrupt while waiting is kept for the caller.
     */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("scoring threads still busy after 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for a batch and appends its scores; rethrows its failure.
     *
     * @return false when the calling thread was interrupted while waiting
     */
    private boolean collect(Future<Scored> next, Collected scores) {
        Scored s;
        try {
            s = next.get();
        } catch (InterruptedException e) {
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
        for (PromptScore p : s.scores()) scores.add(p);
        if (s.failure() != null) throw s.failure();
        progress.accept(scores.size);
        return true;
    }

    private Scored score(ResponseReader.LineBatch batch) {
        List<PromptScore> out = new ArrayList<>(batch.size);
        LineScorer scorer = new LineScorer();
        for (int i = 0; i < batch.size; i++) {
            try {
                out.add(scorer.score(batch.bytes, batch.from[i], batch.to[i], batch.source, batch.lineNumber[i]));
            } catch (RuntimeException e) {
                return new Scored(out, e);
            }
        }
        return new Scored(out, null);
    }

    /** Scores lines one after another on one thread, reusing its decoder and scratch space. */
    private final class LineScorer {
        private final boolean heuristic = suites.contains(Suite.HEURISTIC);
        private final boolean exact = suites.contains(Suite.EXACT);
        private final LineDecoder line = new LineDecoder();
        private final HeuristicScorer.Scratch scratch = new HeuristicScorer.Scratch();
        private byte[] lastModelBytes;
        private String lastModel;

        /**
         * Scores the trimmed line {@code b[from, to)}.
         *
         * @throws InvalidInputException naming the file and line, for a line that is not a response
         */
        PromptScore score(byte[] b, int from, int to, String source, long lineNumber) {
            if (!line.decode(b, from, to)) return score(ResponseReader.bind(b, from, to, source, lineNumber));
            String id = line.string(LineDecoder.ID);
            line.utf8(LineDecoder.MODEL);
            if (lastModelBytes == null
                    || !Arrays.equals(
                            line.bytes(), line.bytesFrom(), line.bytesTo(), lastModelBytes, 0, lastModelBytes.length)) {
                lastModelBytes = Arrays.copyOfRange(line.bytes(), line.bytesFrom(), line.bytesTo());
                String m = new String(lastModelBytes, StandardCharsets.UTF_8);
                lastModel = models.computeIfAbsent(m, k -> k); // one copy per model name
            }
            StandardScores exactScores = null;
            if (exact) {
                String correct = line.string(LineDecoder.CORRECT_ANSWER);
                if (!correct.isEmpty()) {
                    exactScores = StandardScores.exact(ExactMatch.score(line.string(LineDecoder.RESPONSE), correct));
                }
            }
            HeuristicScores heuristicScores = null;
            if (heuristic) {
                line.utf8(LineDecoder.RESPONSE);
                heuristicScores = HeuristicScorer.score(line.bytes(), line.bytesFrom(), line.bytesTo(), scratch);
            }
            return new PromptScore(id, lastModel, heuristicScores, null, null, exactScores);
        }

        /** The scores of a line data binding decoded (the string path of the same scorers). */
        private PromptScore score(Response r) {
            HeuristicScores h = heuristic ? HeuristicScorer.score(r.response()) : null;
            StandardScores x = exact && !r.correctAnswer().isEmpty()
                    ? StandardScores.exact(ExactMatch.score(r.response(), r.correctAnswer()))
                    : null;
            return new PromptScore(r.id(), models.computeIfAbsent(r.model(), m -> m), h, null, null, x);
        }
    }
}
