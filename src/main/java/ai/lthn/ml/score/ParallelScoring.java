package ai.lthn.ml.score;

import ai.lthn.ml.Ticker;
import ai.lthn.ml.internal.GoUtf8;
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
 * calling thread reads the input in stretches of whole lines ({@link ResponseReader.Slab}, about
 * {@value #SLAB_BYTES} bytes, not split or copied again), worker threads split, decode and score
 * whole stretches, and the calling thread takes the results back in input order, so the scores —
 * and the averages go-ml sums in input order — are the sequential run's, bit for bit. At most
 * {@code 2 × threads + 2} stretches are held at once (their arrays are reused), so memory does
 * not grow with the file beyond the score records. The first bad line in input order fails the
 * run, as it does sequentially, named by its line in the file (a worker knows only its line
 * within the stretch: the calling thread scores that line again with its number, which gives the
 * same failure, rightly named). An interrupt of the calling thread cancels the run and returns
 * what was scored. Scores are kept as {@link CompactScores} columns. With one thread every line is
 * scored on the calling thread, where the reader holds it.
 */
final class ParallelScoring {
    /** How often (in lines) the one-thread run reports progress and looks for an interrupt. */
    static final int PROGRESS_LINES = 512;

    /** The size of a stretch of lines handed to a worker. */
    static final int SLAB_BYTES = 512 * 1024;

    /**
     * How many model names a scoring thread keeps to look up without a copy (a file of more
     * models looks the rest up in the shared map, one string per line).
     */
    private static final int MODELS_KEPT = 64;

    private static final Logger LOG = LoggerFactory.getLogger(ParallelScoring.class);
    private static final ThreadFactory SCORING_THREADS = Threads.daemonFactory("lthn-ml-score-");

    private final Set<Suite> suites;
    private final int threads;
    private final Ticker ticker;
    private final LongConsumer progress;
    private final Map<String, String> models = new ConcurrentHashMap<>();
    private final ThreadLocal<LineScorer> scorers = ThreadLocal.withInitial(LineScorer::new);

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
        /** Lines of the input taken back so far, blank ones included. */
        long lines;

        void add(PromptScore p) {
            byModel.computeIfAbsent(p.model(), CompactScores::new).append(p);
            size++;
        }
    }

    /**
     * One scored stretch: the scores of its lines up to the first that failed; how many lines it
     * held (up to that one); and that line's failure (null when none), where it lies, and whether
     * it was too long.
     */
    private record Scored(
            ResponseReader.Slab slab,
            List<PromptScore> scores,
            int lines,
            RuntimeException failure,
            int failedFrom,
            int failedTo,
            boolean oversized) {
        boolean failed() {
            return failure != null || oversized;
        }
    }

    EngineResult run(ResponseReader reader) {
        long start = ticker.read();
        Collected scores = new Collected();
        if (threads == 1) {
            boolean cancelled = runHere(reader, scores);
            return result(scores, cancelled, start);
        }
        String source = reader.source();
        ArrayDeque<Future<Scored>> inFlight = new ArrayDeque<>();
        ArrayDeque<byte[]> free = new ArrayDeque<>();
        int window = 2 * threads + 2;
        boolean cancelled = false;
        ExecutorService pool = Executors.newFixedThreadPool(threads, SCORING_THREADS);
        try {
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    cancelled = true;
                    break;
                }
                ResponseReader.Slab slab;
                try {
                    byte[] into = free.poll();
                    slab = reader.readSlab(into == null ? new byte[SLAB_BYTES] : into);
                } catch (RuntimeException e) {
                    // Lines before the failed read may hold an earlier failure: theirs is reported first.
                    cancelled = !collectAll(inFlight, scores, free, source);
                    if (cancelled) break;
                    throw e;
                }
                if (slab == null) break;
                if (slab.oversized()) { // the next line is 1 MiB or more: the lines before it first
                    cancelled = !collectAll(inFlight, scores, free, source);
                    if (cancelled) break;
                    throw ResponseReader.oversized(source, scores.lines + 1);
                }
                inFlight.add(pool.submit(() -> score(slab, source)));
                if (inFlight.size() >= window && !collect(inFlight.poll(), scores, free, source)) {
                    cancelled = true;
                    break;
                }
            }
            if (!cancelled) cancelled = !collectAll(inFlight, scores, free, source);
        } finally {
            stop(pool);
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
            if (scores.size % PROGRESS_LINES == 0) {
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
     * {@link #collect} for every stretch in flight, in order.
     *
     * @return false when the calling thread was interrupted while waiting
     */
    private boolean collectAll(
            ArrayDeque<Future<Scored>> inFlight, Collected scores, ArrayDeque<byte[]> free, String source) {
        while (!inFlight.isEmpty()) {
            if (!collect(inFlight.poll(), scores, free, source)) return false;
        }
        return true;
    }

    /**
     * Waits for a stretch and appends its scores; throws its failure, named by its line in the
     * file. The stretch's array goes back to {@code free}.
     *
     * @return false when the calling thread was interrupted while waiting
     */
    private boolean collect(Future<Scored> next, Collected scores, ArrayDeque<byte[]> free, String source) {
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
        if (s.failed()) {
            long line = scores.lines + s.lines();
            if (s.oversized()) throw ResponseReader.oversized(source, line);
            // the same line again, with its number in the file: the same failure, rightly named
            new LineScorer().score(s.slab().bytes(), s.failedFrom(), s.failedTo(), source, line);
            throw s.failure(); // not reached: scoring a line is deterministic
        }
        scores.lines += s.lines();
        free.push(s.slab().bytes());
        progress.accept(scores.size);
        return true;
    }

    /** Splits a stretch into lines (as {@link ResponseReader} does) and scores them; on a worker. */
    private Scored score(ResponseReader.Slab slab, String source) {
        byte[] b = slab.bytes();
        int length = slab.length();
        List<PromptScore> out = new ArrayList<>(length / 1024 + 16);
        LineScorer scorer = scorers.get();
        int line = 0;
        for (int pos = 0; pos < length; ) {
            int newline = GoUtf8.indexOf(b, pos, length, (byte) '\n');
            int end = newline < 0 ? length : newline;
            line++;
            if (end - pos >= ResponseReader.MAX_LINE_BYTES) return new Scored(slab, out, line, null, pos, end, true);
            int to = ResponseReader.withoutCr(b, pos, end);
            int from = GoUtf8.trimStart(b, pos, to);
            to = GoUtf8.trimEnd(b, from, to);
            if (from < to) {
                try {
                    out.add(scorer.score(b, from, to, source, line));
                } catch (RuntimeException e) {
                    return new Scored(slab, out, line, e, from, to, false);
                }
            }
            pos = end + 1;
        }
        return new Scored(slab, out, line, null, 0, 0, false);
    }

    /** Scores lines one after another on one thread, reusing its decoder and scratch space. */
    private final class LineScorer {
        private final boolean heuristic = suites.contains(Suite.HEURISTIC);
        private final boolean exact = suites.contains(Suite.EXACT);
        private final LineDecoder line = new LineDecoder();
        private final HeuristicScorer.Scratch scratch = new HeuristicScorer.Scratch();
        /** Model names met so far on this thread, as bytes and as the one shared string. */
        private byte[][] modelBytes = new byte[8][];

        private String[] modelNames = new String[8];
        private int modelCount;

        /**
         * Scores the trimmed line {@code b[from, to)}.
         *
         * @throws InvalidInputException naming the file and line, for a line that is not a response
         */
        PromptScore score(byte[] b, int from, int to, String source, long lineNumber) {
            if (!line.decode(b, from, to)) return score(ResponseReader.bind(b, from, to, source, lineNumber));
            String id = line.string(LineDecoder.ID);
            line.utf8(LineDecoder.MODEL);
            String model = model(line.bytes(), line.bytesFrom(), line.bytesTo());
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
            return new PromptScore(id, model, heuristicScores, null, null, exactScores);
        }

        /**
         * The model named by UTF-8 {@code b[from, to)}: found without a copy among the names this
         * thread has met (lines of several models often alternate), else made once and shared
         * across threads.
         */
        private String model(byte[] b, int from, int to) {
            for (int i = modelCount - 1; i >= 0; i--) {
                byte[] known = modelBytes[i];
                if (Arrays.equals(b, from, to, known, 0, known.length)) return modelNames[i];
            }
            byte[] bytes = Arrays.copyOfRange(b, from, to);
            String name = models.computeIfAbsent(new String(bytes, StandardCharsets.UTF_8), k -> k);
            if (modelCount < MODELS_KEPT) {
                if (modelCount == modelBytes.length) {
                    modelBytes = Arrays.copyOf(modelBytes, modelCount * 2);
                    modelNames = Arrays.copyOf(modelNames, modelCount * 2);
                }
                modelBytes[modelCount] = bytes;
                modelNames[modelCount++] = name;
            }
            return name;
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
