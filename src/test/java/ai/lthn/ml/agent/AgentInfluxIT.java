package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Ports;
import ai.lthn.ml.agent.CheckpointDiscovery.ScoredLabel;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.InfluxTestServer;
import ai.lthn.ml.store.Outbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's InfluxDB side against a real influxd 1.x on loopback. */
class AgentInfluxIT {
    private static InfluxTestServer server;

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = InfluxTestServer.startOrSkip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    private static InfluxClient db(String url, String name) {
        return InfluxClient.builder(url, name).timeout(Duration.ofSeconds(5)).build();
    }

    private AgentInflux agent(InfluxClient c) {
        return new AgentInflux(c, new BufferedInfluxWriter(c, Outbox.open(dir.resolve("outbox"), 3)), log::add);
    }

    private static Checkpoint cp(String label, long iter) {
        return new Checkpoint(
                "/b/adapters-1b",
                iter + "_adapters.safetensors",
                "adapters-1b",
                iter,
                "gemma-3-1b",
                label,
                "1b-capability-auto");
    }

    private static ProbeResult result() {
        return new ProbeResult(
                50,
                1,
                2,
                Map.of("math", new ProbeResult.Category(1, 2)),
                Map.of("math_01", new ProbeResult.Single(true, "4"), "math_02", new ProbeResult.Single(false, "x")));
    }

    private static long count(InfluxClient c, String measurement) {
        List<Map<String, Object>> rows = c.query("SELECT count(\"iteration\") FROM \"" + measurement + "\"");
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("count")).longValue();
    }

    @Test
    void scoredLabelsFindsEveryRunLabelPairOnInflux1() {
        InfluxClient c = db(server.url, "scored");
        c.createDatabase();
        AgentInflux a = agent(c);
        assertThat(a.scoredLabels()).isEmpty();
        a.write(InfluxReporter.capabilitySummary(cp("G1 @0000100", 100), result()));
        a.write(InfluxReporter.capabilitySummary(cp("G1 @0000200", 200), result()));
        assertThat(a.scoredLabels())
                .containsExactlyInAnyOrder(
                        new ScoredLabel("1b-capability-auto", "G1 @0000100"),
                        new ScoredLabel("1b-capability-auto", "G1 @0000200"));
    }

    @Test
    void goMlBufferIsImportedOnceRetiredAndARepeatOverwritesInsteadOfDuplicating() throws Exception {
        InfluxClient c = db(server.url, "gobuffer");
        c.createDatabase();
        AgentInflux a = agent(c);
        String entry =
                "{\"checkpoint\":{\"RemoteDir\":\"/b/adapters-1b\",\"Filename\":\"0000100_adapters.safetensors\","
                        + "\"Dirname\":\"adapters-1b\",\"Iteration\":100,\"ModelTag\":\"gemma-3-1b\",\"Label\":\"G1 @0000100\","
                        + "\"RunID\":\"1b-capability-auto\"},\"results\":{\"accuracy\":50,\"correct\":1,\"total\":2,"
                        + "\"by_category\":{\"math\":{\"correct\":1,\"total\":2}},\"probes\":{\"math_01\":{\"passed\":true,"
                        + "\"response\":\"4\"},\"math_02\":{\"passed\":false,\"response\":\"x\"}}},\"timestamp\":\"2025-03-01T00:00:00Z\"}";
        Files.writeString(dir.resolve("influx_buffer.jsonl"), entry + "\nnot json\n");
        assertThat(a.replay(dir)).isEqualTo(1);
        assertThat(dir.resolve("influx_buffer.jsonl")).doesNotExist();
        assertThat(dir.resolve("influx_buffer.jsonl.replayed")).exists();
        assertThat(Files.readString(dir.resolve("influx_buffer.jsonl.bad"))).isEqualTo("not json\n");
        assertThat(a.replay(dir)).isZero();
        assertThat(count(c, "probe_score")).isEqualTo(2);
        assertThat(count(c, "capability_score")).isEqualTo(2);
        // the same result written live lands on the same points
        a.write(InfluxReporter.capabilityResults(cp("G1 @0000100", 100), result()));
        assertThat(count(c, "probe_score")).isEqualTo(2);
        assertThat(count(c, "capability_score")).isEqualTo(2);
    }

    @Test
    void pointsWrittenWhileInfluxIsDownArriveExactlyOnceAfterwards() {
        InfluxClient live = db(server.url, "outage");
        live.createDatabase();
        InfluxClient dead = db("http://127.0.0.1:" + Ports.freeLoopbackPort(), "outage");
        AgentInflux down = agent(dead);
        assertThat(down.write(InfluxReporter.capabilityResults(cp("G1 @0000300", 300), result())))
                .isEqualTo(BufferedInfluxWriter.Result.BUFFERED);
        assertThat(count(live, "probe_score")).isZero();
        AgentInflux up = agent(live); // same outbox directory, as after a restart
        up.replay(dir);
        up.replay(dir);
        assertThat(count(live, "probe_score")).isEqualTo(2);
        assertThat(count(live, "capability_score")).isEqualTo(2);
    }
}
