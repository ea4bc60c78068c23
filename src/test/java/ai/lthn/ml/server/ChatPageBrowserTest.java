package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Ports;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page in a real headless Chromium, driven through ChromeDriver's W3C WebDriver API:
 * type a message, watch the reply stream in token by token, press Stop, and see the generation
 * cancelled on the server. Needs Debian's chromium and chromium-driver (.ci/run installs them);
 * skips with a message otherwise.
 */
class ChatPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path profile;

    private String driver;
    private String session;

    @Test
    void streamsAReplyAndStopCancelsIt() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Tools.require(Files.isExecutable(chromium), "chromium not installed (apt-get install chromium; .ci/run does)");
        Tools.require(Tools.onPath("chromedriver"), "chromedriver not installed (apt-get install chromium-driver)");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 2000; i++) words.add("w" + i + " ");
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens(words)
                .tokenDelay(Duration.ofMillis(20))
                .build();
        int port = Ports.freeLoopbackPort();
        Process chromedriver = new ProcessBuilder("chromedriver", "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        driver = "http://127.0.0.1:" + port;
        try (OpenAiServer server =
                OpenAiServer.builder(model).modelId("browser-test").build().start()) {
            awaitDriver();
            startSession(chromium);
            post("/url", JSON.createObjectNode().put("url", server.url() + "/"));
            String input = find("#input");
            post("/element/" + input + "/value", JSON.createObjectNode().put("text", "hello there"));
            post("/element/" + find("#send") + "/click", JSON.createObjectNode());

            String partial = awaitText(t -> t.contains("w3 "), Duration.ofSeconds(20));
            assertThat(partial).startsWith("w0 w1 w2 w3 ").doesNotContain("w1999");
            assertThat(script("return document.body.dataset.state")).isEqualTo("streaming");
            assertThat(script("return document.querySelector('.msg.user').textContent"))
                    .isEqualTo("hello there");

            post("/element/" + find("#stop") + "/click", JSON.createObjectNode());
            assertThat(model.awaitStreamsClosed(1, Duration.ofSeconds(10)))
                    .as("the server closed the model's stream")
                    .isTrue();
            awaitScript("return document.body.dataset.state", "idle", Duration.ofSeconds(10));
            assertThat(script("return document.querySelector('.msg.assistant').dataset.stopped"))
                    .isEqualTo("true");
            assertThat(model.calls().get(0).messages().get(0).content()).isEqualTo("hello there");

            // The conversation is kept: the next request carries the stopped reply too.
            post("/element/" + input + "/value", JSON.createObjectNode().put("text", "and then?"));
            post("/element/" + find("#send") + "/click", JSON.createObjectNode());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (model.calls().size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            var second = model.calls().get(1).messages();
            assertThat(second).extracting(ai.lthn.ml.Message::role).containsExactly("user", "assistant", "user");
            assertThat(second.get(1).content()).startsWith("w0 w1 w2 w3 ");
            assertThat(second.get(2).content()).isEqualTo("and then?");
            post("/element/" + find("#stop") + "/click", JSON.createObjectNode());
        } finally {
            if (session != null) {
                try {
                    http.send(
                            HttpRequest.newBuilder(URI.create(driver + "/session/" + session))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException ignored) {
                    // the driver is going away anyway
                }
            }
            chromedriver.destroy();
        }
    }

    private void awaitDriver() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(driver + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(r.body()).path("value").path("ready").asBoolean()) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromedriver did not start");
    }

    private void startSession(Path chromium) throws Exception {
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", chromium.toString());
        var args = chrome.putArray("args");
        for (String a : List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile)) args.add(a);
        JsonNode r = send("POST", driver + "/session", caps);
        session = r.path("value").path("sessionId").asText();
        assertThat(session).as(r.toString()).isNotEmpty();
    }

    private String find(String css) throws Exception {
        JsonNode r = post(
                "/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
        return r.path("value").path(ELEMENT).asText();
    }

    private String script(String js) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        body.putArray("args");
        JsonNode v = post("/execute/sync", body).path("value");
        return v.isNull() ? null : v.asText();
    }

    private String awaitText(java.util.function.Predicate<String> ok, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            String t = script("const m = document.querySelector('.msg.assistant'); return m ? m.textContent : ''");
            last = t == null ? "" : t;
            if (ok.test(last)) return last;
            Thread.sleep(20);
        }
        throw new AssertionError("reply text never matched; last: " + last);
    }

    private void awaitScript(String js, String expected, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = script(js);
            if (expected.equals(last)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(js + " gave " + last + ", expected " + expected);
    }

    private JsonNode post(String path, JsonNode body) throws Exception {
        return send("POST", driver + "/session/" + session + path, body);
    }

    private JsonNode send(String method, String url, JsonNode body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (r.statusCode() != 200) throw new AssertionError("webdriver " + method + " " + url + ": " + r.body());
        return json;
    }
}
