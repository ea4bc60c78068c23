package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm client against the running server: a chat completion, a
 * streamed one (text reassembled, usage chunk read), a completion, a malformed request reported
 * as an API error, and the model list; then tools, {@code json_schema}, logprobs and {@code n}
 * against the server in front of a scripted upstream ({@link ScriptedUpstream}). Needs Node.js and
 * {@code npm ci} in src/test/js (which .ci/run does); skips with a message otherwise.
 */
class OpenAiNpmClientTest {
    private static final Path JS = Path.of("src/test/js");

    /** Skips (with the reason) unless Node.js and the installed {@code openai} package are there. */
    private static void requireClient() {
        ai.lthn.ml.Browser.require(
                Files.isDirectory(JS.resolve("node_modules/openai")),
                "openai npm client not installed: run `npm ci --prefix src/test/js` (.ci/run does)");
        ai.lthn.ml.Browser.require(ai.lthn.ml.Browser.onPath("node"), "node not on PATH");
    }

    /** Runs a client script against the server; its output, once it exited 0. */
    private static String runClient(String script, String url, String model) throws Exception {
        Process node = new ProcessBuilder("node", script, url, model)
                .directory(JS.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theOfficialClientWorksAgainstTheServer() throws Exception {
        requireClient();
        ScriptedTextModel model = ScriptedTextModel.of("Hello", " from", " lthn-ml");
        try (OpenAiServer server =
                OpenAiServer.builder(model).modelId("lthn-test").build().start()) {
            String out = runClient("openai-client.mjs", server.url(), "lthn-test");
            assertThat(out)
                    .contains("ok chat\n")
                    .contains("ok stream text")
                    .contains("ok stream usage")
                    .contains("ok completion")
                    .contains("ok bad request message")
                    .contains("ok models");
        }
    }

    @Test
    void theOfficialClientsToolsSchemasLogprobsAndChoicesPassThroughTheServer() throws Exception {
        requireClient();
        try (mockwebserver3.MockWebServer upstream = new mockwebserver3.MockWebServer()) {
            upstream.setDispatcher(new ScriptedUpstream());
            upstream.start();
            var model = ai.lthn.ml.backend.HttpBackend.builder(upstream.url("/").toString(), "up")
                    .build()
                    .textModel();
            try (OpenAiServer server =
                    OpenAiServer.builder(model).modelId("lthn-test").build().start()) {
                String out = runClient("openai-client-fields.mjs", server.url(), "lthn-test");
                assertThat(out)
                        .contains("ok tools arguments\n")
                        .contains("ok tool result\n")
                        .contains("ok stream tools\n")
                        .contains("ok stream tools finish\n")
                        .contains("ok json_schema\n")
                        .contains("ok logprobs\n")
                        .contains("ok top_logprobs\n")
                        .contains("ok n\n")
                        .contains("ok n stream\n");
            }
        }
    }

    /**
     * models.list()/retrieve() and embeddings.create() (base64, the client's default, and float)
     * against the server in front of an upstream: a MockWebServer on loopback that lists two models
     * and answers every embeddings request with the first inputs' vectors.
     */
    @Test
    void theOfficialClientListsModelsAndEmbedsThroughAnUpstream() throws Exception {
        requireClient();
        try (mockwebserver3.MockWebServer upstream = new mockwebserver3.MockWebServer()) {
            upstream.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    String body = request.getUrl().encodedPath().equals("/v1/models")
                            ? "{\"object\":\"list\",\"data\":[{\"id\":\"upstream-a\"},{\"id\":\"upstream-b\"}]}"
                            : "{\"data\":[{\"index\":0,\"embedding\":[0.5,-1.25]},"
                                    + "{\"index\":1,\"embedding\":[2.0,4.0]}],\"usage\":{\"prompt_tokens\":3}}";
                    if (!request.getUrl().encodedPath().equals("/v1/models")
                            && !request.getBody().utf8().contains("\"second\""))
                        body = "{\"data\":[{\"index\":0,\"embedding\":[0.5,-1.25]}],\"usage\":{\"prompt_tokens\":1}}";
                    return new mockwebserver3.MockResponse.Builder()
                            .addHeader("Content-Type", "application/json")
                            .body(body)
                            .build();
                }
            });
            upstream.start();
            var model = ai.lthn.ml.backend.HttpBackend.builder(upstream.url("/").toString(), "upstream-a")
                    .build()
                    .textModel();
            try (OpenAiServer server =
                    OpenAiServer.builder(model).modelId("served").build().start()) {
                String out = runClient("openai-embeddings.mjs", server.url(), "served");
                assertThat(out)
                        .contains("ok models list\n")
                        .contains("ok models retrieve\n")
                        .contains("ok embeddings vectors\n")
                        .contains("ok embeddings usage\n")
                        .contains("ok embeddings float\n")
                        .contains("ok embeddings dimensions refused\n");
            }
        }
    }
}
