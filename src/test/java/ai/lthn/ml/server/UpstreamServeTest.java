package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.backend.HttpBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    private void serve() {
        var upstream = HttpBackend.builder(server.url("/").toString(), "upstream-default")
                .retryPolicy(RetryPolicy.none())
                .build()
                .textModel();
        proxy = OpenAiServer.builder(upstream)
                .modelId("served")
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
        HttpURLConnection c =
                (HttpURLConnection) URI.create(proxy.url() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(20000);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
}
