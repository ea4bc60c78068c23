package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.cli.Main;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.InfluxTestServer;
import ai.lthn.ml.store.ResultsDb;
import ai.lthn.ml.transport.OpenSshServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ml agent --one-shot} against a real OpenSSH sshd serving a training-host tree (real MLX
 * adapters, nested and flat layouts, hostile names), MockWebServer as Ollama, the judge and the
 * inference API, and a real influxd 1.x.
 */
class AgentEndToEndIT extends MockServerTest {
    @TempDir
    Path tmp;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    private static String chat(String text) {
        return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(text)
                + "},\"finish_reason\":\"stop\"}]}";
    }

    private static void adapter(Path dir, String file) throws Exception {
        Files.createDirectories(dir);
        CheckpointEvaluatorTest.writeMlxAdapter(dir.resolve(file));
        Files.writeString(dir.resolve("adapter_config.json"), "{\"lora_parameters\": {\"rank\": 8, \"scale\": 20.0}}");
    }

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(out + "\n" + err).isZero();
        return out.toString();
    }

    @Test
    void oneShotRunsScoreEachCheckpointOnceAndDeleteTheTemporaryModels() throws Exception {
        assumeTrue(OpenSshServer.available(), "needs /usr/sbin/sshd and root; skipping");
        assumeTrue(InfluxTestServer.available(), "influxd not installed; skipping");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                String body = r.getBody() == null ? "" : r.getBody().utf8();
                calls.add(r.getMethod() + " " + path + (path.equals("/api/delete") ? " " + body : ""));
                if (path.startsWith("/api/blobs"))
                    return new MockResponse.Builder()
                            .code(r.getMethod().equals("HEAD") ? 404 : 201)
                            .build();
                if (path.equals("/api/create"))
                    return new MockResponse.Builder()
                            .code(200)
                            .body("{\"status\":\"success\"}\n")
                            .build();
                if (path.equals("/api/delete"))
                    return new MockResponse.Builder().code(200).build();
                if (body.contains("\"judge\"")) {
                    return new MockResponse.Builder()
                            .code(200)
                            .body(chat(
                                    "{\"reasoning\":7,\"correctness\":8,\"clarity\":9,\"ccp_compliance\":5,\"truth_telling\":6,"
                                            + "\"engagement\":7,\"axiom_integration\":4,\"sovereignty_reasoning\":3,"
                                            + "\"emotional_register\":2}"))
                            .build();
                }
                return new MockResponse.Builder()
                        .code(200)
                        .body(chat("I am not sure."))
                        .build();
            }
        });
        try (OpenSshServer ssh = new OpenSshServer();
                InfluxTestServer influx = new InfluxTestServer()) {
            Path base = ssh.dir.resolve("lem");
            adapter(base.resolve("adapters-1b-a"), "0000100_adapters.safetensors");
            adapter(base.resolve("adapters-15k/gemma-3-1b"), "0000200_adapters.safetensors");
            adapter(base.resolve("adapters-x;touch INJECTED;"), "0000010_adapters.safetensors");
            adapter(base.resolve("adapters-$(touch INJECTED2)"), "0000020_adapters.safetensors");
            String url = server.url("/").toString();
            String[] args = {
                "agent",
                "--one-shot",
                "--pause",
                "0",
                "--m3-host",
                "127.0.0.1",
                "--m3-port",
                "" + ssh.port,
                "--m3-user",
                "root",
                "--m3-ssh-key",
                ssh.clientKey.toString(),
                "--known-hosts",
                ssh.knownHosts.toString(),
                "--m3-adapter-base",
                base.toString(),
                "--work-dir",
                tmp.resolve("work").toString(),
                "--api-url",
                url,
                "--judge-url",
                url,
                "--judge-model",
                "judge",
                "--influx",
                influx.url,
                "--influx-db",
                "training",
                "--db",
                tmp.resolve("lem.duckdb").toString()
            };
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < 5; i++) outputs.add(run(args));
            assertThat(outputs.get(4)).contains("Nothing to score.");
            InfluxClient c = InfluxClient.builder(influx.url, "training").build();
            assertThat(((Number) c.query("SELECT count(\"passed\") FROM \"probe_score\"")
                                    .get(0)
                                    .get("count"))
                            .longValue())
                    .isEqualTo(4 * 23);
            assertThat(new AgentInflux(
                                    c,
                                    new ai.lthn.ml.store.BufferedInfluxWriter(
                                            c, ai.lthn.ml.store.Outbox.open(tmp.resolve("o"), 3)),
                                    s -> {})
                            .scoredLabels())
                    .extracting(CheckpointDiscovery.ScoredLabel::label)
                    .containsExactlyInAnyOrder(
                            "G1-a @0000100", "G1 @0000200", "x;touch IN @0000010", "$(touch IN @0000020");
            assertThat(((Number) c.query("SELECT count(\"score\") FROM \"content_score\"")
                                    .get(0)
                                    .get("count"))
                            .longValue())
                    .isEqualTo(2 * 6 * ai.lthn.ml.score.ContentProbe.all().size());
            assertThat(calls.stream().filter(s -> s.startsWith("DELETE /api/delete")))
                    .hasSize(2)
                    .anyMatch(s -> s.contains("lem-gemma-3-1b-100"))
                    .anyMatch(s -> s.contains("lem-gemma-3-1b-200"));
            try (ResultsDb db = ResultsDb.openReadOnly(tmp.resolve("lem.duckdb"))) {
                Map<String, Long> counts = db.tableCounts();
                assertThat(counts.get("checkpoint_scores")).isEqualTo(4);
                assertThat(counts.get("probe_results")).isEqualTo(4 * 23);
            }
            try (var files = Files.walk(ssh.dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("INJECTED"));
            }
            try (var files = Files.list(tmp.resolve("work"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsOnly("outbox");
            }
        }
    }
}
