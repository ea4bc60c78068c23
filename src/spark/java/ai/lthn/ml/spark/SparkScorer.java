package ai.lthn.ml.spark;

import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.Response;
import ai.lthn.ml.score.ResponseReader;
import ai.lthn.ml.score.Suite;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Scores responses inside Apache Spark with the same engine as {@code ml score}: one {@link
 * ai.lthn.ml.score.Engine} per partition, the judge client made on the executor, a bound on the
 * judge calls in flight across the whole cluster, and failures kept in each row's {@code
 * dead_letter} column instead of failing the job. Scoring is deterministic (for a deterministic
 * judge): a task Spark runs again gives the same rows, and {@link #averages} reads the rows once,
 * in input order, so nothing is counted twice and the doubles equal {@code ml score}'s.
 *
 * <pre>{@code
 * SparkScorer scorer = SparkScorer.builder()
 *         .suites(Suite.parse("heuristic,semantic"))
 *         .judge(JudgeSettings.of("http://judge:8080", "qwen3-8b"))
 *         .judgeConcurrency(64)                       // judge calls in flight, whole cluster
 *         .build();
 * Dataset<Row> scores = scorer.score(spark.read().parquet("responses.parquet")).persist();
 * scores.write().parquet("scores.parquet");
 * Map<String, Map<String, Double>> averages = SparkScorer.averages(scores);
 * }</pre>
 */
public final class SparkScorer {
    private final Set<Suite> suites;
    private final JudgeSettings judge;
    private final int judgeConcurrency;
    private final int chunk;

    private SparkScorer(Builder b) {
        this.suites = Collections.unmodifiableSet(EnumSet.copyOf(b.suites));
        this.judge = b.judge;
        this.judgeConcurrency = b.judgeConcurrency;
        this.chunk = b.chunk;
        List<String> needJudge =
                suites.stream().filter(Suite::needsJudge).map(Suite::wireName).toList();
        if (judge == null && !needJudge.isEmpty())
            throw new IllegalArgumentException("suites " + needJudge + " need a judge (none was given)");
    }

    /**
     * A builder: suites {@link Suite#DEFAULTS}, no judge, 4 judge calls in flight.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The suites this scorer runs.
     *
     * @return the suites, in go-ml's order
     */
    public Set<Suite> suites() {
        return suites;
    }

    /**
     * The judge settings.
     *
     * @return the judge, or null when only heuristic and exact run
     */
    public JudgeSettings judge() {
        return judge;
    }

    /**
     * Scores a table of responses (go-ml's columns: {@code id}, {@code domain}, {@code prompt},
     * {@code response}, {@code model}, {@code elapsed_seconds}, {@code correct_answer}, {@code
     * best_answer}, {@code risk_area}; only {@code response} is required, other columns are
     * ignored). Lazy, as any Spark transformation: persist the result before using it twice, or
     * the judge is asked twice.
     *
     * @param responses the responses
     * @return one row of {@link ScoreRows#SCORES} per response, partitioned and ordered as the
     *     input
     * @throws IllegalArgumentException when the input has no {@code response} column, or a
     *     column of the wrong type
     */
    public Dataset<Row> score(Dataset<Row> responses) {
        int[] at = ScoreRows.responseColumns(responses.schema());
        JavaRDD<Response> rdd = responses.javaRDD().mapPartitions(rows -> responses(rows, at));
        return scoreResponses(responses.sparkSession(), rdd);
    }

    /** Input rows as responses (static: the closure must not hold the scorer). */
    private static Iterator<Response> responses(Iterator<Row> rows, int[] at) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Response next() {
                return ScoreRows.toResponse(rows.next(), at);
            }
        };
    }

    /**
     * Scores a JSONL file (or directory, or glob) of responses, read line by line exactly as
     * {@code ml score} reads it (Go's UTF-8 handling, blank lines skipped); a bad line fails the
     * task with its file, split and line.
     *
     * @param spark the session
     * @param path a path Hadoop reads (local, HDFS, S3, ...)
     * @return the score rows, in file order
     */
    public Dataset<Row> scoreJsonl(SparkSession spark, String path) {
        return scoreResponses(spark, readJsonl(spark, path));
    }

    /**
     * The responses of a JSONL file as a table of go-ml's columns.
     *
     * @param spark the session
     * @param path a path Hadoop reads
     * @return the responses, in file order
     */
    public static Dataset<Row> responsesJsonl(SparkSession spark, String path) {
        return spark.createDataFrame(readJsonl(spark, path).map(ScoreRows::fromResponse), ScoreRows.RESPONSES);
    }

    private static JavaRDD<Response> readJsonl(SparkSession spark, String path) {
        Objects.requireNonNull(path, "path");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = new Configuration(sc.hadoopConfiguration());
        conf.set("textinputformat.record.delimiter", "\n"); // as Go's scanner: \n only, not a lone \r
        return sc.newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, conf)
                .mapPartitions(lines -> lines(path, lines));
    }

    /** A split's lines, parsed by the one JSONL response reader. */
    private static Iterator<Response> lines(String path, Iterator<Tuple2<LongWritable, Text>> lines) {
        if (!lines.hasNext()) return Collections.emptyIterator();
        Tuple2<LongWritable, Text> first = lines.next();
        long start = first._1().get();
        java.util.Enumeration<InputStream> all = new java.util.Enumeration<>() {
            private Tuple2<LongWritable, Text> held = first;

            @Override
            public boolean hasMoreElements() {
                return held != null || lines.hasNext();
            }

            @Override
            public InputStream nextElement() {
                Tuple2<LongWritable, Text> t = held != null ? held : lines.next();
                held = null;
                return line(t._2());
            }
        };
        InputStream bytes = new SequenceInputStream(all);
        String source = start == 0 ? path : path + " (the split from byte " + start + ")";
        return ResponseReader.of(bytes, source);
    }

    /** One line's bytes with its newline (Hadoop reuses the Text: copied). */
    private static InputStream line(Text text) {
        byte[] b = new byte[text.getLength() + 1];
        System.arraycopy(text.getBytes(), 0, b, 0, text.getLength());
        b[b.length - 1] = '\n';
        return new ByteArrayInputStream(b);
    }

    private Dataset<Row> scoreResponses(SparkSession spark, JavaRDD<Response> responses) {
        PartitionScorer scorer =
                new PartitionScorer(suites, judge, UUID.randomUUID().toString(), perExecutor(spark), chunk);
        JavaRDD<Row> rows = responses.mapPartitions(scorer::score);
        return spark.createDataFrame(rows, ScoreRows.SCORES);
    }

    /**
     * Each executor's share of the cluster's judge bound: the bound divided by the executors now
     * registered (one in local mode), at least one each.
     */
    private int perExecutor(SparkSession spark) {
        if (judge == null) return 1;
        int executors = spark.sparkContext().isLocal()
                ? 1
                : Math.max(1, spark.sparkContext().statusTracker().getExecutorInfos().length - 1);
        return Math.max(1, judgeConcurrency / executors);
    }

    /**
     * The scores of score rows, in input order (partition by partition, as {@code toLocalIterator}
     * fetches them).
     *
     * @param scored rows of {@link ScoreRows#SCORES}, e.g. from {@link #score}; persist them
     *     first, or each partition is scored again
     * @return the scores, lazily
     */
    public static Iterator<PromptScore> promptScores(Dataset<Row> scored) {
        Iterator<Row> rows = scored.toLocalIterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public PromptScore next() {
                return ScoreRows.toScore(rows.next());
            }
        };
    }

    /**
     * go-ml's model averages of score rows, equal to the last bit to those {@code ml score} writes
     * for the same input. Computed on the executors (one small job): integer fields as exact
     * sums, {@code lek_score} as its values in input order, added on the driver in partition
     * order — so the driver receives about 8 bytes per response, not the rows.
     *
     * @param scored rows of {@link ScoreRows#SCORES}, e.g. from {@link #score}; persist them
     *     first, or each partition is scored again
     * @return model → field → average, sorted as go-ml writes them
     */
    public static Map<String, Map<String, Double>> averages(Dataset<Row> scored) {
        return ExactAverages.combine(
                scored.javaRDD().mapPartitions(ExactAverages::ofPartition).collect());
    }

    /** Builds a {@link SparkScorer}. */
    public static final class Builder {
        private Set<Suite> suites = Suite.DEFAULTS;
        private JudgeSettings judge;
        private int judgeConcurrency = 4;
        private int chunk = 1024;

        private Builder() {}

        /**
         * The suites ({@link Suite#parse} reads {@code ml score}'s list).
         *
         * @param value engine suites
         * @return this builder
         */
        public Builder suites(Set<Suite> value) {
            for (Suite s : value)
                if (!s.isEngineSuite())
                    throw new IllegalArgumentException(
                            "not an engine suite: " + s.wireName() + " (it runs within " + s.within() + ")");
            if (value.isEmpty()) throw new IllegalArgumentException("no suites: name at least one");
            this.suites = value;
            return this;
        }

        /**
         * The judge for semantic, content and standard.
         *
         * @param value the judge settings, or null for none
         * @return this builder
         */
        public Builder judge(JudgeSettings value) {
            this.judge = value;
            return this;
        }

        /**
         * Judge calls in flight at most across the cluster, divided among the executors (each
         * executor's share is shared by its running tasks); a 429 lowers an executor's share until
         * the judge recovers.
         *
         * @param value at least 1 (default 4, as {@code ml score --concurrency})
         * @return this builder
         */
        public Builder judgeConcurrency(int value) {
            if (value < 1) throw new IllegalArgumentException("judge concurrency < 1: " + value);
            this.judgeConcurrency = value;
            return this;
        }

        /**
         * Responses scored together within a partition (memory holds one chunk's scores).
         *
         * @param value at least 1 (default 1024)
         * @return this builder
         */
        public Builder chunk(int value) {
            if (value < 1) throw new IllegalArgumentException("chunk < 1: " + value);
            this.chunk = value;
            return this;
        }

        /**
         * The scorer.
         *
         * @return a new scorer
         * @throws IllegalArgumentException when a suite needs a judge and none was given
         */
        public SparkScorer build() {
            return new SparkScorer(this);
        }
    }
}
