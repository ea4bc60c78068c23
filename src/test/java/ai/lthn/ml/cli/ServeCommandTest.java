package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** ml serve as a real process, proxying a loopback upstream with real streaming. */
class ServeCommandTest {

    /** {@code ml serve} as a process in front of {@code up}, as model "upstream-m", with {@code extra} flags. */
    private static Process serve(MockWebServer up, String... extra) throws java.io.IOException {
        List<String> args = new java.util.ArrayList<>(List.of(
                "serve", "--bind", "127.0.0.1:0", "--api-url", up.url("/").toString(), "--model", "upstream-m"));
        args.addAll(List.of(extra));
        return new ProcessBuilder(ChildJvm.command(List.of("-Xmx128m"), Main.class, args.toArray(String[]::new)))
                .redirectErrorStream(true)
                .start();
    }

    /** The URL of the {@code Serving on URL} line, once it comes. */
    private static String announcedUrl(BufferedReader out) throws java.io.IOException {
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Serving on ")) {}
        assertThat(line).as("the server announced its URL").isNotNull();
        return line.substring("Serving on ".length()).strip();
    }

    /** {@code POST url/v1/chat/completions} with a JSON body (also for {@link NativeServeTest}). */
    static HttpResponse<String> chat(HttpClient http, String url, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesAnUpstreamTokenByTokenAndStopsOnSigterm() throws Exception {
        try (MockWebServer up = new MockWebServer()) {
            up.enqueue(new MockResponse.Builder() // the upstream's own list, merged into /v1/models
                    .setHeader("Content-Type", "application/json")
                    .body("{\"object\":\"list\",\"data\":[{\"id\":\"other-m\"}]}")
                    .build());
            up.enqueue(new MockResponse.Builder()
                    .setHeader("Content-Type", "text/event-stream")
                    .body("data: {\"choices\":[{\"delta\":{\"content\":\"up\"}}]}\n\n"
                            + "data: {\"choices\":[{\"delta\":{\"content\":\"stream\"},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: [DONE]\n\n")
                    .build());
            up.start();
            Process serve = serve(up);
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                String url = announcedUrl(out);
                assertThat(url).startsWith("http://127.0.0.1:");
                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                HttpResponse<String> models = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/v1/models"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(models.body()).contains("\"id\":\"upstream-m\"").contains("\"id\":\"other-m\"");
                HttpResponse<String> chat =
                        chat(http, url, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
                assertThat(chat.statusCode()).isEqualTo(200);
                assertThat(chat.body())
                        .contains("\"content\":\"up\"")
                        .contains("\"content\":\"stream\"")
                        .contains("data: [DONE]");
                assertThat(up.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/models");
                assertThat(up.takeRequest().getBody().utf8()).contains("\"stream\":true");
                serve.destroy(); // SIGTERM: the shutdown hook closes the server
                assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                serve.destroyForcibly();
            }
        }
    }

    /** {@code --emulate-choices}: a request for two choices is two upstream calls of one, joined. */
    @Test
    void emulateChoicesAsksTheUpstreamOnceForEachChoice() throws Exception {
        try (MockWebServer up = new MockWebServer()) {
            for (String text : new String[] {"first", "second"})
                up.enqueue(new MockResponse.Builder()
                        .setHeader("Content-Type", "application/json")
                        .body("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                                + text + "\"},\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}")
                        .build());
            up.start();
            Process serve = serve(up, "--emulate-choices");
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                String url = announcedUrl(out);
                HttpResponse<String> chat = chat(
                        HttpClient.newHttpClient(),
                        url,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":2}");
                assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
                com.fasterxml.jackson.databind.JsonNode reply =
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(chat.body());
                assertThat(reply.path("choices")).hasSize(2);
                assertThat(reply.path("choices")
                                .get(0)
                                .path("message")
                                .path("content")
                                .asText())
                        .isEqualTo("first");
                assertThat(reply.path("choices").get(1).path("index").asInt()).isEqualTo(1);
                assertThat(reply.path("choices")
                                .get(1)
                                .path("message")
                                .path("content")
                                .asText())
                        .isEqualTo("second");
                for (int i = 0; i < 2; i++) {
                    String body = up.takeRequest(10, TimeUnit.SECONDS).getBody().utf8();
                    assertThat(body).as("upstream call %d", i).doesNotContain("\"n\":2");
                }
                serve.destroy();
                assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                serve.destroyForcibly();
            }
        }
    }

    @Test
    void emulateChoicesIsRefusedForALocalModel() {
        CliRun r = CliRun.of("serve", "--model-path", "/models/none", "--bind", "127.0.0.1:0", "--emulate-choices");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("--emulate-choices").contains("--api-url");
    }

    @Test
    void aModelPathWithoutAnEngineSaysWhy() {
        CliRun r = CliRun.of("serve", "--model-path", "/models/none", "--bind", "127.0.0.1:0");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("/models/none").contains("metal").contains("unsupported platform");
    }
}
