package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.testing.ManualTime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** go-ml's backend_http_test.go cases and the additions, on a loopback MockWebServer. */
class HttpBackendTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String base() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    private static MockResponse reply(String content) {
        return new MockResponse.Builder()
                .code(200)
                .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"}}]}")
                .build();
    }

    private JsonNode take() throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void generateSendsOneUserMessageAndReturnsTheReply() throws Exception {
        server.enqueue(reply("world"));
        var backend = HttpBackend.builder(base(), "test-model").build();
        assertThat(backend.generate("hello", GenOpts.defaults())).isEqualTo("world");
        JsonNode req = take();
        assertThat(req.path("messages")).hasSize(1);
        assertThat(req.path("messages").get(0).path("content").asText()).isEqualTo("hello");
        assertThat(req.path("model").asText()).isEqualTo("test-model");
        assertThat(req.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(req.has("max_tokens")).isFalse();
        assertThat(req.has("top_k")).isFalse();
        assertThat(req.has("response_format")).isFalse();
    }

    @Test
    void jsonModeAsksForAJsonObject() throws Exception {
        server.enqueue(reply("{}"));
        HttpBackend.builder(base(), "m")
                .build()
                .generate("x", GenOpts.defaults().withJsonMode(true));
        assertThat(take().path("response_format").path("type").asText()).isEqualTo("json_object");
    }

    @Test
    void clientErrorFailsAtOnceWithTheStatus() {
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":{\"message\":\"bad\"}}")
                .build());
        var backend = HttpBackend.builder(base(), "m").build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .isInstanceOfSatisfying(HttpStatusException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.isRetryable()).isFalse();
                })
                .hasMessageContaining("400");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void twoServerErrorsThenSuccessRecoverAfterThreeAttempts() {
        server.enqueue(new MockResponse.Builder().code(500).body("boom").build());
        server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        server.enqueue(reply("recovered"));
        var backend = HttpBackend.builder(base(), "m")
                .retries(3, Duration.ofMillis(1))
                .build();
        assertThat(backend.generate("x", GenOpts.defaults())).isEqualTo("recovered");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void persistentServerErrorsExhaustTheRetries() {
        for (int i = 0; i < 3; i++)
            server.enqueue(new MockResponse.Builder().code(502).body("down").build());
        var backend = HttpBackend.builder(base(), "m")
                .retries(3, Duration.ofMillis(1))
                .build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .isInstanceOf(MlException.class)
                .hasMessageContaining("exhausted 3 retries")
                .hasCauseInstanceOf(HttpStatusException.class)
                .isInstanceOfSatisfying(HttpStatusException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.responseBody()).isEqualTo("down");
                });
    }

    @Test
    void theRetryBudgetIsMeasuredOnTheInjectedTicker() {
        for (int i = 0; i < 3; i++)
            server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        ManualTime time = new ManualTime();
        var backend = HttpBackend.builder(base(), "m")
                .retryPolicy(RetryPolicy.defaults().withoutJitter().withMaxElapsed(Duration.ofMillis(250)))
                .ticker(time)
                .sleeper(time::skip) // a wait moves the clock, and takes no real time
                .build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .hasMessageStartingWith("gave up after 2 attempts: waiting 200 ms more would pass the 250 ms")
                .isInstanceOfSatisfying(
                        HttpStatusException.class, e -> assertThat(e.attempts()).isEqualTo(2));
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(100));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void withRetriesOffTheMessageSaysSo() {
        server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        var backend = HttpBackend.builder(base(), "m")
                .retries(1, Duration.ofMillis(1))
                .build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .hasMessage("failed (the retry policy allows no retries): server error 503: busy")
                .isInstanceOfSatisfying(
                        HttpStatusException.class, e -> assertThat(e.attempts()).isEqualTo(1));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void emptyChoicesIsAnError() {
        server.enqueue(
                new MockResponse.Builder().code(200).body("{\"choices\":[]}").build());
        var backend = HttpBackend.builder(base(), "m").build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults())).hasMessageContaining("no choices");
    }

    @Test
    void optionsModelOverrideAndSamplingFieldsAreSent() throws Exception {
        server.enqueue(reply("ok"));
        var backend = HttpBackend.builder(base() + "/", "default-model")
                .maxTokens(64)
                .apiKey("sk-test")
                .build();
        backend.chat(
                List.of(Message.system("s"), Message.user("u")),
                GenOpts.builder()
                        .temperature(0.7)
                        .maxTokens(256)
                        .model("override")
                        .topK(40)
                        .topP(0.9)
                        .repeatPenalty(1.1)
                        .build());
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/chat/completions"); // no //v1
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode req = JSON.readTree(r.getBody().utf8());
        assertThat(req.path("model").asText()).isEqualTo("override");
        assertThat(req.path("temperature").asDouble()).isCloseTo(0.7, within(0.01));
        assertThat(req.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(req.path("top_k").asInt()).isEqualTo(40);
        assertThat(req.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(req.path("repeat_penalty").asDouble()).isEqualTo(1.1);
        assertThat(req.path("messages")).hasSize(2);
    }

    @Test
    void backendMaxTokensApplyWhenTheRequestHasNone() throws Exception {
        server.enqueue(reply("ok"));
        HttpBackend.builder(base(), "m").maxTokens(64).build().generate("x", GenOpts.defaults());
        assertThat(take().path("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(30, TimeUnit.SECONDS)
                .body("late")
                .build());
        var backend =
                HttpBackend.builder(base(), "m").timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .isInstanceOfSatisfying(
                        MlTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300)));
    }

    @Test
    void anOversizedBodyIsAClearError() {
        server.enqueue(
                new MockResponse.Builder().code(200).body("x".repeat(5000)).build());
        var backend = HttpBackend.builder(base(), "m").maxResponseBytes(1000).build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void nameAndAvailability() {
        assertThat(HttpBackend.builder("http://127.0.0.1:1", "m").build().name())
                .isEqualTo("http");
        assertThat(HttpBackend.builder("http://127.0.0.1:1", "m").build().isAvailable())
                .isTrue();
        assertThat(HttpBackend.builder("", "m").build().isAvailable()).isFalse();
    }

    @Test
    void credentialsInTheBaseUrlNeverAppearInErrors() {
        int dead = ai.lthn.ml.Ports.freeLoopbackPort();
        HttpBackend b = HttpBackend.builder("http://user:s3cret@127.0.0.1:" + dead + "/v1?api_key=k3y", "m")
                .retryPolicy(ai.lthn.ml.RetryPolicy.none())
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.generate("hi", ai.lthn.ml.GenOpts.defaults()))
                .hasMessageContaining("127.0.0.1:" + dead)
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("k3y");
        assertThat(b.baseUrl()).doesNotContain("s3cret").doesNotContain("k3y");
    }

    @Test
    void aPolicyWithoutRetriesSaysSoInsteadOfExhaustedOneRetries() {
        int dead = ai.lthn.ml.Ports.freeLoopbackPort();
        HttpBackend b = HttpBackend.builder("http://127.0.0.1:" + dead, "m")
                .retryPolicy(ai.lthn.ml.RetryPolicy.none())
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.generate("hi", ai.lthn.ml.GenOpts.defaults()))
                .hasMessageStartingWith("failed (the retry policy allows no retries): ")
                .hasMessageNotContaining("exhausted");
    }

    @Test
    void aBaseUrlEndingInV1AsTheOpenAiSdksTakeItWorks() throws Exception {
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}")
                .build());
        HttpBackend b = HttpBackend.builder(server.url("/v1/").toString(), "m").build();
        assertThat(b.generate("hi", ai.lthn.ml.GenOpts.defaults())).isEqualTo("ok");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void anEventStreamAnsweringANonStreamingRequestIsRead() throws Exception {
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                        + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n"
                        + "data: [DONE]\n\n")
                .build());
        java.util.List<ai.lthn.ml.CallEvent> seen = new java.util.ArrayList<>();
        HttpBackend b = HttpBackend.builder(server.url("/").toString(), "m")
                .observer(seen::add)
                .build();
        assertThat(b.generate("hi", ai.lthn.ml.GenOpts.defaults())).isEqualTo("Hello");
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.promptTokens()).isEqualTo(3);
            assertThat(e.completionTokens()).isEqualTo(2);
        });
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(": keep-alive\n\n")
                .build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.generate("hi", ai.lthn.ml.GenOpts.defaults()))
                .hasMessageContaining("event stream holding no data events");
    }

    @Test
    void extraHeadersGoOnEveryRequestAndModelsAreListed() throws Exception {
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .body("{\"object\":\"list\",\"data\":[{\"id\":\"qwen3\"},{\"id\":\"gemma3:27b\"},{\"object\":\"x\"}]}")
                .build());
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .code(404)
                .body("no such route")
                .build());
        HttpBackend b = HttpBackend.builder(server.url("/").toString(), "m")
                .apiKey("k")
                .header("OpenAI-Organization", "org-1")
                .header("X-Route", "eu")
                .retries(1, Duration.ofMillis(1))
                .build();
        assertThat(b.models()).containsExactly("qwen3", "gemma3:27b");
        mockwebserver3.RecordedRequest r = server.takeRequest();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/models");
        assertThat(r.getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
        assertThat(r.getHeaders().get("X-Route")).isEqualTo("eu");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer k");
        org.assertj.core.api.Assertions.assertThatThrownBy(b::models)
                .isInstanceOf(ai.lthn.ml.HttpStatusException.class)
                .hasMessageContaining("404");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HttpBackend.builder("http://h", "m").header("authorization", "Bearer x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HttpBackend.builder("http://h", "m").header("X-Bad", "a\r\nInjected: 1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void embeddingsComeBackInInputOrder() throws Exception {
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .body("{\"data\":[{\"index\":1,\"embedding\":[0.5,-1]},{\"index\":0,\"embedding\":[2,3.25]}]}")
                .build());
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .body("{\"data\":[{\"index\":0,\"embedding\":[1]}]}")
                .build());
        HttpBackend b =
                HttpBackend.builder(server.url("/").toString(), "nomic-embed").build();
        List<float[]> v = b.embed(List.of("first", "second"));
        assertThat(v.get(0)).containsExactly(2f, 3.25f);
        assertThat(v.get(1)).containsExactly(0.5f, -1f);
        String sent = server.takeRequest().getBody().utf8();
        assertThat(sent).isEqualTo("{\"model\":\"nomic-embed\",\"input\":[\"first\",\"second\"]}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.embed(List.of("a", "b")))
                .hasMessageContaining("no vector for input 1");
    }

    @Test
    void stopAndSeedGoToTheServer() throws Exception {
        server.enqueue(new mockwebserver3.MockResponse.Builder()
                .body("{\"choices\":[{\"message\":{\"content\":\"x\"}}]}")
                .build());
        HttpBackend b = HttpBackend.builder(server.url("/").toString(), "m").build();
        b.generate(
                "hi",
                ai.lthn.ml.GenOpts.defaults().toBuilder()
                        .stop("\n\n", "END")
                        .seed(42L)
                        .build());
        com.fasterxml.jackson.databind.JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(server.takeRequest().getBody().utf8());
        assertThat(sent.path("stop").toString()).isEqualTo("[\"\\n\\n\",\"END\"]");
        assertThat(sent.path("seed").asLong()).isEqualTo(42);
        assertThat(ai.lthn.ml.GenOpts.defaults().stop()).isEmpty();
        assertThat(ai.lthn.ml.GenOpts.defaults().seed()).isNull();
    }
}
