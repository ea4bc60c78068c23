package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.server.OpenAiServer;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The legacy {@code /v1/completions} client: whole and streamed, against MockWebServer and our own server. */
class HttpCompletionTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpBackend backend() {
        return HttpBackend.builder(server.url("/").toString(), "base-m")
                .sleeper(d -> {})
                .build();
    }

    private JsonNode sent() throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/completions");
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void aCompletionSendsThePromptAsItIsAndReturnsTheText() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" over the lazy dog\","
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5}}")
                .build());
        String text = backend()
                .completion(
                        "The quick brown fox jumps",
                        GenOpts.builder()
                                .maxTokens(16)
                                .temperature(0)
                                .stop(List.of("\n"))
                                .build());
        assertThat(text).isEqualTo(" over the lazy dog");
        JsonNode body = sent();
        assertThat(body.path("prompt").asText()).isEqualTo("The quick brown fox jumps");
        assertThat(body.has("messages")).isFalse();
        assertThat(body.path("model").asText()).isEqualTo("base-m");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(16);
        assertThat(body.path("stop").get(0).asText()).isEqualTo("\n");
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void aStreamedCompletionYieldsEachEventsText() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body("data: {\"choices\":[{\"index\":0,\"text\":\" over\",\"finish_reason\":null}]}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"text\":\" the dog\",\"finish_reason\":\"length\"}]}\n\n"
                        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}\n\n"
                        + "data: [DONE]\n\n")
                .build());
        List<String> tokens = new ArrayList<>();
        TokenStream s = backend().streamCompletion("The quick brown fox jumps", GenOpts.defaults());
        try (s) {
            s.forEachRemaining(t -> tokens.add(t.text()));
        }
        assertThat(tokens).containsExactly(" over", " the dog");
        assertThat(s.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(s.metrics().promptTokens()).isEqualTo(5);
        assertThat(s.metrics().generatedTokens()).isEqualTo(3);
        JsonNode body = sent();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("prompt").asText()).isEqualTo("The quick brown fox jumps");
    }

    @Test
    void nothingIsSentBeforeTheFirstReadAndClosingCancels() throws Exception {
        TokenStream s = backend().streamCompletion("x", GenOpts.defaults());
        s.close();
        assertThatThrownBy(s::hasNext).isInstanceOf(GenerationCancelledException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aRefusalIsTheStatusErrorChatGives() {
        server.enqueue(new MockResponse.Builder()
                .code(404)
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"completions are not served\",\"type\":\"invalid_request_error\"}}")
                .build());
        assertThatThrownBy(() -> backend().completion("x", GenOpts.defaults()))
                .isInstanceOf(HttpStatusException.class)
                .hasMessageContaining("completions are not served");
    }

    /** Our own server's {@code /v1/completions}, whole and streamed, read by this client. */
    @Test
    void itReadsOurServersCompletions() throws Exception {
        try (OpenAiServer ours = OpenAiServer.builder(ScriptedTextModel.of(" jumps", " over"))
                .modelId("served")
                .drain(Duration.ZERO)
                .build()
                .start()) {
            HttpBackend client = HttpBackend.builder(ours.url(), "served").build();
            assertThat(client.completion("The fox", GenOpts.defaults())).isEqualTo(" jumps over");
            List<String> tokens = new ArrayList<>();
            try (TokenStream s = client.streamCompletion("The fox", GenOpts.defaults())) {
                s.forEachRemaining(t -> tokens.add(t.text()));
            }
            assertThat(String.join("", tokens)).isEqualTo(" jumps over");
        }
    }
}
