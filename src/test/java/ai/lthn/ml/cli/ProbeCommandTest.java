package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.score.CapabilityProbe;
import ai.lthn.ml.score.CapabilityProbes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml probe against a loopback model that answers the arithmetic probes right and the rest wrong. */
class ProbeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void runsTheProbesAndPrintsGoMlsSummary() throws Exception {
        try (MockWebServer model = new MockWebServer()) {
            model.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    try {
                        String prompt = JSON.readTree(request.getBody().utf8())
                                .path("messages")
                                .get(0)
                                .path("content")
                                .asText();
                        String answer = "I am not sure.";
                        for (CapabilityProbe p : CapabilityProbes.all())
                            if (p.prompt().equals(prompt) && p.category().equals("arithmetic"))
                                answer = "<think>working</think>The answer is " + p.answer() + ".";
                        ObjectNode reply = JSON.createObjectNode();
                        reply.putArray("choices")
                                .addObject()
                                .putObject("message")
                                .put("content", answer);
                        return new MockResponse.Builder().body(reply.toString()).build();
                    } catch (Exception e) {
                        return new MockResponse.Builder().code(500).build();
                    }
                }
            });
            model.start();
            Path output = dir.resolve("probes.json");
            CliRun r = CliRun.of(
                    "probe", "--api-url", model.url("/").toString(), "--model", "m1", "--output", output.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out())
                    .contains("Running 23 capability probes against")
                    .contains("Results: 8.7% (2/23)")
                    .contains(String.format("  %-20s %d/%d (%.0f%%)", "arithmetic", 2, 2, 100.0))
                    .contains(String.format("  %-20s %d/%d (%.0f%%)", "deduction", 0, 3, 0.0))
                    .contains("Results written to");
            JsonNode doc = JSON.readTree(output.toFile());
            assertThat(doc.path("correct").asInt()).isEqualTo(2);
            assertThat(doc.path("total").asInt()).isEqualTo(23);
            assertThat(doc.path("probes").path("math_01").path("passed").asBoolean())
                    .isTrue();
            assertThat(doc.path("probes").path("math_01").path("response").asText())
                    .isEqualTo("The answer is 10063.");
            assertThat(doc.path("by_category")
                            .path("arithmetic")
                            .path("correct")
                            .asInt())
                    .isEqualTo(2);
            assertThat(model.getRequestCount()).isEqualTo(23);
            JsonNode first = JSON.readTree(model.takeRequest().getBody().utf8());
            assertThat(first.path("model").asText()).isEqualTo("m1");
            assertThat(first.path("max_tokens").asInt()).isEqualTo(500);
        }
    }

    @Test
    void apiUrlIsRequired() {
        CliRun r = CliRun.of("probe");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--api-url");
    }

    @Test
    void resumeWithRetryFailedAsksAgainOnlyTheProbesThatFailed() throws Exception {
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (MockWebServer model = new MockWebServer()) {
            model.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    if (broken.get() && served.get() >= 10) // the server breaks after ten answers
                    return new MockResponse.Builder()
                                .code(400)
                                .body("{\"error\":{\"message\":\"down\"}}")
                                .build();
                    served.incrementAndGet();
                    return new MockResponse.Builder()
                            .body("{\"choices\":[{\"message\":{\"content\":\"I am not sure.\"}}]}")
                            .build();
                }
            });
            model.start();
            Path output = dir.resolve("probes.json");
            String url = model.url("/").toString();
            assertThat(CliRun.of("probe", "--api-url", url, "--output", output.toString())
                            .status())
                    .isZero();
            int first = model.getRequestCount();
            broken.set(false);
            CliRun again =
                    CliRun.of("probe", "--api-url", url, "--output", output.toString(), "--resume", "--retry-failed");
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(again.err()).contains("10 probe answers reused from the ledger");
            assertThat(model.getRequestCount() - first)
                    .as("only the 13 failed probes asked again")
                    .isEqualTo(13);
            JsonNode doc = JSON.readTree(output.toFile());
            for (JsonNode p : doc.path("probes"))
                assertThat(p.path("response").asText()).isEqualTo("I am not sure.");
        }
    }
}
