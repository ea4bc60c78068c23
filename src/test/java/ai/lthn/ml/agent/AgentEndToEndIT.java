package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.cli.Main;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.InfluxTestServer;
import ai.lthn.ml.store.ResultsDb;
import ai.lthn.ml.transport.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ml agent --one-shot} against a real OpenSSH sshd serving a training-host tree (real MLX
 * adapters, nested and flat layouts, hostile names), MockWebServer as Ollama, the judge and the
 * inference API, and a real influxd 1.x. Each {@code ml agent} run is its own JVM, as a user
 * (or cron) runs it.
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

    /** {@code ml} as its own process, as a user runs it; the output, after asserting the status. */
    private String run(int expectedStatus, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.command(Main.class));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "ml-", ".out");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ml agent did not finish in 180 s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isEqualTo(expectedStatus);
        return out;
    }

    private String run(String... args) throws Exception {
        return run(0, args);
    }

    /** Ollama, the judge and the inference API in one; {@code onProbe} sees each probe call. */
    private void serveModels(Runnable onProbe) {
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
                onProbe.run();
                return new MockResponse.Builder()
                        .code(200)
                        .body(chat("I am not sure."))
                        .build();
            }
        });
    }

    private long entries(String outboxDir) throws Exception {
        try (var files = Files.list(tmp.resolve("work/outbox").resolve(outboxDir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".entry"))
                    .count();
        }
    }

    /** The training host's tree: flat and nested layouts, and two hostile directory names. */
    private static Path trainingTree(OpenSshServer ssh) throws Exception {
        Path base = ssh.dir.resolve("lem");
        adapter(base.resolve("adapters-1b-a"), "0000100_adapters.safetensors");
        adapter(base.resolve("adapters-15k/gemma-3-1b"), "0000200_adapters.safetensors");
        adapter(base.resolve("adapters-x;touch INJECTED;"), "0000010_adapters.safetensors");
        adapter(base.resolve("adapters-$(touch INJECTED2)"), "0000020_adapters.safetensors");
        return base;
    }

    private String[] agentArgs(OpenSshServer ssh, InfluxTestServer influx, Path base) {
        String url = server.url("/").toString();
        return java.util.stream.Stream.of(
                        java.util.List.of("agent", "--one-shot", "--pause", "0"),
                        ssh.m3Flags(),
                        java.util.List.of(
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
                                tmp.resolve("lem.duckdb").toString()))
                .flatMap(java.util.List::stream)
                .toArray(String[]::new);
    }

    /** Every checkpoint scored once: exact point counts, labels, DuckDB rows, no injected file. */
    private void assertEachCheckpointRecordedOnce(OpenSshServer ssh, InfluxTestServer influx) throws Exception {
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

    @Test
    void oneShotRunsScoreEachCheckpointOnceAndDeleteTheTemporaryModels() throws Exception {
        assumeTrue(OpenSshServer.available(), "needs /usr/sbin/sshd and root; skipping");
        InfluxTestServer.requireInstalled();
        serveModels(() -> {});
        try (OpenSshServer ssh = new OpenSshServer();
                InfluxTestServer influx = new InfluxTestServer()) {
            String[] args = agentArgs(ssh, influx, trainingTree(ssh));
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < 5; i++) outputs.add(run(args));
            assertThat(outputs.get(4)).contains("Nothing to score.");
            assertEachCheckpointRecordedOnce(ssh, influx);
            assertThat(calls.stream().filter(s -> s.startsWith("DELETE /api/delete")))
                    .hasSize(2)
                    .anyMatch(s -> s.contains("lem-gemma-3-1b-100"))
                    .anyMatch(s -> s.contains("lem-gemma-3-1b-200"));
        }
    }

    @Test
    void influxStoppedMidRunLosesNothingAndDuplicatesNothingOnceItIsBack() throws Exception {
        assumeTrue(OpenSshServer.available(), "needs /usr/sbin/sshd and root; skipping");
        InfluxTestServer.requireInstalled();
        try (OpenSshServer ssh = new OpenSshServer();
                InfluxTestServer influx = new InfluxTestServer()) {
            AtomicInteger probesLeft = new AtomicInteger(Integer.MAX_VALUE);
            AtomicBoolean stopped = new AtomicBoolean();
            serveModels(() -> {
                // the 10th probe of the second checkpoint: its first points are in InfluxDB,
                // the rest are not yet written, and the judge has not been asked
                if (probesLeft.decrementAndGet() == 0 && stopped.compareAndSet(false, true)) {
                    try {
                        influx.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            String[] args = agentArgs(ssh, influx, trainingTree(ssh));
            run(args); // the first checkpoint, InfluxDB up
            probesLeft.set(10);
            run(args); // InfluxDB goes down while the second is evaluated
            assertThat(stopped).isTrue();
            assertThat(entries("pending"))
                    .as("points kept on disk during the outage")
                    .isPositive();
            InfluxClient c = InfluxClient.builder(influx.url, "training").build();
            assertThat(c.ping()).isFalse();

            influx.start(); // back, with its data
            for (int i = 0; i < 3; i++) run(args); // the buffered points go first, then the rest
            assertThat(run(args)).contains("Nothing to score.");
            assertEachCheckpointRecordedOnce(ssh, influx);
            assertThat(entries("pending")).as("the outbox is drained").isZero();
            assertThat(entries("dead")).as("nothing given up on").isZero();
        }
    }
}
