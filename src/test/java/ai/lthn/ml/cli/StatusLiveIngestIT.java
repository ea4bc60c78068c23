package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Ports;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.InfluxTestServer;
import ai.lthn.ml.store.Point;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml ingest, ml status and ml live against a real influxd 1.x on loopback (skipped without influxd). */
class StatusLiveIngestIT {
    private static InfluxTestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = InfluxTestServer.startOrSkip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    private record Run(int status, String out, String err) {}

    private static Run ml(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private static InfluxClient db(String name) {
        InfluxClient c = InfluxClient.builder(server.url, name).build();
        c.createDatabase();
        return c;
    }

    /** The field types InfluxDB recorded for a measurement. */
    private static Map<String, String> fieldTypes(InfluxClient c, String measurement) {
        Map<String, String> types = new java.util.TreeMap<>();
        for (Map<String, Object> row : c.query("SHOW FIELD KEYS FROM " + measurement))
            types.put((String) row.get("fieldKey"), (String) row.get("fieldType"));
        return types;
    }

    @Test
    void ingestWritesGoMlsPointsWithAnIntegerContentScore() throws Exception {
        Path content = Files.writeString(dir.resolve("c.jsonl"), """
                {"label":"gemma-LEK@0000300","aggregates":{"ccp":6.5,"skip":"n/a"},"probes":{"p1":{"scores":{"ccp":0.25}}}}
                """);
        Path cap = Files.writeString(dir.resolve("cap.jsonl"), """
                {"label":"base@20","accuracy":50.5,"correct":1,"total":2,"by_category":{"math":{"correct":1,"total":4}}}
                """);
        Path log = Files.writeString(dir.resolve("t.log"), """
                Iter 5: Train loss 2.25, Learning Rate 1e-05, It/sec 0.5, Tokens/sec 100.5
                Iter 5: Val loss 2.125
                """);
        Run r = ml(
                "ingest",
                "--influx",
                server.url,
                "--influx-db",
                "ingest",
                "--model",
                "gemma 3",
                "--content",
                content.toString(),
                "--capability",
                cap.toString(),
                "--training-log",
                log.toString(),
                "--work-dir",
                dir.resolve("work").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .isEqualTo("  content scores: 2 points from 1 lines\n"
                        + "  capability scores: 2 points from 1 lines\n"
                        + "  training log: 2 points from 2 lines\n"
                        + "Ingested 6 total points into InfluxDB\n");
        InfluxClient c = InfluxClient.builder(server.url, "ingest").build();
        assertThat(c.query("SELECT score, iteration FROM content_score GROUP BY *"))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("model", "gemma 3")
                        .containsEntry("run_id", "gemma 3")
                        .containsEntry("label", "gemma-LEK@0000300")
                        .containsEntry("dimension", "ccp")
                        .containsEntry("has_kernel", "true")
                        .containsEntry("score", 7L) // 6.5 rounded half away from zero, an integer
                        .containsEntry("iteration", 300L));
        assertThat(fieldTypes(c, "content_score"))
                .containsExactly(Map.entry("iteration", "integer"), Map.entry("score", "integer"));
        assertThat(c.query("SELECT score FROM probe_score GROUP BY probe_id, dimension"))
                .singleElement()
                .satisfies(
                        row -> assertThat(row).containsEntry("probe_id", "p1").containsEntry("score", 0.25));
        assertThat(fieldTypes(c, "probe_score")).containsEntry("score", "float");
        List<Map<String, Object>> capRows =
                c.query("SELECT accuracy, correct, total, iteration FROM capability_score GROUP BY category");
        assertThat(capRows).hasSize(2);
        assertThat(capRows)
                .anySatisfy(row -> assertThat(row)
                        .containsEntry("category", "overall")
                        .containsEntry("accuracy", 50.5)
                        .containsEntry("correct", 1L)
                        .containsEntry("total", 2L)
                        .containsEntry("iteration", 20L))
                .anySatisfy(
                        row -> assertThat(row).containsEntry("category", "math").containsEntry("accuracy", 0.25));
        assertThat(fieldTypes(c, "capability_score"))
                .containsEntry("accuracy", "float")
                .containsEntry("correct", "integer");
        assertThat(c.query("SELECT loss, iteration, learning_rate, it_per_sec, tokens_per_sec FROM training_loss"
                        + " WHERE loss_type = 'train'"))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("loss", 2.25)
                        .containsEntry("iteration", 5L)
                        .containsEntry("learning_rate", 0.00001)
                        .containsEntry("it_per_sec", 0.5)
                        .containsEntry("tokens_per_sec", 100.5));
        assertThat(c.query("SELECT loss FROM training_loss WHERE loss_type = 'val'"))
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("loss", 2.125));
    }

    @Test
    void anOutageKeepsThePointsAndTheNextRunDeliversThemOnce() throws Exception {
        db("outage");
        Path work = dir.resolve("work");
        Path log = Files.writeString(
                dir.resolve("t.log"), "Iter 1: Val loss 1.5\nIter 2: Val loss 1.25\nIter 3: Val loss 1.0\n");
        String dead = "http://127.0.0.1:" + Ports.freeLoopbackPort();
        Run down = ml(
                "ingest",
                "--influx",
                dead,
                "--influx-db",
                "outage",
                "--model",
                "m",
                "--training-log",
                log.toString(),
                "--batch-size",
                "2",
                "--work-dir",
                work.toString());
        assertThat(down.status()).isEqualTo(1);
        assertThat(down.err()).contains("ml: 3 points remain buffered in " + work.resolve("outbox"));
        Path cap = Files.writeString(
                dir.resolve("cap.jsonl"), "{\"label\":\"x@1\",\"accuracy\":1,\"correct\":1,\"total\":1}\n");
        String[] ingest = {
            "ingest",
            "--influx",
            server.url,
            "--influx-db",
            "outage",
            "--model",
            "m",
            "--capability",
            cap.toString(),
            "--work-dir",
            work.toString()
        };
        Run up = ml(ingest);
        assertThat(up.err()).isEmpty();
        assertThat(up.status()).isZero();
        assertThat(up.out()).startsWith("Delivered 2 batches buffered by an earlier run\n");
        InfluxClient c = InfluxClient.builder(server.url, "outage").build();
        assertThat(c.query("SELECT loss, iteration FROM training_loss"))
                .extracting(row -> row.get("iteration"))
                .containsExactly(1L, 2L, 3L);
        assertThat(c.query("SELECT count(accuracy) FROM capability_score"))
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("count", 1L));
        // nothing left: a third run delivers nothing again
        Run again = ml(ingest);
        assertThat(again.out()).doesNotContain("Delivered");
        assertThat(c.query("SELECT loss FROM training_loss")).hasSize(3);
    }

    @Test
    void statusPrintsTrainingAndGenerationFromInfluxQl() {
        InfluxClient c = db("status");
        c.write(List.of(
                Point.builder("training_status")
                        .tag("model", "gemma")
                        .tag("run_id", "r")
                        .field("status", "running")
                        .field("iteration", 250L)
                        .field("total_iters", 1000L)
                        .field("pct", 25.0)
                        .timestampNanos(2)
                        .build(),
                Point.builder("training_status")
                        .tag("model", "gemma")
                        .tag("run_id", "r")
                        .field("status", "old")
                        .field("iteration", 1L)
                        .field("total_iters", 1000L)
                        .field("pct", 0.1)
                        .timestampNanos(1)
                        .build(),
                Point.builder("training_loss")
                        .tag("model", "gemma")
                        .tag("loss_type", "train")
                        .field("loss", 1.2345)
                        .field("iteration", 250L)
                        .timestampNanos(3)
                        .build(),
                Point.builder("expansion_progress")
                        .tag("worker", "w1")
                        .field("completed", 5L)
                        .field("target", 10L)
                        .field("pct", 50.0)
                        .timestampNanos(4)
                        .build()));
        Run r = ml("status", "--influx", server.url, "--influx-db", "status");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .isEqualTo("Training:\n"
                        + "  gemma         running    250/1000   25.0%  loss=1.234\n"
                        + "\n"
                        + "Generation:\n"
                        + "  expansion            5/10   50.0%  (w1)\n");
    }

    @Test
    void livePrintsDistinctTagCountsFromInfluxQl() {
        InfluxClient c = db("live");
        c.write(List.of(
                gold(1, "migration", "a", "x", 1),
                gold(2, "migration", "b", "x", 2),
                gold(3, "m3", "b", "y", 3),
                gold(3, "m3", "b", "y", 4), // the same i again: counted once
                gold(4, "m3", "c", "y", 5),
                gold(5, "m3", "c", "z", 6)));
        Run r = ml("live", "--influx", server.url, "--influx-db", "live");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .isEqualTo("Golden Set Live Status (from InfluxDB)\n"
                        + "\u2500".repeat(45) + "\n"
                        + "  Total:     5 / 15000 (0.0%)\n"
                        + "  Remaining: 14995\n"
                        + "  Domains:   3\n"
                        + "  Voices:    3\n"
                        + "\n"
                        + "  Workers:\n"
                        + "    m3                        3 generations\n"
                        + "    migration                 2 generations (seed data)\n");
    }

    @Test
    void missingInfluxIsAUsageError() {
        Run r = ml("live", "--influx", "");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("ML_INFLUX_URL");
    }

    private static Point gold(int i, String w, String d, String v, long ts) {
        return Point.builder("gold_gen")
                .tag("i", String.valueOf(i))
                .tag("w", w)
                .tag("d", d)
                .tag("v", v)
                .field("seed_id", "s" + i)
                .field("gen_time", 1.5)
                .field("chars", 10L)
                .timestampNanos(ts)
                .build();
    }
}
