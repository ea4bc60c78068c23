package ai.lthn.ml.spark;

import ai.lthn.ml.score.Suite;
import ai.lthn.ml.server.OpenAiServer;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;

/**
 * Measurements for FINDINGS.md (not a test): {@code heuristic FILE} times {@link SparkScore} over a
 * JSONL file in {@code local[2]}; {@code judge FILE BOUND DELAY_MS} times the semantic suite against
 * a loopback judge answering after DELAY_MS, with BOUND judge calls in flight, and prints the most
 * in flight the judge saw.
 */
public final class SparkScoreLoad {
    private SparkScoreLoad() {}

    /** This process's CPU time, all threads (ns). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Runs one measurement.
     *
     * @param args {@code heuristic FILE} or {@code judge FILE BOUND DELAY_MS}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("SparkScoreLoad")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        Path out = Files.createTempDirectory("spark-load");
        try {
            if (args[0].equals("compare")) { // warm, alternating, same JVM: Spark job then ml score
                for (int round = 0; round < 6; round++) {
                    long t0 = System.nanoTime();
                    long c0 = cpu();
                    SparkScore.run(
                            spark,
                            "--input",
                            args[1],
                            "--output",
                            out.resolve("c" + round).toString(),
                            "--averages",
                            out.resolve("c" + round + ".json").toString());
                    double sparkWall = (System.nanoTime() - t0) / 1e9;
                    double sparkCpu = (cpu() - c0) / 1e9;
                    t0 = System.nanoTime();
                    c0 = cpu();
                    int status = ai.lthn.ml.cli.Main.run(
                            new String[] {
                                "score",
                                "--input",
                                args[1],
                                "--output",
                                out.resolve("m" + round + ".json").toString()
                            },
                            new java.io.PrintWriter(java.io.Writer.nullWriter()),
                            new java.io.PrintWriter(System.err, true));
                    double mlWall = (System.nanoTime() - t0) / 1e9;
                    double mlCpu = (cpu() - c0) / 1e9;
                    System.out.printf(
                            "round %d: spark %.2f s wall %.2f s CPU; ml score (status %d) %.2f s wall %.2f s CPU;"
                                    + " throughput ratio %.2f%n",
                            round, sparkWall, sparkCpu, status, mlWall, mlCpu, mlWall / sparkWall);
                }
            } else if (args[0].equals("heuristic")) {
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    long c0 = cpu();
                    SparkScore.run(
                            spark,
                            "--input",
                            args[1],
                            "--output",
                            out.resolve("h" + round).toString(),
                            "--averages",
                            out.resolve("h" + round + ".json").toString());
                    System.out.printf(
                            "heuristic round %d: %.2f s wall, %.2f s CPU%n",
                            round, (System.nanoTime() - t0) / 1e9, (cpu() - c0) / 1e9);
                    t0 = System.nanoTime();
                    c0 = cpu();
                    long n = SparkScorer.builder()
                            .build()
                            .scoreJsonl(spark, args[1])
                            .count();
                    System.out.printf(
                            "  scoring alone (count): %d rows in %.2f s wall, %.2f s CPU%n",
                            n, (System.nanoTime() - t0) / 1e9, (cpu() - c0) / 1e9);
                }
            } else {
                int bound = Integer.parseInt(args[2]);
                long delay = Long.parseLong(args[3]);
                AtomicInteger inFlight = new AtomicInteger();
                AtomicInteger most = new AtomicInteger();
                ScriptedTextModel model = ScriptedTextModel.builder()
                        .script(call -> {
                            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            try {
                                Thread.sleep(delay);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                inFlight.decrementAndGet();
                            }
                            return ScriptedTextModel.Script.of("{\"sovereignty\": 5, \"ethical_depth\": 5,"
                                    + " \"creative_expression\": 5, \"self_concept\": 5}");
                        })
                        .build();
                try (OpenAiServer judge = OpenAiServer.builder(model)
                        .port(0)
                        .concurrency(128, 128, Duration.ofSeconds(60))
                        .build()
                        .start()) {
                    for (int round = 0; round < 3; round++) {
                        most.set(0);
                        long t0 = System.nanoTime();
                        long n = SparkScorer.builder()
                                .suites(Suite.parse("semantic"))
                                .judge(JudgeSettings.of(judge.url(), "judge"))
                                .judgeConcurrency(bound)
                                .build()
                                .scoreJsonl(spark, args[1])
                                .count();
                        System.out.printf(
                                "judge round %d: %d rows in %.2f s, most in flight %d%n",
                                round, n, (System.nanoTime() - t0) / 1e9, most.get());
                    }
                    for (int round = 0; round < 3; round++) { // ml score, same judge, same bound
                        most.set(0);
                        long t0 = System.nanoTime();
                        int status = ai.lthn.ml.cli.Main.run(
                                new String[] {
                                    "score",
                                    "--judge-url",
                                    judge.url(),
                                    "--judge-model",
                                    "judge",
                                    "--suites",
                                    "semantic",
                                    "--concurrency",
                                    args[2],
                                    "--input",
                                    args[1],
                                    "--output",
                                    out.resolve("ml" + round + ".json").toString()
                                },
                                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                                new java.io.PrintWriter(System.err, true));
                        System.out.printf(
                                "ml score round %d: status %d in %.2f s, most in flight %d%n",
                                round, status, (System.nanoTime() - t0) / 1e9, most.get());
                    }
                }
            }
        } finally {
            spark.stop();
        }
    }
}
