package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.CallEvent;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.inference.Embeddings;
import ai.lthn.ml.inference.TokenStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance suite: the reply and stream shapes of OpenAI, llama.cpp's server, vLLM and
 * Ollama's {@code /v1} (test resources under {@code backend/conformance/}, written from their
 * documentation; see the README there) replayed on loopback against {@link HttpBackend} and
 * {@link HttpTextModel}, and the requests the client sends checked against OpenAI's shapes.
 */
class ConformanceTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<CallEvent> calls = new CopyOnWriteArrayList<>();

    private static String resource(String vendor, String name) throws IOException {
        String path = "/ai/lthn/ml/backend/conformance/" + vendor + "/" + name;
        try (InputStream in = ConformanceTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode expect(String vendor) throws IOException {
        return JSON.readTree(resource(vendor, "expect.json"));
    }

    private HttpBackend backend() {
        return HttpBackend.builder(server.url("/").toString(), "model-x")
                .retryPolicy(RetryPolicy.none())
                .observer(calls::add)
                .build();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(body)
                .build();
    }

    private JsonNode request(String path) throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the server").isNotNull();
        assertThat(r.getUrl().encodedPath()).isEqualTo(path);
        return r.getBody() == null || r.getBody().size() == 0
                ? null
                : JSON.readTree(r.getBody().utf8());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp", "vllm", "ollama"})
    void aNonStreamedChatGivesItsTextAndUsage(String vendor) throws Exception {
        JsonNode e = expect(vendor).path("chat");
        server.enqueue(json(200, resource(vendor, "chat.json")));
        String text = backend().chat(List.of(Message.system("be brief"), Message.user("Hi")), GenOpts.defaults());
        assertThat(text).isEqualTo(e.path("text").asText());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).promptTokens()).isEqualTo(e.path("prompt").asInt());
        assertThat(calls.get(0).completionTokens())
                .isEqualTo(e.path("completion").asInt());

        JsonNode req = request("/v1/chat/completions");
        assertThat(req.path("model").asText()).isEqualTo("model-x");
        assertThat(req.path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"Hi\"}]");
        assertThat(req.path("stream").asBoolean(false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp", "vllm", "ollama"})
    void theNonStreamedReplyToAStreamRequestKeepsItsFinishReason(String vendor) throws Exception {
        JsonNode e = expect(vendor).path("chat");
        server.enqueue(json(200, resource(vendor, "chat.json")));
        try (TokenStream s = backend().streamChat(List.of(Message.user("Hi")), GenOpts.defaults())) {
            assertThat(s.remainingText()).isEqualTo(e.path("text").asText());
            assertThat(s.finishReason().wireName()).isEqualTo(e.path("finish").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp", "vllm", "ollama"})
    void aStreamGivesItsTokensFinishReasonAndTheUsageChunk(String vendor) throws Exception {
        JsonNode e = expect(vendor).path("stream");
        server.enqueue(sse(resource(vendor, "chat-stream.sse")));
        List<String> tokens = new ArrayList<>();
        try (TokenStream s = backend()
                .textModel()
                .chat(List.of(Message.user("Hi")), ai.lthn.ml.inference.GenerateConfig.defaults())) {
            while (s.hasNext()) tokens.add(s.next().text());
            assertThat(s.finishReason().wireName()).isEqualTo(e.path("finish").asText());
            assertThat(s.metrics().promptTokens()).isEqualTo(e.path("prompt").asInt());
            assertThat(s.metrics().generatedTokens())
                    .isEqualTo(e.path("completion").asInt());
        }
        List<String> expected = new ArrayList<>();
        e.path("tokens").forEach(t -> expected.add(t.asText()));
        assertThat(tokens).as("no empty token for a role-only or empty delta").isEqualTo(expected);

        JsonNode req = request("/v1/chat/completions");
        assertThat(req.path("stream").asBoolean()).isTrue();
        assertThat(req.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp", "vllm", "ollama"})
    void theModelListIsRead(String vendor) throws Exception {
        server.enqueue(json(200, resource(vendor, "models.json")));
        List<String> expected = new ArrayList<>();
        expect(vendor).path("models").forEach(m -> expected.add(m.asText()));
        assertThat(backend().models()).isEqualTo(expected);
        assertThat(request("/v1/models")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp", "vllm", "ollama"})
    void embeddingsAreReadWithTheirUsage(String vendor) throws Exception {
        JsonNode e = expect(vendor).path("embeddings");
        server.enqueue(json(200, resource(vendor, "embeddings.json")));
        Embeddings got = backend().embeddings("embedder", List.of("The food was delicious"));
        assertThat(got.vectors()).hasSize(1);
        float[] v = got.vectors().get(0);
        assertThat(v).hasSize(e.path("first").size());
        for (int i = 0; i < v.length; i++)
            assertThat(v[i]).as("as float32").isEqualTo((float)
                    e.path("first").get(i).asDouble());
        assertThat(got.promptTokens()).isEqualTo(e.path("prompt").asInt());
        JsonNode req = request("/v1/embeddings");
        assertThat(req.path("model").asText()).isEqualTo("embedder");
        assertThat(req.path("input").toString()).isEqualTo("[\"The food was delicious\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "llamacpp", "vllm", "ollama"})
    void errorEnvelopesKeepTheirStatusAndMessage(String vendor) throws Exception {
        Iterator<Map.Entry<String, JsonNode>> errors =
                expect(vendor).path("errors").fields();
        assertThat(errors.hasNext()).isTrue();
        while (errors.hasNext()) {
            Map.Entry<String, JsonNode> error = errors.next();
            int status = Integer.parseInt(error.getKey());
            server.enqueue(json(status, resource(vendor, "error-" + status + ".json")));
            assertThatThrownBy(() -> backend().chat(List.of(Message.user("Hi")), GenOpts.defaults()))
                    .as(vendor + " " + status)
                    .isInstanceOfSatisfying(HttpStatusException.class, h -> {
                        assertThat(h.statusCode()).isEqualTo(status);
                        assertThat(h.getMessage())
                                .contains(String.valueOf(status))
                                .contains(error.getValue().asText())
                                .as("the message, not the raw JSON")
                                .doesNotContain("\"message\"")
                                .doesNotContain("\"error\"");
                    });
            request("/v1/chat/completions");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llamacpp"})
    void anErrorEventAfterATokenFailsTheStreamWithItsPartialText(String vendor) throws Exception {
        JsonNode e = expect(vendor).path("streamError");
        server.enqueue(sse(resource(vendor, "stream-error.sse")));
        TokenStream s = backend().streamChat(List.of(Message.user("Hi")), GenOpts.defaults());
        List<String> tokens = new ArrayList<>();
        assertThatThrownBy(() -> {
                    while (s.hasNext()) tokens.add(s.next().text());
                })
                .isInstanceOfSatisfying(MlException.class, x -> {
                    assertThat(x.getMessage()).contains(e.path("message").asText());
                    assertThat(x.partialText()).isEqualTo(e.path("partial").asText());
                });
        s.close();
        assertThat(tokens).containsExactly(e.path("partial").asText());
    }

    @org.junit.jupiter.api.Test
    void llamaCppsLoadingModel503IsRetriedUntilTheModelAnswers() throws Exception {
        server.enqueue(json(503, resource("llamacpp", "error-503.json")));
        server.enqueue(json(200, resource("llamacpp", "chat.json")));
        HttpBackend b = HttpBackend.builder(server.url("/").toString(), "m")
                .retries(3, java.time.Duration.ofMillis(1))
                .build();
        assertThat(b.chat(List.of(Message.user("Hi")), GenOpts.defaults())).isEqualTo("Hello from llama.cpp");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }
}
