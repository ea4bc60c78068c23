package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A model that loads while the server answers: 503 with the state until it is ready. */
class LoadingTextModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    record Reply(int status, String body, String retryAfter) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Reply call(OpenAiServer server, String method, String path, String body) throws IOException {
        HttpCall.Response r = HttpCall.send(server.url() + path, method, body);
        return new Reply(r.status(), r.body(), r.retryAfter());
    }

    @Test
    void theServerAnswers503WhileTheModelLoadsThenServesIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedTextModel scripted = ScriptedTextModel.of("ready", " now");
        LoadingTextModel model = LoadingTextModel.start("models/slow", () -> {
            release.await(30, TimeUnit.SECONDS);
            return scripted;
        });
        try (OpenAiServer server =
                OpenAiServer.builder(model).modelId("slow").build().start()) {
            Reply health = call(server, "GET", "/healthz", null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("loading");
            Reply chat = call(server, "POST", "/v1/chat/completions", CHAT);
            assertThat(chat.status()).isEqualTo(503);
            assertThat(chat.json().path("error").path("code").asText()).isEqualTo("model_loading");
            assertThat(chat.retryAfter()).isEqualTo("1");
            assertThat(model.isReady()).isFalse();
            assertThatThrownBy(() -> model.generate("p", ai.lthn.ml.inference.GenerateConfig.defaults()))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("models/slow is still loading");

            release.countDown();
            assertThat(model.await(Duration.ofSeconds(30))).isSameAs(scripted);
            assertThat(model.isReady()).isTrue();
            Reply after = call(server, "GET", "/healthz", null);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().path("status").asText()).isEqualTo("ok");
            Reply served = call(server, "POST", "/v1/chat/completions", CHAT);
            assertThat(served.status()).as(served.body()).isEqualTo(200);
            assertThat(served.json()
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText())
                    .isEqualTo("ready now");
        }
        model.close();
        assertThat(scripted.isClosed()).isTrue();
    }

    @Test
    void aFailedLoadIsReportedByHealthzAndByAwait() throws Exception {
        LoadingTextModel model = LoadingTextModel.start("models/broken", () -> {
            throw new IllegalStateException("no weights in models/broken");
        });
        assertThatThrownBy(() -> model.await(Duration.ofSeconds(30)))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("no weights in models/broken");
        try (OpenAiServer server =
                OpenAiServer.builder(model).modelId("broken").build().start()) {
            Reply health = call(server, "GET", "/healthz", null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("failed");
            Reply chat = call(server, "POST", "/v1/chat/completions", CHAT);
            assertThat(chat.status()).isEqualTo(503);
            assertThat(chat.json().path("error").path("message").asText()).isEqualTo("the model failed to load");
        }
        assertThat(model.failure()).get().extracting(Throwable::getMessage).isEqualTo("no weights in models/broken");
    }

    @Test
    void closingWhileItLoadsClosesTheModelOnceLoaded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedTextModel scripted = ScriptedTextModel.of("x");
        LoadingTextModel model = LoadingTextModel.start("models/late", () -> {
            release.await(30, TimeUnit.SECONDS);
            return scripted;
        });
        model.close();
        release.countDown();
        model.await(Duration.ofSeconds(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!scripted.isClosed() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(scripted.isClosed()).isTrue();
    }
}
