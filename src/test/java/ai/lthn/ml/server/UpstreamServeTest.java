package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.testing.ManualTime;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ml serve} in front of an OpenAI-compatible upstream (a MockWebServer on loopback). */
class UpstreamServeTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private OpenAiServer proxy;

    @AfterEach
    void stopProxy() {
        if (proxy != null) proxy.close();
    }

    private final ManualTime time = new ManualTime();

    private void serve() {
        var upstream = HttpBackend.builder(server.url("/").toString(), "upstream-default")
                .retryPolicy(RetryPolicy.none())
                .build()
                .textModel();
        proxy = OpenAiServer.builder(upstream)
                .modelId("served")
                .ticker(time)
                .drain(Duration.ZERO)
                .build()
                .start();
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Reply call(String method, String path, String body) throws IOException {
        HttpCall.Response r = HttpCall.send(proxy.url() + path, method, body);
        return new Reply(r.status(), r.body());
    }

    private static MockResponse stream(String text) {
        return new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                        + "\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                .build();
    }

    private String upstreamModel() throws Exception {
        var req = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(req).as("the upstream got a request").isNotNull();
        return JSON.readTree(req.getBody().utf8()).path("model").asText();
    }

    @Test
    void theRequestsModelIsForwardedUpstreamAndAbsentMeansTheBackendsDefault() throws Exception {
        serve();
        server.enqueue(stream("one"));
        server.enqueue(stream("two"));
        server.enqueue(stream("three"));
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        Reply a = call("POST", "/v1/chat/completions", "{\"model\":\"qwen-7b\"," + messages + "}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("one");
        assertThat(upstreamModel()).isEqualTo("qwen-7b");

        Reply b = call("POST", "/v1/chat/completions", "{" + messages + ",\"stream\":true}");
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.body()).contains("two");
        assertThat(upstreamModel()).isEqualTo("upstream-default");

        Reply c = call("POST", "/v1/completions", "{\"model\":\"llama-3\",\"prompt\":\"hi\"}");
        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(upstreamModel()).isEqualTo("llama-3");

        server.enqueue(stream("four"));
        Reply d = call("POST", "/v1/chat/completions", "{\"model\":\"served\"," + messages + "}");
        assertThat(d.status()).as(d.body()).isEqualTo(200);
        assertThat(upstreamModel()).as("the served id means the backend's own").isEqualTo("upstream-default");
    }

    @Test
    void aModelThatIsNotAStringIsA400NamingTheField() throws Exception {
        serve();
        Reply r = call(
                "POST", "/v1/chat/completions", "{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("model");
        assertThat(server.getRequestCount()).isZero();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private static List<String> ids(Reply r) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode m : r.json().path("data")) out.add(m.path("id").asText());
        return out;
    }

    @Test
    void modelsListsTheServedIdThenTheUpstreamsKeptForThirtySeconds() throws Exception {
        serve();
        server.enqueue(
                json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"qwen\"},{\"id\":\"served\"},{\"id\":\"llama\"}]}"));
        server.enqueue(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gemma\"}]}"));
        Reply r = call("GET", "/v1/models", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ids(r)).containsExactly("served", "qwen", "llama");
        assertThat(r.json().path("data").path(1).path("owned_by").asText()).isEqualTo("upstream");
        assertThat(ids(call("GET", "/v1/models", null))).containsExactly("served", "qwen", "llama");
        assertThat(call("GET", "/v1/models/llama", null).json().path("id").asText())
                .isEqualTo("llama");
        assertThat(call("GET", "/v1/models/served", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/models/nope", null).status()).isEqualTo(404);
        assertThat(server.getRequestCount())
                .as("one upstream fetch while the list is fresh")
                .isEqualTo(1);

        time.advance(ModelList.TTL);
        assertThat(ids(call("GET", "/v1/models", null))).containsExactly("served", "gemma");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath())
                .isEqualTo("/v1/models");
    }

    @Test
    void anUpstreamThatCannotListLeavesTheServedIdAlone() throws Exception {
        serve();
        server.enqueue(json(500, "{\"error\":{\"message\":\"down\"}}"));
        Reply r = call("GET", "/v1/models", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ids(r)).containsExactly("served");
        assertThat(call("GET", "/v1/models/served", null).status()).isEqualTo(200);
    }

    @Test
    void aModelThatDoesNotRouteListsItsIdAndHasNoEmbeddings() throws Exception {
        proxy = OpenAiServer.builder(ScriptedTextModel.of("x"))
                .modelId("local")
                .drain(Duration.ZERO)
                .build()
                .start();
        assertThat(ids(call("GET", "/v1/models", null))).containsExactly("local");
        Reply e = call("POST", "/v1/embeddings", "{\"input\":\"hi\"}");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.json().path("error").path("message").asText())
                .contains("local")
                .contains("no embeddings");
    }

    @Test
    void embeddingsForwardTheModelAndKeepOpenAisShapes() throws Exception {
        serve();
        server.enqueue(
                json(
                        200,
                        "{\"object\":\"list\",\"data\":[{\"index\":1,\"embedding\":[3.0,4.0]},"
                                + "{\"index\":0,\"embedding\":[0.5,-1.25]}],\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}"));
        Reply r = call("POST", "/v1/embeddings", "{\"model\":\"embedder\",\"input\":[\"a\",\"b\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("object").asText()).isEqualTo("list");
        assertThat(j.path("model").asText()).isEqualTo("embedder");
        assertThat(j.path("data").path(0).path("object").asText()).isEqualTo("embedding");
        assertThat(j.path("data").path(0).path("index").asInt()).isZero();
        assertThat(j.path("data").path(0).path("embedding").toString()).isEqualTo("[0.5,-1.25]");
        assertThat(j.path("data").path(1).path("embedding").toString()).isEqualTo("[3.0,4.0]");
        assertThat(j.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
        assertThat(j.path("usage").path("total_tokens").asInt()).isEqualTo(7);
        JsonNode upstream =
                JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(upstream.path("model").asText()).isEqualTo("embedder");
        assertThat(upstream.path("input").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void aStringInputAndBase64EncodingAndTheDefaultModel() throws Exception {
        serve();
        server.enqueue(json(200, "{\"data\":[{\"index\":0,\"embedding\":[1.0,-2.5,0.125]}]}"));
        Reply r = call("POST", "/v1/embeddings", "{\"input\":\"one\",\"encoding_format\":\"base64\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        byte[] bytes = Base64.getDecoder()
                .decode(r.json().path("data").path(0).path("embedding").asText());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(12);
        assertThat(new float[] {b.getFloat(), b.getFloat(), b.getFloat()}).containsExactly(1.0f, -2.5f, 0.125f);
        assertThat(r.json().path("model").asText()).isEqualTo("served");
        assertThat(r.json().path("usage").path("prompt_tokens").asInt()).isZero();
        JsonNode upstream =
                JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(upstream.path("model").asText()).isEqualTo("upstream-default");
        assertThat(upstream.path("input").toString()).isEqualTo("[\"one\"]");
    }

    @Test
    void embeddingFieldsTheServerCannotHonourAre400sNamingThem() throws Exception {
        serve();
        String[][] cases = {
            {"{}", "input"},
            {"{\"input\":[]}", "input"},
            {"{\"input\":[1,2]}", "input[0]"},
            {"{\"input\":7}", "input"},
            {"{\"input\":\"a\",\"encoding_format\":\"int8\"}", "encoding_format"},
            {"{\"input\":\"a\",\"dimensions\":64}", "dimensions"},
            {"{\"input\":\"a\",\"model\":3}", "model"},
            {"[1]", "JSON object"},
        };
        for (String[] c : cases) {
            Reply r = call("POST", "/v1/embeddings", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.json().path("error").path("message").asText()).as(c[0]).contains(c[1]);
        }
        assertThat(call("GET", "/v1/embeddings", null).status()).isEqualTo(405);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anUpstreamEmbeddingsFailureIsReportedAsTheChatRoutesDo() throws Exception {
        serve();
        server.enqueue(json(404, "{\"error\":{\"message\":\"model has no embeddings\"}}"));
        Reply r = call("POST", "/v1/embeddings", "{\"input\":\"a\"}");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().path("error").path("type").asText()).isEqualTo("upstream_error");
        assertThat(r.json().path("error").path("message").asText()).isEqualTo("the upstream server answered HTTP 404");
    }

    @Test
    void anUpstreamThatDoesNotAnswerTheListIsCutAtTheFetchLimit() throws Exception {
        serve();
        server.enqueue(new MockResponse.Builder()
                .body("{\"data\":[]}")
                .headersDelay(1, TimeUnit.HOURS) // never, as far as the test is concerned
                .build());
        long start = System.nanoTime();
        Reply r = call("GET", "/v1/models", null);
        long took = System.nanoTime() - start;
        assertThat(r.status()).isEqualTo(200);
        assertThat(ids(r)).containsExactly("served");
        assertThat(java.time.Duration.ofNanos(took))
                .as("waited for the fetch limit, not the backend's 300 s timeout")
                .isGreaterThanOrEqualTo(ModelList.FETCH_LIMIT.minusMillis(100))
                .isLessThan(java.time.Duration.ofSeconds(60));
    }
}
