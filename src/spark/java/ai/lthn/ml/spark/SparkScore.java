package ai.lthn.ml.spark;

import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.ScorerOutput;
import ai.lthn.ml.score.Suite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code spark-submit} job: scores a Parquet table or JSONL file of responses, writes the
 * score rows as Parquet and go-ml's score file (the averages {@code ml score} writes, byte for
 * byte; with {@code --per-prompt} the per-prompt scores too, for inputs that fit the driver).
 *
 * <pre>
 * spark-submit --class ai.lthn.ml.spark.SparkScore --jars ml-cli.jar ml-VERSION-spark.jar \
 *     --input responses.parquet --output scores.parquet --averages averages.json \
 *     --suites heuristic,semantic --judge-url http://judge:8080 --judge-model qwen3-8b --judge-concurrency 64
 * </pre>
 */
public final class SparkScore {
    private static final String USAGE = "usage: SparkScore --input PATH (.jsonl/.json: JSONL, else Parquet)"
            + " --output DIR (Parquet) [--averages FILE] [--per-prompt] [--suites LIST (default heuristic,exact)]"
            + " [--judge-url URL --judge-model NAME] [--judge-concurrency N (default 4)] [--judge-timeout SECONDS]"
            + " [--judge-temperature T] [--judge-attempts N] [--judge-json] [--judge-reask] [--format jsonl|parquet]";

    private SparkScore() {}

    /**
     * Runs the job in the session {@code spark-submit} made, and stops it.
     *
     * @param args see the usage
     */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("lthn-ml score").getOrCreate();
        try {
            run(spark, args);
        } finally {
            spark.stop();
        }
    }

    /**
     * Runs the job in a session (left open).
     *
     * @param spark the session
     * @param args see the usage
     * @return the number of rows with dead letters
     * @throws IllegalArgumentException for bad arguments, with the usage
     */
    public static long run(SparkSession spark, String... args) {
        Map<String, String> opts = parse(args);
        String input = need(opts, "--input");
        String output = need(opts, "--output");
        String suitesArg = opts.getOrDefault("--suites", "heuristic,exact");
        Set<Suite> suites = Suite.parse(suitesArg);
        SparkScorer.Builder builder = SparkScorer.builder().suites(suites);
        JudgeSettings judge = null;
        if (opts.containsKey("--judge-url")) {
            judge = new JudgeSettings(
                    opts.get("--judge-url"),
                    opts.getOrDefault("--judge-model", ""),
                    Duration.ofSeconds(number(opts, "--judge-timeout", 300)),
                    Double.parseDouble(opts.getOrDefault("--judge-temperature", "0.1")),
                    opts.containsKey("--judge-json"),
                    opts.containsKey("--judge-reask"),
                    (int) number(opts, "--judge-attempts", 3));
            builder.judge(judge).judgeConcurrency((int) number(opts, "--judge-concurrency", 4));
        }
        SparkScorer scorer = builder.build();
        Path averagesFile = opts.containsKey("--averages") ? Path.of(opts.get("--averages")) : null;
        if (averagesFile != null) ScorerOutput.checkWritable(averagesFile);
        String format = opts.getOrDefault(
                "--format", input.endsWith(".jsonl") || input.endsWith(".json") ? "jsonl" : "parquet");
        Dataset<Row> scores = switch (format) {
            case "jsonl" -> scorer.scoreJsonl(spark, input);
            case "parquet" -> scorer.score(spark.read().parquet(input));
            default -> throw new IllegalArgumentException("--format " + format + ": jsonl or parquet\n" + USAGE);
        };
        scores = scores.persist(StorageLevel.MEMORY_AND_DISK()); // scored once: written, then averaged
        try {
            scores.write().mode(SaveMode.ErrorIfExists).parquet(output);
            if (averagesFile != null) {
                List<String> suiteList = new ArrayList<>();
                for (String s : suitesArg.split(",")) if (!s.strip().isEmpty()) suiteList.add(s.strip());
                ScorerOutput.Metadata meta = ScorerOutput.Metadata.now(
                        judge == null ? "" : judge.model(),
                        judge == null
                                ? ""
                                : judge.build(new ai.lthn.ml.score.AdaptiveLimit(1))
                                        .url(),
                        suiteList.isEmpty() ? null : suiteList);
                scoreFile(scores, meta, opts.containsKey("--per-prompt")).write(averagesFile);
            }
            return scores.filter("dead_letter is not null").count();
        } finally {
            scores.unpersist();
        }
    }

    /** The score file: the averages from the executors, the per-prompt scores streamed when asked. */
    static ScorerOutput scoreFile(Dataset<Row> scores, ScorerOutput.Metadata meta, boolean perPrompt) {
        Map<String, List<PromptScore>> prompts = new LinkedHashMap<>();
        if (perPrompt)
            for (Iterator<PromptScore> it = SparkScorer.promptScores(scores); it.hasNext(); ) {
                PromptScore ps = it.next();
                prompts.computeIfAbsent(ps.model(), m -> new ArrayList<>()).add(ps);
            }
        return new ScorerOutput(meta, SparkScorer.averages(scores), prompts);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--per-prompt", "--judge-json", "--judge-reask" -> opts.put(a, "");
                case "--input",
                        "--output",
                        "--averages",
                        "--suites",
                        "--judge-url",
                        "--judge-model",
                        "--judge-concurrency",
                        "--judge-timeout",
                        "--judge-temperature",
                        "--judge-attempts",
                        "--format" -> {
                    if (i + 1 == args.length) throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
                    opts.put(a, args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + a + "\n" + USAGE);
            }
        }
        return opts;
    }

    private static String need(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is required\n" + USAGE);
        return v;
    }

    private static long number(Map<String, String> opts, String name, long fallback) {
        String v = opts.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " " + v + ": not a whole number\n" + USAGE, e);
        }
    }
}
