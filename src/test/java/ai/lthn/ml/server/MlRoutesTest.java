package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.Service;
import ai.lthn.ml.testing.FakeBackend;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** go-ml's /v1/ml route group (api/routes_test.go's cases, and the service side they left out). */
class MlRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private OpenAiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void serve(UnaryOperator<OpenAiServer.Builder> config) {
        server = config.apply(OpenAiServer.builder(ScriptedTextModel.of("x")).port(0))
                .build()
                .start();
    }

    record Reply(int status, JsonNode json) {}

    private Reply call(String method, String path, String body, String key) throws IOException {
        HttpCall.Response r = HttpCall.send(
                server.url() + path,
                method,
                body,
                key == null ? java.util.Map.of() : java.util.Map.of("Authorization", "Bearer " + key));
        return new Reply(r.status(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    private Reply call(String method, String path, String body) throws IOException {
        return call(method, path, body, null);
    }

    @Test
    void withoutAServiceEveryRouteIs503BeforeTheBodyIsRead() throws Exception {
        serve(b -> b);
        for (Reply r : new Reply[] {
            call("GET", "/v1/ml/backends", null),
            call("GET", "/v1/ml/status", null),
            call("POST", "/v1/ml/generate", "{}")
        }) {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().path("success").asBoolean(true)).isFalse();
            assertThat(r.json().path("error").path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(r.json().path("error").path("message").asText()).isEqualTo("ML service not initialised");
            assertThat(r.json().path("data").isMissingNode()
                            || r.json().path("data").isNull())
                    .isTrue();
        }
    }

    @Test
    void healthWrongMethodsAndUnknownRoutes() throws Exception {
        serve(b -> b);
        Reply health = call("GET", "/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().toString()).isEqualTo("{\"success\":true,\"data\":\"healthy\"}");
        assertThat(call("POST", "/v1/ml/backends", "{}").status()).isNotEqualTo(200);
        assertThat(call("GET", "/v1/ml/generate", null).status()).isNotEqualTo(200);
        assertThat(call("GET", "/v1/ml/nope", null).status()).isEqualTo(404);
    }

    @Test
    void backendsStatusAndGenerateOverAService() throws Exception {
        FakeBackend main = FakeBackend.answering(p -> "main says " + p);
        FakeBackend other = FakeBackend.answering(p -> "other says " + p);
        FakeBackend down = FakeBackend.answering(p -> "never");
        down.setAvailable(false);
        Service service = Service.builder()
                .backend("main", main)
                .backend("other", other)
                .backend("down", down)
                .defaultBackend("main")
                .build();
        serve(b -> b.mlService(service, true));

        Reply backends = call("GET", "/v1/ml/backends", null);
        assertThat(backends.status()).isEqualTo(200);
        assertThat(backends.json().path("success").asBoolean()).isTrue();
        assertThat(backends.json().path("data").toString())
                .isEqualTo("[{\"name\":\"down\",\"available\":false},{\"name\":\"main\",\"available\":true},"
                        + "{\"name\":\"other\",\"available\":true}]");

        Reply status = call("GET", "/v1/ml/status", null);
        assertThat(status.json().path("data").toString())
                .isEqualTo("{\"ready\":true,\"backends\":[\"down\",\"main\",\"other\"],\"has_judge\":true}");

        Reply generated = call("POST", "/v1/ml/generate", "{\"prompt\":\"hi\"}");
        assertThat(generated.status()).isEqualTo(200);
        assertThat(generated.json().path("data").path("text").asText()).isEqualTo("main says hi");
        assertThat(main.calls().get(0).opts().temperature()).isEqualTo(0.1); // go-ml's DefaultGenOpts

        Reply named = call(
                "POST",
                "/v1/ml/generate",
                "{\"prompt\":\"yo\",\"backend\":\"other\",\"temperature\":0.7,\"max_tokens\":9}");
        assertThat(named.json().path("data").path("text").asText()).isEqualTo("other says yo");
        assertThat(other.calls().get(0).opts().temperature()).isEqualTo(0.7);
        assertThat(other.calls().get(0).opts().maxTokens()).isEqualTo(9);

        call("POST", "/v1/ml/generate", "{\"prompt\":\"z\",\"temperature\":0,\"max_tokens\":-1}");
        assertThat(main.calls().get(1).opts().temperature()).isEqualTo(0.1); // 0 and negatives keep the defaults
    }

    @Test
    void badRequestsAndFailuresUseTheEnvelope() throws Exception {
        Service service = Service.builder()
                .backend("main", FakeBackend.answering(p -> {
                    throw new MlIOException(
                            "POST http://10.1.2.3:8080/v1/chat/completions: refused", (IOException) null);
                }))
                .defaultBackend("main")
                .build();
        serve(b -> b.mlService(service, false).apiKey("k"));
        assertThat(call("GET", "/v1/ml/status", null).status()).isEqualTo(401); // the key guards /v1/ml too

        Reply noPrompt = call("POST", "/v1/ml/generate", "{\"backend\":\"main\"}", "k");
        assertThat(noPrompt.status()).isEqualTo(400);
        assertThat(noPrompt.json().path("error").path("code").asText()).isEqualTo("INVALID_REQUEST");

        Reply notJson = call("POST", "/v1/ml/generate", "{\"prompt\":", "k");
        assertThat(notJson.status()).isEqualTo(400);

        Reply failed = call("POST", "/v1/ml/generate", "{\"prompt\":\"p\"}", "k");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().path("error").path("code").asText()).isEqualTo("GENERATION_FAILED");
        assertThat(failed.json().path("error").path("message").asText()).doesNotContain("10.1.2.3");
        assertThat(failed.json().path("success").asBoolean(true)).isFalse();

        Reply status = call("GET", "/v1/ml/status", null, "k");
        assertThat(status.json().path("data").path("has_judge").asBoolean(true)).isFalse();
    }
}
