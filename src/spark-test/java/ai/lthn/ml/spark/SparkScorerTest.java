package ai.lthn.ml.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.cli.Main;
import ai.lthn.ml.score.Response;
import ai.lthn.ml.score.Suite;
import ai.lthn.ml.server.OpenAiServer;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkScorer} and {@link SparkScore} in one real local Spark session ({@code local[2,2]}:
 * two task threads, a failed task tried once more), against {@code ml score} on the same input
 * and a loopback judge (an {@link OpenAiServer} over a scripted model).
 */
class SparkScorerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/golden/public_corpus.jsonl");
    private static final String FAILS = "[the judge fails on this one]";

    private static SparkSession spark;
    private static OpenAiServer judge;
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger mostInFlight = new AtomicInteger();
    private static final AtomicInteger calls = new AtomicInteger();
    private static final AtomicInteger killedAttempts = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2,2]")
                .appName("SparkScorerTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                // 1 MiB splits: the test files span several partitions (averages combined across them)
                .config("spark.hadoop.mapreduce.input.fileinputformat.split.maxsize", "1048576")
                .getOrCreate();
        ScriptedTextModel model =
                ScriptedTextModel.builder().script(SparkScorerTest::judgeReply).build();
        judge = OpenAiServer.builder(model)
                .port(0)
                .concurrency(64, 64, Duration.ofSeconds(60))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (judge != null) judge.close();
        if (spark != null) spark.stop();
    }

    /**
     * The judge: a semantic verdict that depends on the response text alone, after 20 ms; a
     * failure for responses marked {@link #FAILS}. Counts calls in flight.
     */
    private static ScriptedTextModel.Script judgeReply(ScriptedTextModel.Call call) {
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        calls.incrementAndGet();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
        if (call.prompt().contains(FAILS))
            return ScriptedTextModel.Script.of("x").failingAfter(0, new IllegalStateException("judge down"));
        int h = Math.floorMod(call.prompt().hashCode(), 9);
        return ScriptedTextModel.Script.of("{\"sovereignty\": " + (h + 1) + ", \"ethical_depth\": " + (9 - h)
                + ", \"creative_expression\": " + (h % 4 + 3) + ", \"self_concept\": 5, \"reasoning\": \"r" + h
                + "\"}");
    }

    /** The golden corpus repeated with varied ids and models: {@code n} lines. */
    private Path corpus(int n, boolean markFailures) throws Exception {
        List<String> golden = Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode o = (ObjectNode) JSON.readTree(golden.get(i % golden.size()));
            o.put("id", o.path("id").asText() + "-" + i);
            if (i % 7 == 3) o.put("model", "model-" + (i % 3));
            if (markFailures && i % 10 == 4)
                o.put("response", o.path("response").asText() + " " + FAILS);
            lines.add(JSON.writeValueAsString(o));
        }
        Path file = dir.resolve("responses-" + n + ".jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static void mlScore(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(status).as(err.toString()).isZero();
    }

    /** The spark-submit job on {@code input}: Parquet to out.parquet, the whole score file to {@code file}. */
    private long sparkScore(Path input, Path file, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                input.toString(),
                "--output",
                dir.resolve("out.parquet").toString(),
                "--averages",
                file.toString(),
                "--per-prompt"));
        args.addAll(List.of(more));
        return SparkScore.run(spark, args.toArray(String[]::new));
    }

    /** A score file without its time stamp. */
    private static JsonNode timeless(Path file) throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) doc.path("metadata")).remove("scored_at");
        return doc;
    }

    @Test
    void heuristicAndExactEqualMlScoreExactly() throws Exception {
        Path input = corpus(3000, false);
        assertThat(SparkScorer.builder()
                        .build()
                        .scoreJsonl(spark, input.toString())
                        .rdd()
                        .getNumPartitions())
                .as("splits")
                .isGreaterThan(2);
        Path expected = dir.resolve("ml-score.json");
        mlScore("score", "--input", input.toString(), "--output", expected.toString());

        Path averages = dir.resolve("spark.json");
        long dead = sparkScore(input, averages);
        assertThat(dead).isZero();
        assertThat(timeless(averages)).isEqualTo(timeless(expected));
        // the averages to the byte: same doubles, written the same way
        String want = Files.readString(expected);
        String got = Files.readString(averages);
        assertThat(got.substring(got.indexOf("\"model_averages\""), got.indexOf("\"per_prompt\"")))
                .isEqualTo(want.substring(want.indexOf("\"model_averages\""), want.indexOf("\"per_prompt\"")));

        Dataset<Row> written = spark.read().parquet(dir.resolve("out.parquet").toString());
        assertThat(written.count()).isEqualTo(3000);
        assertThat(written.schema().fieldNames())
                .containsExactly("id", "model", "heuristic", "semantic", "content", "standard", "dead_letter");
        assertThat(written.select("heuristic.*").schema().fieldNames())
                .startsWith("compliance_markers")
                .endsWith("lek_score"); // go-ml's names
        assertThat(written.select("standard.*").schema().fieldNames()).contains("correct", "extracted");
    }

    @Test
    void judgeSuitesEqualMlScoreAndStayWithinTheBound() throws Exception {
        Path input = corpus(240, false);
        Path expected = dir.resolve("ml-score.json");
        mlScore(
                "score",
                "--judge-url",
                judge.url(),
                "--judge-model",
                "judge",
                "--suites",
                "heuristic,semantic",
                "--concurrency",
                "3",
                "--input",
                input.toString(),
                "--output",
                expected.toString());
        mostInFlight.set(0);
        calls.set(0);
        Path averages = dir.resolve("spark.json");
        long dead = sparkScore(
                input,
                averages,
                "--suites",
                "heuristic,semantic",
                "--judge-url",
                judge.url(),
                "--judge-model",
                "judge",
                "--judge-concurrency",
                "3");
        assertThat(dead).isZero();
        assertThat(timeless(averages)).isEqualTo(timeless(expected));
        assertThat(mostInFlight.get()).as("judge calls in flight").isBetween(1, 3);
        assertThat(calls.get())
                .as("judge calls: each response once (written and averaged)")
                .isEqualTo(240);
    }

    @Test
    void failedJudgeCallsGoToTheDeadLetterColumnAndTheRestIsScored() throws Exception {
        Path input = corpus(200, true);
        SparkScorer scorer = SparkScorer.builder()
                .suites(Suite.parse("heuristic,semantic"))
                .judge(JudgeSettings.of(judge.url(), "judge").withAttempts(1))
                .judgeConcurrency(8)
                .build();
        List<Row> rows = scorer.scoreJsonl(spark, input.toString()).collectAsList();
        assertThat(rows).hasSize(200);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertThat(r.getString(0)).endsWith("-" + i); // input order
            assertThat(r.getStruct(r.fieldIndex("heuristic"))).isNotNull();
            List<Row> dead = r.isNullAt(r.fieldIndex("dead_letter")) ? null : r.getList(r.fieldIndex("dead_letter"));
            if (i % 10 == 4) {
                assertThat(dead).as("row " + i).hasSize(1);
                assertThat(dead.get(0).getString(0)).isEqualTo("semantic");
                assertThat(dead.get(0).getString(1)).isEqualTo("CALL_FAILED");
                assertThat(r.isNullAt(r.fieldIndex("semantic"))).isTrue();
            } else {
                assertThat(dead).as("row " + i).isNull();
                assertThat(r.getStruct(r.fieldIndex("semantic")).getInt(0)).isBetween(1, 9);
            }
        }
    }

    @Test
    void aTaskThatFailsAndIsRetriedChangesNoResult() throws Exception {
        Path input = corpus(400, false);
        SparkScorer scorer = SparkScorer.builder()
                .suites(Suite.parse("heuristic,semantic,exact"))
                .judge(JudgeSettings.of(judge.url(), "judge"))
                .judgeConcurrency(4)
                .chunk(16)
                .build();
        Dataset<Row> responses =
                SparkScorer.responsesJsonl(spark, input.toString()).repartition(2);
        responses = responses.sortWithinPartitions("id").persist(); // fixed partitions for both runs
        List<Row> clean = scorer.score(responses).collectAsList();

        Dataset<Row> failing = responses.mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> failOnce(rows), RowEncoder.encoderFor(responses.schema()));
        List<Row> retried = scorer.score(failing).collectAsList();
        responses.unpersist();

        assertThat(killedAttempts.get()).as("attempts that died").isEqualTo(1);
        assertThat(retried).hasSize(400).isEqualTo(clean);
        assertThat(SparkScorer.averages(spark.createDataFrame(retried, ScoreRows.SCORES)))
                .isEqualTo(SparkScorer.averages(spark.createDataFrame(clean, ScoreRows.SCORES)));
    }

    /** Partition 1's first attempt dies after 100 rows, mid-scoring; Spark runs it again. */
    private static Iterator<Row> failOnce(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        boolean fail = task.partitionId() == 1 && task.attemptNumber() == 0;
        return new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                if (fail && n == 100) {
                    killedAttempts.incrementAndGet(); // local mode: the executor is this JVM
                    throw new IllegalStateException("the first attempt dies here");
                }
                return rows.hasNext();
            }

            @Override
            public Row next() {
                n++;
                return rows.next();
            }
        };
    }

    @Test
    void inputColumnsAreChecked() {
        Dataset<Row> noResponse = spark.createDataFrame(
                        List.of(ScoreRows.fromResponse(
                                Response.builder().id("a").build())),
                        ScoreRows.RESPONSES)
                .drop("response");
        assertThatThrownBy(() -> SparkScorer.builder().build().score(noResponse))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no \"response\" column");
        assertThatThrownBy(() ->
                        SparkScorer.builder().suites(Suite.parse("semantic")).build())
                .hasMessageContaining("need a judge");
    }

    @Test
    void aBadLineFailsTheJobNamingFileAndLine() throws Exception {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"id\":\"a\",\"model\":\"m\",\"response\":\"hi\"}\n{\"id\": 1, broken\n");
        assertThatThrownBy(() -> SparkScorer.builder()
                        .build()
                        .scoreJsonl(spark, input.toString())
                        .count())
                .hasStackTraceContaining(input + ":2:");
    }
}
