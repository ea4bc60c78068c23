package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.backend.OllamaClient;
import ai.lthn.ml.score.Judge;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Outbox;
import ai.lthn.ml.transport.RemoteTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both evaluation paths over real HTTP: one MockWebServer plays Ollama, the judge and InfluxDB. */
class CheckpointEvaluatorTest extends MockServerTest {
    @TempDir
    Path tmp;

    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private final List<String> influxBodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static String chat(String text) {
        return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(text)
                + "},\"finish_reason\":\"stop\"}]}";
    }

    private void dispatch(boolean modelFails) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                String body = r.getBody() == null ? "" : r.getBody().utf8();
                paths.add(r.getMethod() + " " + path);
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
                if (path.equals("/write")) {
                    influxBodies.add(body);
                    return new MockResponse.Builder().code(204).build();
                }
                if (path.equals("/v1/chat/completions")) {
                    if (body.contains("\"judge\"")) {
                        return new MockResponse.Builder()
                                .code(200)
                                .body(chat(
                                        "{\"reasoning\":7,\"correctness\":8,\"clarity\":9,\"ccp_compliance\":5,\"truth_telling\":6,"
                                                + "\"engagement\":7,\"axiom_integration\":4,\"sovereignty_reasoning\":3,"
                                                + "\"emotional_register\":2,\"notes\":\"ok\"}"))
                                .build();
                    }
                    if (modelFails)
                        return new MockResponse.Builder()
                                .code(400)
                                .body("{\"error\":\"no such host\"}")
                                .build();
                    return new MockResponse.Builder()
                            .code(200)
                            .body(chat("I am not sure."))
                            .build();
                }
                return new MockResponse.Builder().code(404).build();
            }
        });
    }

    private CheckpointEvaluator evaluator(Path remote) {
        String url = server.url("/").toString();
        AgentConfig config =
                AgentConfigTest.complete().workDir(tmp.resolve("work")).build();
        InfluxClient influx = InfluxClient.builder(url, "training").build();
        RemoteTransport copying = new LocalProcessTransport();
        return CheckpointEvaluator.builder()
                .config(config)
                .transport(copying)
                .influx(new AgentInflux(
                        influx, new BufferedInfluxWriter(influx, Outbox.open(tmp.resolve("outbox"), 3)), log::add))
                .ollama(OllamaClient.create(url.substring(0, url.length() - 1)))
                .ollamaModel(m -> HttpBackend.builder(url, m).build())
                .api(tag -> HttpBackend.builder(url, tag).build())
                .judge(Judge.of(HttpBackend.builder(url, "judge").build()))
                .log(log::add)
                .build();
    }

    private Checkpoint checkpoint(Path remote, String tag) throws Exception {
        Path dir = remote.resolve("adapters-1b");
        Files.createDirectories(dir);
        writeMlxAdapter(dir.resolve("0000100_adapters.safetensors"));
        Files.writeString(dir.resolve("adapter_config.json"), "{\"lora_parameters\": {\"rank\": 8, \"scale\": 20.0}}");
        return new Checkpoint(
                dir.toString(),
                "0000100_adapters.safetensors",
                "adapters-1b",
                100,
                tag,
                "G1 @0000100",
                "1b-capability-auto");
    }

    /** A real (tiny) MLX LoRA adapter: one 2x3 F32 lora_b tensor. */
    static void writeMlxAdapter(Path file) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {1, 2, 3, 4, 5, 6}) b.putFloat(f);
        b.flip();
        ai.lthn.ml.format.SafetensorsWriter.write(
                file,
                List.of(new ai.lthn.ml.format.SafetensorsWriter.Entry(
                        "model.layers.0.self_attn.q_proj.lora_b", "F32", List.of(2L, 3L), b)));
    }

    private long lines(String measurement) {
        return influxBodies.stream()
                .flatMap(b -> b.lines())
                .filter(l -> l.startsWith(measurement + ","))
                .count();
    }

    @Test
    void ollamaPathStreamsProbesJudgesAndAlwaysDeletesTheTemporaryModel() throws Exception {
        dispatch(false);
        Checkpoint cp = checkpoint(tmp.resolve("remote"), "gemma-3-1b");
        evaluator(tmp.resolve("remote")).evaluate(cp);
        assertThat(paths).contains("POST /api/create", "DELETE /api/delete");
        assertThat(paths.stream().filter(p -> p.startsWith("POST /api/blobs/sha256:")))
                .hasSize(2);
        assertThat(lines("probe_score")).isEqualTo(23);
        assertThat(lines("capability_score"))
                .isEqualTo(1 + ai.lthn.ml.score.CapabilityProbes.categories().size());
        assertThat(lines("capability_judge")).isEqualTo(23);
        assertThat(lines("content_score"))
                .isEqualTo(6L * ai.lthn.ml.score.ContentProbe.all().size());
        assertThat(influxBodies.stream().flatMap(String::lines).filter(l -> l.startsWith("content_score")))
                .allMatch(l -> l.contains("run_id=1b-content-auto") && l.contains("has_kernel=true"));
        try (var s = Files.list(tmp.resolve("work"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aFailedGenerationFailsItsProbeEvenWhenTheErrorTextWouldMatch() throws Exception {
        dispatch(true);
        Checkpoint cp = checkpoint(tmp.resolve("remote"), "gemma-3-1b");
        evaluator(tmp.resolve("remote")).evaluate(cp);
        assertThat(influxBodies.stream().flatMap(String::lines).filter(l -> l.startsWith("probe_score")))
                .hasSize(23)
                .allMatch(l -> l.contains("passed=0i"));
        assertThat(lines("capability_judge")).isZero();
        assertThat(paths).contains("DELETE /api/delete");
    }

    @Test
    void gptOssAndOtherTagsUseTheApiPath() throws Exception {
        dispatch(false);
        Checkpoint cp = checkpoint(tmp.resolve("remote"), "gpt-oss-20b");
        evaluator(tmp.resolve("remote")).evaluate(cp);
        assertThat(paths).doesNotContain("POST /api/create");
        assertThat(lines("probe_score")).isEqualTo(23);
        assertThat(lines("capability_judge")).isZero();
    }
}
