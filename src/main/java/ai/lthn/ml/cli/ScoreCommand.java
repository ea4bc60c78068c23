package ai.lthn.ml.cli;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.score.Engine;
import ai.lthn.ml.score.EngineResult;
import ai.lthn.ml.score.Judge;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.ResponseReader;
import ai.lthn.ml.score.RunSummary;
import ai.lthn.ml.score.ScoreFailure;
import ai.lthn.ml.score.ScorerOutput;
import ai.lthn.ml.score.Suite;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
            defaultValue = "heuristic,exact",
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

    @Option(names = "--judge-url", description = "OpenAI-compatible judge server, e.g. http://127.0.0.1:11434")
    String judgeUrl;

    @Option(
            names = "--judge-model",
            defaultValue = "gemma3:27b",
            description = "Judge model (default: ${DEFAULT-VALUE})")
    String judgeModel;

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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Judge judge = null;
        if (judgeUrl != null && !judgeUrl.isBlank()) {
            HttpBackend backend = HttpBackend.builder(judgeUrl, judgeModel)
                    .timeout(Duration.ofSeconds(judgeTimeout))
                    .build();
            judge = Judge.builder(backend)
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
        Engine.Builder builder = Engine.builder(judge).suites(suiteSet).concurrency(concurrency);
        Progress progress = Progress.forTerminal(err);
        if (progress != null) builder.progress(progress);
        Engine engine = builder.build();
        EngineResult result;
        try (ResponseReader reader = ResponseReader.open(input)) {
            result = engine.scoreAll(reader);
        }
        if (progress != null) progress.finish();
        List<String> suiteList = new ArrayList<>();
        for (String s : suites.split(",")) if (!s.strip().isEmpty()) suiteList.add(s.strip());
        ScorerOutput doc = result.toOutput(ScorerOutput.Metadata.now(
                judge == null ? "" : judge.model(),
                judge == null ? "" : judge.url(),
                suiteList.isEmpty() ? null : suiteList)); // Go: nil
        if (output != null) doc.write(output);
        printTable(out, result, doc.modelAverages());
        printFailures(err, result);
        return result.summary().wasCancelled() ? 130 : 0;
    }

    private static void printTable(PrintWriter out, EngineResult result, Map<String, Map<String, Double>> avg) {
        Map<String, List<PromptScore>> perPrompt = new TreeMap<>(result.perPrompt());
        out.printf("Scored %d responses from %d models%n%n", result.summary().prompts(), perPrompt.size());
        boolean semantic = avg.values().stream().anyMatch(m -> m.containsKey("sovereignty"));
        out.printf(
                "%-32s %7s %9s %10s %10s %10s%s%n",
                "MODEL",
                "PROMPTS",
                "LEK",
                "COMPLIANCE",
                "DEGEN",
                "EXACT",
                semantic ? String.format(" %11s", "SOVEREIGNTY") : "");
        for (var e : perPrompt.entrySet()) {
            Map<String, Double> a = avg.getOrDefault(e.getKey(), Map.of());
            int correct = 0;
            int judged = 0;
            for (PromptScore ps : e.getValue())
                if (ps.standard() != null && ps.standard().correct() != null) {
                    judged++;
                    if (ps.standard().correct()) correct++;
                }
            out.printf(
                    "%-32s %7d %9s %10s %10s %10s%s%n",
                    e.getKey().isEmpty() ? "(none)" : e.getKey(),
                    e.getValue().size(),
                    fmt(a.get("lek_score")),
                    fmt(a.get("compliance_markers")),
                    fmt(a.get("degeneration")),
                    judged == 0 ? "-" : correct + "/" + judged,
                    semantic ? String.format(" %11s", fmt(a.get("sovereignty"))) : "");
        }
        out.flush();
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
                    f.model(),
                    f.id(),
                    f.suite().wireName(),
                    f.message().lines().findFirst().orElse(""));
        }
        err.flush();
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format("%.2f", d);
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
