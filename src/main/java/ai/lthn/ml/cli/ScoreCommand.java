package ai.lthn.ml.cli;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.score.AdaptiveLimit;
import ai.lthn.ml.score.Budget;
import ai.lthn.ml.score.CallCache;
import ai.lthn.ml.score.Engine;
import ai.lthn.ml.score.EngineResult;
import ai.lthn.ml.score.HeuristicScorer;
import ai.lthn.ml.score.Judge;
import ai.lthn.ml.score.Ledger;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.ResponseReader;
import ai.lthn.ml.score.RunSummary;
import ai.lthn.ml.score.ScoreFailure;
import ai.lthn.ml.score.ScorerOutput;
import ai.lthn.ml.score.Suite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ml score}: scores a JSONL file of responses and writes go-ml's ScorerOutput JSON. Reads
 * the file as a stream: only the compact score records are kept, and a response text only while
 * its judge calls are in flight. With {@code heuristic,exact} (the default) it needs no judge and
 * no network.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = "Score a JSONL file of model responses (go-ml's Response shape).")
final class ScoreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "JSONL file of responses")
    Path input;

    @Option(
            names = "--suites",
            defaultValue = "heuristic,exact", // Suite.DEFAULTS
            description = "\"all\" or a comma-separated list of heuristic, semantic, content, standard, exact"
                    + " (default: ${DEFAULT-VALUE}; semantic, content and standard need --judge-url)")
    String suites;

    @Option(names = "--output", description = "Write the ScorerOutput JSON here (atomically)")
    Path output;

    @Option(
            names = "--concurrency",
            defaultValue = "4",
            description = "Judge calls in flight at most (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "Threads that decode and score heuristic and exact (default: 0 = one per available"
                    + " processor); the output does not depend on it")
    int threads;

    @picocli.CommandLine.ParentCommand
    Main main; // --judge-url, --judge-model

    private String judgeUrl;
    private String judgeModel;

    @Option(
            names = "--judge-json",
            description = "Ask the judge for JSON mode (response_format json_object); go-ml did not")
    boolean judgeJson;

    @Option(
            names = "--judge-reask",
            description = "Ask the judge once more, for the JSON alone, when a reply cannot be read; go-ml did not")
    boolean judgeReask;

    @Option(
            names = "--judge-timeout",
            defaultValue = "300",
            description = "Seconds one judge call may take (default: ${DEFAULT-VALUE})")
    int judgeTimeout;

    @Option(
            names = "--resume",
            description = "Reuse the judge calls the ledger recorded (after a crash or Ctrl-C): no completed"
                    + " call is made again, and the output is the same as an uninterrupted run's")
    boolean resume;

    @Option(names = "--retry-failed", description = "With --resume: redo the judge calls that failed")
    boolean retryFailed;

    @Option(
            names = "--ledger",
            description = "The run's ledger of judge calls (default: the output file's name + .ledger)")
    Path ledgerPath;

    @Option(names = "--pricing", description = "JSON prices per million tokens by model (for cost and --max-cost)")
    Path pricing;

    @Option(
            names = "--max-cost",
            defaultValue = "0",
            description = "Stop the run (resumable) once the judge calls cost more than this; needs --pricing")
    double maxCost;

    @Option(
            names = "--max-tokens-total",
            defaultValue = "0",
            description = "Stop the run (resumable) once the judge calls used more tokens than this")
    long maxTokensTotal;

    @Option(
            names = "--judge-temperature",
            defaultValue = "0.1",
            description = "The judge's temperature (default: ${DEFAULT-VALUE}, go-ml's); at 0 its replies are cached"
                    + " across runs")
    double judgeTemperature;

    @Option(
            names = "--cache",
            description = "The cross-run cache of temperature-0 judge replies (default:"
                    + " ~/.cache/lthn-ml/judge-calls.jsonl)")
    Path cachePath;

    @Option(names = "--no-cache", description = "Do not use the cross-run judge cache")
    boolean noCache;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        judgeUrl = main.judgeUrl();
        judgeModel = main.judgeModel;
        Judge judge = null;
        Ledger ledger = null;
        AdaptiveLimit limit = null;
        Budget budget = null;
        CallCache cache = null;
        Thread caller = Thread.currentThread();
        if (judgeUrl != null && !judgeUrl.isBlank()) {
            if (maxCost > 0 && pricing == null)
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-cost needs --pricing");
            limit = new AdaptiveLimit(Math.max(1, concurrency));
            budget = new Budget(
                    pricing == null ? null : Budget.Price.fromFile(pricing, judgeModel),
                    maxCost,
                    maxTokensTotal,
                    caller::interrupt); // cancels the run: what is scored and recorded is kept
            HttpBackend backend = HttpBackend.builder(judgeUrl, judgeModel)
                    .timeout(Duration.ofSeconds(judgeTimeout))
                    .observer(ai.lthn.ml.CallObserver.both(limit, budget))
                    .build();
            Path ledgerFile = ledgerPath != null
                    ? ledgerPath
                    : output == null ? null : output.resolveSibling(output.getFileName() + ".ledger");
            if (ledgerFile != null)
                ledger = Ledger.open(
                        ledgerFile,
                        "judge_model=" + judgeModel + " judge_url=" + backend.baseUrl() + " json=" + judgeJson
                                + " reask=" + judgeReask,
                        resume,
                        retryFailed);
            ai.lthn.ml.Backend judged = backend;
            if (judgeTemperature == 0 && !noCache) {
                Path file = cachePath != null
                        ? cachePath
                        : Path.of(System.getProperty("user.home"), ".cache", "lthn-ml", "judge-calls.jsonl");
                cache = CallCache.open(file, "judge_model=" + judgeModel + " judge_url=" + backend.baseUrl(), 100_000);
                judged = cache.wrap(backend);
            }
            judge = Judge.builder(ledger == null ? judged : ledger.wrap(judged))
                    .temperature(judgeTemperature)
                    .jsonMode(judgeJson)
                    .reask(judgeReask)
                    .describedAs(judgeModel, backend.baseUrl())
                    .build();
        }
        Set<Suite> suiteSet = Suite.parse(suites);
        List<String> needJudge =
                suiteSet.stream().filter(Suite::needsJudge).map(Suite::wireName).toList();
        if (judge == null && !needJudge.isEmpty())
            throw new IllegalArgumentException("suites " + needJudge + " need a judge: pass --judge-url");
        Engine.Builder builder = Engine.builder(judge)
                .suites(suiteSet)
                .concurrency(concurrency)
                .limit(limit)
                .scoringThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        Progress progress = Progress.forTerminal(err);
        if (progress != null) builder.progress(progress);
        Engine engine = builder.build();
        EngineResult result;
        try (ResponseReader reader = ResponseReader.open(input)) {
            result = engine.scoreAll(reader);
        } finally {
            if (ledger != null) ledger.close();
            if (cache != null) cache.close();
        }
        if (cache != null && cache.hits() > 0)
            err.printf("ml: %d judge replies from the cache (--no-cache to ask again)%n", cache.hits());
        if (ledger != null && resume) err.printf("ml: %d judge calls reused from the ledger%n", ledger.reused());
        if (budget != null && budget.promptTokens() + budget.completionTokens() > 0)
            err.printf(
                    "ml: judge tokens: %d prompt + %d completion%s%n",
                    budget.promptTokens(),
                    budget.completionTokens(),
                    budget.priced() ? String.format(java.util.Locale.ROOT, " = %.4f", budget.cost()) : "");
        if (limit != null && limit.lowest() < concurrency)
            err.printf("ml: the judge rate-limited us: concurrency went down to %d%n", limit.lowest());
        if (budget != null && budget.exceeded()) {
            Thread.interrupted(); // the cancellation was ours
            err.printf(
                    "ml: stopped: the %s limit was reached; nothing was written. Run again with --resume (and a"
                            + " higher limit) to finish without repeating a call%n",
                    maxCost > 0 && budget.cost() > maxCost ? "--max-cost" : "--max-tokens-total");
            return 1;
        }
        if (progress != null) progress.finish();
        List<String> suiteList = new ArrayList<>();
        for (String s : suites.split(",")) if (!s.strip().isEmpty()) suiteList.add(s.strip());
        ScorerOutput doc = result.toOutput(ScorerOutput.Metadata.now(
                judge == null ? "" : judge.model(),
                judge == null ? "" : judge.url(),
                suiteList.isEmpty() ? null : suiteList)); // Go: nil
        RunSummary summary = result.summary();
        boolean everyJudgeCallFailed = summary.judgeCalls() > 0 && summary.judged() == 0;
        // only exact match and the judge's replies carry standard scores: otherwise no record need be looked at
        boolean standard = suiteSet.contains(Suite.EXACT) || suiteSet.stream().anyMatch(Suite::needsJudge);
        boolean writing = output != null && !everyJudgeCallFailed;
        // the table is made while the file is written (on another processor, if there is one)
        FutureTask<String> table = new FutureTask<>(() -> table(result, doc.modelAverages(), standard));
        if (writing && Runtime.getRuntime().availableProcessors() > 1) {
            ai.lthn.ml.internal.Threads.daemonFactory("lthn-ml-table-")
                    .newThread(table)
                    .start();
        }
        if (writing) {
            doc.write(output);
            if (budget != null)
                budget.usage(judgeModel).write(output.resolveSibling(output.getFileName() + ".usage.json"));
        }
        table.run(); // does nothing if the other thread ran it
        out.print(done(table));
        out.flush(); // before any message on standard error
        printFailures(err, result);
        if (summary.wasCancelled()) return 130;
        if (everyJudgeCallFailed) {
            err.printf(
                    "ml: every judge call failed (%d)%s%n",
                    summary.judgeCalls(),
                    output == null ? "" : "; " + output + " was not written (a previous file there is kept)");
            return 1;
        }
        // Some judge calls gave no scores (printFailures said how many): the file holds the rest.
        return summary.unparseable() + summary.callFailures() + summary.cancelled() > 0 ? 1 : 0;
    }

    /**
     * For {@code ml score} on more than one processor: builds the heuristic scorer's tables (its
     * word lists and patterns, ~20 ms) on a second thread while the command line is parsed, instead
     * of on the first scoring thread, where the others wait for it, and reads the time zone
     * database the score file's time needs (~5 ms, else paid after the scoring). Nothing is shared but what the
     * classes build once; a failure here is left for the run itself to meet and report.
     *
     * @return the thread, or null when there is nothing to prepare
     */
    static Thread prepareInBackground(String[] args) {
        if (Runtime.getRuntime().availableProcessors() < 2) return null;
        if (!List.of(ScoreCommand.class).equals(CommandTree.needed(args))) return null;
        Thread t = ai.lthn.ml.internal.Threads.daemonFactory("lthn-ml-prepare-").newThread(() -> {
            try {
                HeuristicScorer.score("I think. ## A story, therefore.");
                // the clock's zone (the time zone database) and the date format, met again at the end
                ScorerOutput.Metadata.now("", "", null);
            } catch (RuntimeException | LinkageError e) {
                // the run builds them again and reports the failure
            }
        });
        t.start();
        return t;
    }

    /**
     * Refuses, before any work, what would make the run useless or destructive: no suites, an
     * input that is not a readable file, an output that is the input or cannot be written.
     */
    private void checkArguments() {
        if (suites.strip().isEmpty() || suites.chars().allMatch(c -> c == ',' || Character.isWhitespace(c))) {
            throw new ParameterException(spec.commandLine(), "--suites is empty: name at least one suite");
        }
        if (threads < 0) throw new ParameterException(spec.commandLine(), "--threads must be 0 (all) or more");
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) { // go-ml: exit 1
            throw new MlIOException(
                    "open " + input + ": " + (Files.exists(input) ? "not a readable file" : "no such file"),
                    (java.io.IOException) null);
        }
        if (output == null) return;
        if (sameFile(input, output)) {
            throw new ParameterException(
                    spec.commandLine(), "--output " + output + " is the input file; choose another path");
        }
        ScorerOutput.checkWritable(output);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(b)) return Files.isSameFile(a, b);
            Path realParent = b.toAbsolutePath().getParent();
            if (realParent == null || !Files.isDirectory(realParent)) return false;
            return a.toRealPath().equals(realParent.toRealPath().resolve(b.getFileName()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The summary table, padded by hand: {@code java.util.Formatter}'s first use costs ~16 ms
     * (locale data), a tenth of a small run's start-up.
     */
    /** What {@code task} (run, or running) made; its failure thrown as it was. */
    private static String done(FutureTask<String> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the table is moments away: finish it, keep the interrupt
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static String table(EngineResult result, Map<String, Map<String, Double>> avg, boolean standard) {
        Map<String, List<PromptScore>> perPrompt = new TreeMap<>(result.perPrompt());
        String nl = System.lineSeparator();
        StringBuilder table = new StringBuilder();
        table.append(
                "Scored " + result.summary().prompts() + " responses from " + perPrompt.size() + " models" + nl + nl);
        boolean semantic = avg.values().stream().anyMatch(m -> m.containsKey("sovereignty"));
        row(table, "MODEL", "PROMPTS", "LEK", "COMPLIANCE", "DEGEN", "EXACT", semantic ? "SOVEREIGNTY" : null);
        for (var e : perPrompt.entrySet()) {
            Map<String, Double> a = avg.getOrDefault(e.getKey(), Map.of());
            int correct = 0;
            int judged = 0;
            if (standard)
                for (PromptScore ps : e.getValue())
                    if (ps.standard() != null && ps.standard().correct() != null) {
                        judged++;
                        if (ps.standard().correct()) correct++;
                    }
            row(
                    table,
                    e.getKey().isEmpty() ? "(none)" : Terminal.safe(e.getKey()),
                    String.valueOf(e.getValue().size()),
                    fmt(a.get("lek_score")),
                    fmt(a.get("compliance_markers")),
                    fmt(a.get("degeneration")),
                    judged == 0 ? "-" : correct + "/" + judged,
                    semantic ? fmt(a.get("sovereignty")) : null);
        }
        return table.toString();
    }

    /** One line of the table: {@code %-32s %7s %9s %10s %10s %10s} and, when semantic, {@code  %11s}. */
    private static void row(
            StringBuilder b,
            String model,
            String prompts,
            String lek,
            String compliance,
            String degen,
            String exact,
            String sovereignty) {
        b.append(Terminal.left(model, 32))
                .append(' ')
                .append(Terminal.right(prompts, 7))
                .append(' ')
                .append(Terminal.right(lek, 9))
                .append(' ')
                .append(Terminal.right(compliance, 10))
                .append(' ')
                .append(Terminal.right(degen, 10))
                .append(' ')
                .append(Terminal.right(exact, 10));
        if (sovereignty != null) b.append(' ').append(Terminal.right(sovereignty, 11));
        b.append(System.lineSeparator());
    }

    private static void printFailures(PrintWriter err, EngineResult result) {
        RunSummary s = result.summary();
        if (s.failures() == 0 && !s.wasCancelled()) return;
        err.printf(
                "ml: %d of %d judge calls gave no scores: %d unreadable replies, %d failed calls, %d cancelled,"
                        + " %d content responses without a probe%s%n",
                s.failures(),
                s.judgeCalls() + s.skipped(),
                s.unparseable(),
                s.callFailures(),
                s.cancelled(),
                s.skipped(),
                s.wasCancelled() ? " (run cancelled)" : "");
        int shown = 0;
        for (ScoreFailure f : result.failures()) {
            if (shown++ == 5) {
                err.printf("  ... and %d more%n", result.failures().size() - 5);
                break;
            }
            err.printf(
                    "  %s %s [%s] %s%n",
                    Terminal.safe(f.model()),
                    Terminal.safe(f.id()),
                    f.suite().wireName(),
                    Terminal.safe(f.message().lines().findFirst().orElse("")));
        }
        err.flush();
    }

    /** Go's {@code %.2f} (the exact value rounded half to even: 1.125 is 1.12), or "-". */
    private static String fmt(Double d) {
        return d == null ? "-" : ai.lthn.ml.internal.GoFloats.fixed(d, 2);
    }

    /** Progress on stderr, only when a terminal is attached, at most five updates a second. */
    static final class Progress implements Engine.ProgressListener {
        private final PrintWriter err;
        private long lastPrint;

        private Progress(PrintWriter err) {
            this.err = err;
        }

        static Progress forTerminal(PrintWriter err) {
            return isTerminal() ? new Progress(err) : null;
        }

        /**
         * Whether a terminal is attached. Before JDK 22 that is {@code System.console() != null};
         * JDK 22 to 24 return a console for redirected streams too, and say so by {@code
         * Console.isTerminal()} (not in the Java 17 API, so looked up).
         */
        static boolean isTerminal() {
            java.io.Console console = System.console();
            if (console == null) return false;
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        @Override
        public synchronized void onProgress(long done, long total) {
            long now = System.nanoTime();
            if (now - lastPrint < 200_000_000L) return;
            lastPrint = now;
            err.print(total > 0 ? "\rscored " + done + "/" + total : "\rscored " + done);
            err.flush();
        }

        synchronized void finish() {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
