package ai.lthn.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real headless Chromium driven through ChromeDriver's W3C WebDriver API, for the browser
 * tests. Needs Debian's chromium and chromium-driver (.ci/run installs them); {@link #open}
 * skips the test with a message when they are missing, or fails it when LTHN_REQUIRE_TEST_TOOLS
 * is set.
 */
public final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process chromedriver;
    private final String driver;
    private String session;

    private Browser(Process chromedriver, String driver) {
        this.chromedriver = chromedriver;
        this.driver = driver;
    }

    /** Starts chromedriver and a headless session with its profile in {@code profile}. */
    public static Browser open(Path profile) throws Exception {
        require(Files.isExecutable(CHROMIUM), "chromium not installed (apt-get install chromium; .ci/run does)");
        require(onPath("chromedriver"), "chromedriver not installed (apt-get install chromium-driver)");
        int port = Ports.freeLoopbackPort();
        Process p = new ProcessBuilder("chromedriver", "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Browser b = new Browser(p, "http://127.0.0.1:" + port);
        try {
            b.awaitDriver();
            b.startSession(profile);
        } catch (Exception | Error e) {
            b.close();
            throw e;
        }
        return b;
    }

    /**
     * Skips the test with {@code message} when {@code ok} is false, or fails it when the
     * environment sets LTHN_REQUIRE_TEST_TOOLS (as .ci/run does, after installing the tools).
     */
    public static void require(boolean ok, String message) {
        if (System.getenv("LTHN_REQUIRE_TEST_TOOLS") != null) {
            if (!ok) throw new AssertionError(message + " (LTHN_REQUIRE_TEST_TOOLS is set)");
        } else {
            org.junit.jupiter.api.Assumptions.assumeTrue(ok, message);
        }
    }

    /** Whether an executable of that name is on the PATH. */
    public static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(dir, name))) return true;
        return false;
    }

    /** Navigates to {@code url}. */
    public void go(String url) throws Exception {
        post("/url", JSON.createObjectNode().put("url", url));
    }

    /** The element id of the first element matching {@code css}. */
    public String find(String css) throws Exception {
        JsonNode r = post(
                "/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
        return r.path("value").path(ELEMENT).asText();
    }

    /** Types into an element. */
    public void type(String element, String text) throws Exception {
        post("/element/" + element + "/value", JSON.createObjectNode().put("text", text));
    }

    /** Clicks an element. */
    public void click(String element) throws Exception {
        post("/element/" + element + "/click", JSON.createObjectNode());
    }

    /** Runs {@code js} (a function body that returns a value) and gives its result as text. */
    public String script(String js) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        body.putArray("args");
        JsonNode v = post("/execute/sync", body).path("value");
        return v.isNull() ? null : v.asText();
    }

    /** Waits until {@code js} gives {@code expected}. */
    public void awaitScript(String js, String expected, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = script(js);
            if (expected.equals(last)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(js + " gave " + last + ", expected " + expected);
    }

    /** Saves a PNG screenshot of the page to {@code file}. */
    public void screenshot(Path file) throws Exception {
        JsonNode r = send("GET", driver + "/session/" + session + "/screenshot", null);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("value").asText()));
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

    private void startSession(Path profile) throws Exception {
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", CHROMIUM.toString());
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
                "--window-size=1200,1600",
                "--user-data-dir=" + profile)) args.add(a);
        JsonNode r = send("POST", driver + "/session", caps);
        session = r.path("value").path("sessionId").asText();
        if (session.isEmpty()) throw new AssertionError("no session: " + r);
    }

    private JsonNode post(String path, JsonNode body) throws Exception {
        return send("POST", driver + "/session/" + session + path, body);
    }

    private JsonNode send(String method, String url, JsonNode body) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (body == null) rb.GET();
        else
            rb.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (r.statusCode() != 200) throw new AssertionError("webdriver " + method + " " + url + ": " + r.body());
        return json;
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create(driver + "/session/" + session))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException ignored) {
                // the driver is going away anyway
            }
        }
        chromedriver.destroy();
    }
}
