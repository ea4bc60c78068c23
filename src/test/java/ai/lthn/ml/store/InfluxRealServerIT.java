package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Ports;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * InfluxClient against a real influxd 1.x on loopback (started and stopped here; skipped with a
 * message when influxd is not installed: {@code apt-get install influxdb}, as .ci/run does).
 */
class InfluxRealServerIT {
    private static InfluxTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = InfluxTestServer.startOrSkip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    private static InfluxClient db(String name) {
        InfluxClient c = InfluxClient.builder(server.url, name).build();
        c.createDatabase();
        return c;
    }

    @Test
    void escapedTagsAndStringsRoundTrip() {
        InfluxClient c = db("roundtrip");
        String nasty = "a,b=c d\\e \"q\"";
        c.write(List.of(Point.builder("m")
                .tag("label", nasty)
                .field("note", "say \"hi\" \\ bye")
                .field("v", 3)
                .timestampNanos(1_000_000_000L)
                .build()));
        List<Map<String, Object>> rows = c.query("SELECT note, v FROM m GROUP BY label");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .containsEntry("label", nasty)
                .containsEntry("note", "say \"hi\" \\ bye")
                .containsEntry("v", 3L);
    }

    @Test
    void aDeterministicTimestampMakesARewriteOverwrite() {
        InfluxClient c = db("idempotent");
        Point first = Point.builder("probe_score")
                .tag("probe_id", "p1")
                .field("passed", 1)
                .timestampNanos(5)
                .build();
        Point again = Point.builder("probe_score")
                .tag("probe_id", "p1")
                .field("passed", 0)
                .timestampNanos(5)
                .build();
        c.write(List.of(first));
        c.write(List.of(again));
        List<Map<String, Object>> rows = c.query("SELECT count(passed), sum(passed) FROM probe_score");
        assertThat(rows.get(0)).containsEntry("count", 1L).containsEntry("sum", 0L);
    }

    @Test
    void aPartialWriteIsA400AndKeepsTheGoodLines() {
        InfluxClient c = db("partial");
        c.write(List.of(Point.builder("t").field("v", 1).timestampNanos(1).build()));
        assertThatThrownBy(() -> c.write(List.of(
                        Point.builder("t").field("v", 2).timestampNanos(2).build(),
                        Point.builder("t").field("v", "text").timestampNanos(3).build())))
                .isInstanceOfSatisfying(
                        HttpStatusException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("field type conflict");
        assertThat(c.query("SELECT count(v) FROM t").get(0)).containsEntry("count", 2L);
    }

    @Test
    void anUnknownDatabaseIsA404NotRetried() {
        InfluxClient c = InfluxClient.builder(server.url, "never_created").build();
        assertThatThrownBy(() -> c.write(List.of(
                        Point.builder("t").field("v", 1).timestampNanos(1).build())))
                .isInstanceOfSatisfying(
                        HttpStatusException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404))
                .hasMessageContaining("database not found");
    }

    /** Probe {@code i}'s point, at a deterministic time. */
    private static Point probe(int i) {
        return Point.builder("probe_score")
                .tag("probe_id", "p" + i)
                .field("passed", 1)
                .timestampNanos(1_000 + i)
                .build();
    }

    @Test
    void pointsBufferedWhileTheServerIsDownAreReplayedExactlyOnce(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int dead = Ports.freeLoopbackPort();
        InfluxClient down = InfluxClient.builder("http://127.0.0.1:" + dead, "buffered")
                .retryPolicy(ai.lthn.ml.RetryPolicy.none())
                .build();
        Outbox outbox = Outbox.open(dir);
        BufferedInfluxWriter offline = new BufferedInfluxWriter(down, outbox);
        for (int i = 0; i < 3; i++)
            assertThat(offline.write(List.of(probe(i)))).isEqualTo(BufferedInfluxWriter.Result.BUFFERED);
        assertThat(offline.replay().remaining()).isEqualTo(3); // still down: nothing lost

        InfluxClient up = db("buffered");
        BufferedInfluxWriter online = new BufferedInfluxWriter(up, Outbox.open(dir));
        assertThat(online.replay()).isEqualTo(new Outbox.DrainResult(3, 0, 0, 0));
        assertThat(up.query("SELECT count(passed) FROM probe_score").get(0)).containsEntry("count", 3L);
        // A second copy of the same points (deterministic timestamps) overwrites, not duplicates.
        online.write(List.of(probe(0)));
        assertThat(up.query("SELECT count(passed) FROM probe_score").get(0)).containsEntry("count", 3L);
    }

    @Test
    void anOutageNeverDeadLettersGoodPoints(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // influxd stopped for real: every replay fails to connect, however often it is tried;
        // started again, everything buffered arrives, nothing is in dead/
        InfluxClient c = InfluxClient.builder(server.url, "outage")
                .retryPolicy(ai.lthn.ml.RetryPolicy.none())
                .build();
        c.createDatabase();
        Outbox outbox = Outbox.open(dir);
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        BufferedInfluxWriter w = new BufferedInfluxWriter(c, outbox, clock);
        server.stop();
        try {
            for (int i = 0; i < 3; i++)
                assertThat(w.write(List.of(probe(i)))).isEqualTo(BufferedInfluxWriter.Result.BUFFERED);
            for (int attempt = 0; attempt < 12; attempt++) {
                clock.advance(BufferedInfluxWriter.MAX_BACKOFF); // past any backoff: a real attempt
                Outbox.DrainResult r = w.replay();
                assertThat(r.rejected())
                        .as("replay %d dead-lettered a good point", attempt)
                        .isZero();
                assertThat(r.remaining()).isEqualTo(3);
            }
        } finally {
            server.start();
        }
        assertThat(w.replay().delivered()).as("within the backoff: not tried").isZero();
        clock.advance(BufferedInfluxWriter.MAX_BACKOFF);
        assertThat(w.replay()).isEqualTo(new Outbox.DrainResult(3, 0, 0, 0));
        assertThat(c.query("SELECT count(passed) FROM probe_score").get(0)).containsEntry("count", 3L);
        try (var dead = java.nio.file.Files.list(dir.resolve("dead"))) {
            assertThat(dead).isEmpty();
        }
    }

    @Test
    void pointsWithoutATimestampDoNotOverwriteEachOther() {
        InfluxClient c = db("stamped");
        c.write(List.of(Point.builder("event").tag("k", "v").field("n", 1).build()));
        c.write(List.of(Point.builder("event").tag("k", "v").field("n", 2).build()));
        assertThat(c.query("SELECT count(n) FROM event").get(0)).containsEntry("count", 2L);
    }
}
