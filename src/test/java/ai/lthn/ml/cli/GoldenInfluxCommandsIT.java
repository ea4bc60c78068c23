package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.InfluxTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml metrics and ml seed-influx against a real influxd (skipped when it is not installed). */
class GoldenInfluxCommandsIT {
    private static InfluxTestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = InfluxTestServer.startOrSkip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    private Path golden() {
        Path db = tmp.resolve("lem.duckdb");
        try (LemDb d = LemDb.openReadWrite(db)) {
            d.ensureTable("golden_set");
            d.exec("INSERT INTO golden_set VALUES"
                    + " (1, 's\"1', 'ethics', 'calm', 'p', 'r', 1.25, 100, 1),"
                    + " (2, 's2', 'ethics', 'warm', 'p', 'r', 2.5, 200, 1),"
                    + " (3, 's3', 'history, old', 'calm', 'p', 'r', 3.0, 300, 1)");
        }
        return db;
    }

    private CliRun ml(Path db, String database, String... args) {
        String[] all = new String[args.length + 6];
        all[0] = "--db";
        all[1] = db.toString();
        all[2] = "--influx";
        all[3] = server.url;
        all[4] = "--influx-db";
        all[5] = database;
        System.arraycopy(args, 0, all, 6, args.length);
        return CliRun.of(all);
    }

    @Test
    void metricsPushesGoMlsPoints() {
        Path db = golden();
        CliRun r = ml(db, "metrics_it", "metrics");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Pushed 5 points to InfluxDB
                  total=3  domains=2  voices=2  completion=0.0%
                  avg_gen_time=2.25s  avg_chars=200
                """);
        InfluxClient c = InfluxClient.builder(server.url, "metrics_it").build();
        List<Map<String, Object>> stats = c.query("SELECT * FROM golden_set_stats");
        assertThat(stats).hasSize(1);
        assertThat(stats.get(0))
                .containsEntry("total_examples", 3L)
                .containsEntry("domains", 2L)
                .containsEntry("voices", 2L)
                .containsEntry("avg_gen_time", 2.25)
                .containsEntry("avg_response_chars", 200L)
                .containsEntry("completion_pct", 0L);
        List<Map<String, Object>> domains =
                c.query("SELECT count, avg_gen_time FROM golden_set_domain GROUP BY domain");
        assertThat(domains)
                .extracting(m -> m.get("domain") + "=" + m.get("count") + "/" + m.get("avg_gen_time"))
                .containsExactlyInAnyOrder("ethics=2/1.88", "history, old=1/3");
        assertThat(c.query("SELECT count, avg_chars FROM golden_set_voice GROUP BY voice"))
                .extracting(m -> m.get("voice") + "=" + m.get("count") + "/" + m.get("avg_chars"))
                .containsExactlyInAnyOrder("calm=2/200", "warm=1/200");
    }

    @Test
    void metricsOnAnEmptyGoldenSetPushesNothing() {
        Path db = tmp.resolve("empty.duckdb");
        try (LemDb d = LemDb.openReadWrite(db)) {
            d.ensureTable("golden_set");
        }
        CliRun r = ml(db, "metrics_empty", "metrics");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("golden_set is empty, nothing to push\n");
    }

    @Test
    void seedInfluxWritesEveryRowOnceUnlessForced() {
        Path db = golden();
        CliRun r = ml(db, "seed_it", "seed-influx", "--batch-size", "2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("DuckDB has 3 records, InfluxDB golden_gen has 0\n"
                        + "Seeded 3 records into InfluxDB golden_gen\n");
        InfluxClient c = InfluxClient.builder(server.url, "seed_it").build();
        List<Map<String, Object>> rows = c.query("SELECT seed_id, gen_time, chars FROM gold_gen GROUP BY i, w, d, v");
        assertThat(rows)
                .extracting(m -> m.get("i") + "," + m.get("w") + "," + m.get("d") + "," + m.get("v") + " "
                        + m.get("seed_id") + " " + m.get("gen_time") + " " + m.get("chars"))
                .containsExactlyInAnyOrder(
                        "1,migration,ethics,calm s\"1 1.25 100",
                        "2,migration,ethics,warm s2 2.5 200",
                        "3,migration,history, old,calm s3 3 300");
        CliRun again = ml(db, "seed_it", "seed-influx");
        assertThat(again.out())
                .isEqualTo("DuckDB has 3 records, InfluxDB golden_gen has 3\n"
                        + "InfluxDB already has all records. Use --force to re-seed.\n");
        CliRun forced = ml(db, "seed_it", "seed-influx", "--force");
        assertThat(forced.out()).endsWith("Seeded 3 records into InfluxDB golden_gen\n");
    }

    @Test
    void seedInfluxWithoutGoldenSetNamesImportAll() {
        Path db = tmp.resolve("none.duckdb");
        try (LemDb d = LemDb.openReadWrite(db)) {
            d.ensureTable("seeds");
        }
        CliRun r = ml(db, "seed_none", "seed-influx");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ml: no golden_set table (run import-all first)\n");
    }
}
