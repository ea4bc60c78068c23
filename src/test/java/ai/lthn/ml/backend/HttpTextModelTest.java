package ai.lthn.ml.backend;

import static ai.lthn.ml.backend.SseBodies.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.inference.BatchResult;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.GenerateOption;
import ai.lthn.ml.inference.TokenStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** go-ml's backend_http_textmodel_test.go cases, with streamed tokens. */
class HttpTextModelTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpTextModel model(String name) {
        return HttpBackend.builder(server.url("/").toString(), name)
                .retryPolicy(RetryPolicy.none())
                .build()
                .textModel();
    }

    private static MockResponse badRequest() {
        return new MockResponse.Builder().code(400).body("bad request").build();
    }

    @Test
    void generateStreamsTheReply() {
        server.enqueue(sse(SseBodies.llamaCpp("Hello", " from", " HTTP")));
        try (HttpTextModel m = model("m");
                TokenStream s = m.generate("hi")) {
            assertThat(s.remainingText()).isEqualTo("Hello from HTTP");
        }
    }

    @Test
    void optionsReachTheRequest() throws Exception {
        server.enqueue(sse(SseBodies.llamaCpp("ok")));
        try (TokenStream s =
                model("m").generate("hi", GenerateOption.temperature(0.8f), GenerateOption.maxTokens(100))) {
            s.remainingText();
        }
        JsonNode req =
                JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(req.path("temperature").asDouble()).isCloseTo(0.8, within(0.01));
        assertThat(req.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(req.path("model").asText()).isEqualTo("m");
    }

    @Test
    void chatSendsTheHistory() throws Exception {
        server.enqueue(sse(SseBodies.llamaCpp("chat response")));
        try (TokenStream s = model("m").chat(List.of(Message.system("be brief"), Message.user("hi")))) {
            assertThat(s.remainingText()).isEqualTo("chat response");
        }
        JsonNode req =
                JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(req.path("messages")).hasSize(2);
        assertThat(req.path("messages").get(0).path("role").asText()).isEqualTo("system");
    }

    @Test
    void errorsAreThrownFromTheStreamWithNoTokens() {
        server.enqueue(badRequest());
        TokenStream s = model("m").generate("hi");
        assertThatThrownBy(s::hasNext).isInstanceOf(HttpStatusException.class).hasMessageContaining("400");
        server.enqueue(badRequest());
        TokenStream c = model("m").chat(List.of(Message.user("hi")), GenerateConfig.defaults());
        assertThatThrownBy(c::hasNext).isInstanceOf(HttpStatusException.class);
    }

    @Test
    void classifyIsNotSupported() {
        assertThatThrownBy(() -> model("m").classify(List.of("a"), GenerateConfig.defaults()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("classify not supported");
    }

    @Test
    void batchIsSequentialAndKeepsPerItemFailures() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    String prompt = JSON.readTree(request.getBody().utf8())
                            .path("messages")
                            .get(0)
                            .path("content")
                            .asText();
                    if (prompt.equals("beta")) return badRequest();
                    return sse(SseBodies.llamaCpp("reply:" + prompt));
                } catch (Exception e) {
                    return new MockResponse.Builder().code(500).build();
                }
            }
        });
        List<BatchResult> results =
                model("m").batchGenerate(List.of("alpha", "beta", "gamma"), GenerateConfig.defaults());
        assertThat(results).hasSize(3);
        assertThat(results.get(0).text()).isEqualTo("reply:alpha");
        assertThat(results.get(0).isSuccess()).isTrue();
        assertThat(results.get(1).tokens()).isEmpty();
        assertThat(results.get(1).error()).get().isInstanceOf(HttpStatusException.class);
        assertThat(results.get(2).text()).isEqualTo("reply:gamma");
        assertThat(results.get(2).isSuccess()).isTrue();
    }

    @Test
    void aFailureDoesNotLeakIntoTheNextCall() {
        server.enqueue(badRequest());
        server.enqueue(sse(SseBodies.llamaCpp("fine")));
        HttpTextModel m = model("m");
        assertThatThrownBy(() -> m.generate("a").remainingText()).isInstanceOf(HttpStatusException.class);
        try (TokenStream s = m.generate("b")) {
            assertThat(s.remainingText()).isEqualTo("fine");
        }
    }

    @Test
    void modelTypeInfoAndMetrics() {
        assertThat(model("gpt-4o").modelType()).isEqualTo("gpt-4o");
        assertThat(model("").modelType()).isEqualTo("http");
        assertThat(model("m").info().architecture()).isEqualTo("http");
        HttpTextModel m = model("m");
        assertThat(m.metrics()).isEqualTo(GenerateMetrics.ZERO);
        server.enqueue(sse(SseBodies.llamaCpp("a", "b")));
        try (TokenStream s = m.generate("x")) {
            s.remainingText();
        }
        assertThat(m.metrics().generatedTokens()).isEqualTo(2);
        assertThat(m.metrics().promptTokens()).isEqualTo(9);
    }

    @Test
    void closeCancelsOpenStreams() {
        var script = new SseBodies.Script().write(SseBodies.chunk("t")).stall();
        server.enqueue(sse(script));
        HttpTextModel m = model("m");
        TokenStream s = m.generate("x");
        assertThat(s.next().text()).isEqualTo("t");
        m.close();
        assertThatThrownBy(s::hasNext).isInstanceOf(GenerationCancelledException.class);
        script.release.countDown();
        m.close(); // idempotent
    }

    @Test
    void theConfigsModelOverridesTheBackendsAndEmptyKeepsIt() throws Exception {
        server.enqueue(sse(SseBodies.llamaCpp("a")));
        server.enqueue(sse(SseBodies.llamaCpp("b")));
        try (HttpTextModel m = model("default-model")) {
            try (TokenStream s =
                    m.chat(List.of(Message.user("hi")), GenerateConfig.of(GenerateOption.model("other")))) {
                assertThat(s.remainingText()).isEqualTo("a");
            }
            try (TokenStream s = m.chat(List.of(Message.user("hi")), GenerateConfig.of(GenerateOption.model("")))) {
                assertThat(s.remainingText()).isEqualTo("b");
            }
        }
        assertThat(JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS)
                                .getBody()
                                .utf8())
                        .path("model")
                        .asText())
                .isEqualTo("other");
        assertThat(JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS)
                                .getBody()
                                .utf8())
                        .path("model")
                        .asText())
                .isEqualTo("default-model");
    }
}
