package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an attack run on {@code ml serve} broke (issue 9, items 1–5), reproduced over real
 * sockets: endless upstreams, errors in the model, stalls, slow and vanishing clients,
 * cross-site and DNS-rebinding requests, malformed bodies.
 */
class OpenAiServerAttackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private OpenAiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private OpenAiServer serve(ai.lthn.ml.inference.TextModel model, UnaryOperator<OpenAiServer.Builder> config) {
        server = config.apply(OpenAiServer.builder(model)
                        .modelId("m")
                        .drain(Duration.ZERO)
                        // one slot; a short queue, as a client's next request may arrive before the
                        // previous one has given its slot back (the last byte goes out first)
                        .concurrency(1, 8, Duration.ofSeconds(10)))
                .build()
                .start();
        return server;
    }

    record Reply(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** One raw HTTP/1.1 request (Connection: close), read to the end. */
    private Reply raw(String method, String path, String headers, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String req = method + " " + path + " HTTP/1.1\r\n" + headers + "Connection: close\r\nContent-Length: "
                    + b.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            String rest = all.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) rest = dechunk(rest);
            return new Reply(Integer.parseInt(head.split(" ")[1]), head, rest);
        }
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            int n = Integer.parseInt(s.substring(i, eol).strip(), 16);
            if (n == 0) break;
            out.append(s, eol + 2, eol + 2 + n);
            i = eol + 2 + n + 2;
        }
        return out.toString();
    }

    private Reply post(String path, String body) throws IOException {
        return raw("POST", path, "Host: 127.0.0.1\r\nContent-Type: application/json\r\n", body);
    }

    /** The request's slot is given back (within a generous bound: the handler thread unwinds). */
    private void assertSlotFree() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int active;
        do {
            active = raw("GET", "/healthz", "Host: 127.0.0.1\r\n", null)
                    .json()
                    .path("active_requests")
                    .asInt();
            if (active == 0) break;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(active).isZero();
    }

    // 1: the server enforces max_tokens, bounds what it keeps, survives errors and stalls

    @Test
    void anUpstreamThatIgnoresMaxTokensIsCutOffWithLength() throws Exception {
        HostileModel model = HostileModel.endless("tok ");
        serve(model, b -> b);
        Reply whole = post("/v1/chat/completions", CHAT + ",\"max_tokens\":50}");
        assertThat(whole.status()).isEqualTo(200);
        JsonNode choice = whole.json().path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("tok ".repeat(50));
        assertThat(whole.json().path("usage").path("completion_tokens").asInt()).isEqualTo(50);

        Reply streamed = post("/v1/chat/completions", CHAT + ",\"max_tokens\":30,\"stream\":true}");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        assertThat(streamed.body().split("\"content\":\"tok ", -1)).hasSize(31);
        assertThat(streamed.body()).contains("\"finish_reason\":\"length\"");
        assertThat(model.awaitClosed(2, Duration.ofSeconds(10))).isTrue(); // upstream cancelled both times
        assertSlotFree();
    }

    @Test
    void aResponseLargerThanTheCapIsCutOffToo() throws Exception {
        serve(HostileModel.endless("x".repeat(1000)), b -> b.maxResponseChars(10_000));
        Reply r = post("/v1/chat/completions", CHAT + "}"); // no max_tokens: the 4096 default would be 4 MB
        assertThat(r.json().path("choices").get(0).path("finish_reason").asText())
                .isEqualTo("length");
        assertThat(r.json()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .hasSize(10_000);
    }

    @Test
    void anErrorThrownByTheModelEndsTheRequestAndFreesTheSlot() throws Exception {
        HostileModel model = new HostileModel(i -> {
            if (i < 3) return "t" + i;
            throw new AssertionError("model bug");
        });
        serve(model, b -> b);
        Reply whole = post("/v1/chat/completions", CHAT + "}");
        assertThat(whole.status()).isEqualTo(500);
        Reply streamed = post("/v1/chat/completions", CHAT + ",\"stream\":true}");
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.body())
                .contains("\"content\":\"t2\"")
                .contains("\"error\"")
                .doesNotContain("[DONE]");
        assertSlotFree();
    }

    @Test
    void aModelThatStallsIsStoppedAtTheRequestDeadline() throws Exception {
        HostileModel model = HostileModel.stallingAfterFirstToken();
        serve(model, b -> b.requestTimeout(Duration.ofSeconds(1)));
        Reply streamed = post("/v1/chat/completions", CHAT + ",\"stream\":true}");
        assertThat(streamed.body()).contains("\"content\":\"first\"").contains("generation timed out");
        Reply whole = post("/v1/chat/completions", CHAT + "}");
        assertThat(whole.status()).isEqualTo(504);
        assertThat(model.awaitClosed(2, Duration.ofSeconds(10))).isTrue();
        assertSlotFree();
    }

    @Test
    void theRequestDeadlineAndTimestampsFollowTheInjectedTime() throws Exception {
        ai.lthn.ml.testing.ManualTime time = new ai.lthn.ml.testing.ManualTime();
        java.time.Clock clock =
                java.time.Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
        HostileModel model = HostileModel.stallingAfterFirstToken();
        serve(model, b -> b.requestTimeout(Duration.ofMinutes(10)).ticker(time).clock(clock));
        java.util.concurrent.CompletableFuture<Reply> whole = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/chat/completions", CHAT + "}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // ten real minutes would never pass in this test: only the injected ticker can end the call
        for (int i = 0; i < 50 && !whole.isDone(); i++) {
            time.advance(Duration.ofMinutes(11));
            try {
                whole.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // the request had not started when time moved: move it again
            }
        }
        assertThat(whole.get(10, java.util.concurrent.TimeUnit.SECONDS).status())
                .isEqualTo(504);
        assertThat(model.awaitClosed(1, Duration.ofSeconds(10))).isTrue();
        assertSlotFree();

        server.close();
        serve(ScriptedTextModel.of("ok"), b -> b.clock(clock));
        Reply ok = post("/v1/chat/completions", CHAT + "}");
        assertThat(ok.body()).contains("\"created\":" + clock.instant().getEpochSecond());
    }

    // 2: slow clients cannot starve others

    @Test
    void sixtyConnectionsDrippingHeadersDoNotDelayOtherRequests() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.headerTimeout(Duration.ofSeconds(30)));
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean dripping = new AtomicBoolean(true);
        try {
            for (int i = 0; i < 60; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            Thread drip = new Thread(() -> {
                while (dripping.get()) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write('x');
                        } catch (IOException e) {
                            // closed
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            drip.setDaemon(true);
            drip.start();
            for (int i = 0; i < 5; i++) {
                Reply r = raw("GET", "/healthz", "Host: 127.0.0.1\r\n", null); // 20 s read timeout
                assertThat(r.status()).isEqualTo(200);
                assertThat(post("/v1/chat/completions", CHAT + "}").status()).isEqualTo(200);
            }
        } finally {
            dripping.set(false);
            for (Socket s : slow) s.close();
        }
    }

    @Test
    void aConnectionThatSendsNoRequestIsClosedAfterTheHeaderTimeout() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.headerTimeout(Duration.ofMillis(500)));
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 12".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server, not timed out here
        }
    }

    @Test
    void connectionsBeyondTheClientLimitAreClosed() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.maxConnections(3, 100));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // each answered once, so the server has counted it
                Socket s = new Socket("127.0.0.1", server.port());
                held.add(s);
                s.setSoTimeout(20_000);
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes());
                assertThat(s.getInputStream().read()).isEqualTo('H');
            }
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                extra.setSoTimeout(20_000);
                extra.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes());
                int first;
                try {
                    first = extra.getInputStream().read();
                } catch (IOException reset) {
                    first = -1;
                }
                assertThat(first).isEqualTo(-1);
            }
        } finally {
            for (Socket s : held) s.close();
        }
        // once they are gone (the server notices asynchronously), the client is served again
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            try {
                status = raw("GET", "/healthz", "Host: 127.0.0.1\r\n", null).status();
            } catch (IOException | RuntimeException refused) {
                Thread.sleep(20);
            }
        }
        assertThat(status).isEqualTo(200);
    }

    // 3: a client that leaves or stops reading gets its generation cancelled and its slot freed

    private Socket send(String body) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream()
                .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + b.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void aClientThatLeavesANonStreamedRequestCancelsIt() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens(Collections.nCopies(100_000, "t"))
                .tokenDelay(Duration.ofMillis(5))
                .build();
        serve(model, b -> b);
        Socket s = send(CHAT + "}");
        Thread.sleep(300); // generating
        s.close();
        assertThat(model.awaitStreamsClosed(1, Duration.ofSeconds(10))).isTrue();
        assertSlotFree();
    }

    @Test
    void aClientThatLeavesBeforeTheFirstTokenCancelsIt() throws Exception {
        HostileModel model = HostileModel.silent();
        serve(model, b -> b);
        Socket s = send(CHAT + ",\"stream\":true}");
        Thread.sleep(300);
        s.close();
        assertThat(model.awaitClosed(1, Duration.ofSeconds(10))).isTrue();
        assertSlotFree();
    }

    @Test
    void aClientThatStopsReadingALongStreamIsCutOff() throws Exception {
        HostileModel model = HostileModel.endless("y".repeat(4000));
        serve(
                model,
                b -> b.writeTimeout(Duration.ofMillis(500)).maxTokens(1_000_000).maxResponseChars(1L << 40));
        try (Socket s = send(CHAT + ",\"stream\":true,\"max_tokens\":1000000}")) {
            s.setReceiveBufferSize(4096);
            // read nothing: the server's socket buffer fills, its write blocks, the write timeout fires
            assertThat(model.awaitClosed(1, Duration.ofSeconds(20))).isTrue();
        }
        assertSlotFree();
    }

    // 4: cross-site and DNS-rebinding requests

    @Test
    void aForeignHostIsRefusedAsDnsRebinding() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.allowHost("llm.internal"));
        String json = "Content-Type: application/json\r\n";
        assertThat(raw("POST", "/v1/chat/completions", "Host: evil.example\r\n" + json, CHAT + "}")
                        .status())
                .isEqualTo(403);
        assertThat(raw("GET", "/healthz", "Host: evil.example:8090\r\n", null).status())
                .isEqualTo(403);
        for (String host : List.of("127.0.0.1:1", "localhost:1", "[::1]:1", "llm.internal", "10.1.2.3"))
            assertThat(raw("POST", "/v1/chat/completions", "Host: " + host + "\r\n" + json, CHAT + "}")
                            .status())
                    .as(host)
                    .isEqualTo(200);
    }

    @Test
    void crossOriginBrowserRequestsAreRefusedUnlessAllowed() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.allowOrigin("https://app.example"));
        String json = "Host: 127.0.0.1:9\r\nContent-Type: application/json\r\n";
        Reply evil = raw("POST", "/v1/chat/completions", json + "Origin: https://evil.example\r\n", CHAT + "}");
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.json().path("error").path("code").asText()).isEqualTo("origin_not_allowed");
        Reply same = raw("POST", "/v1/chat/completions", json + "Origin: http://127.0.0.1:9\r\n", CHAT + "}");
        assertThat(same.status()).isEqualTo(200);
        Reply allowed = raw("POST", "/v1/chat/completions", json + "Origin: https://app.example\r\n", CHAT + "}");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.head()).containsIgnoringCase("Access-Control-Allow-Origin: https://app.example");
        Reply preflight = raw("OPTIONS", "/v1/chat/completions", json + "Origin: https://app.example\r\n", null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.head()).containsIgnoringCase("Access-Control-Allow-Headers: Authorization, Content-Type");
    }

    @Test
    void aSimpleTextPlainPostIsRefused() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b);
        Reply r = raw("POST", "/v1/chat/completions", "Host: 127.0.0.1\r\nContent-Type: text/plain\r\n", CHAT + "}");
        assertThat(r.status()).isEqualTo(415);
        Reply none = raw("POST", "/v1/completions", "Host: 127.0.0.1\r\n", "{\"prompt\":\"x\"}");
        assertThat(none.status()).isEqualTo(415);
        Reply withCharset = raw(
                "POST",
                "/v1/completions",
                "Host: 127.0.0.1\r\nContent-Type: Application/JSON; charset=utf-8\r\n",
                "{\"prompt\":\"x\"}");
        assertThat(withCharset.status()).isEqualTo(200);
    }

    // 5: the smaller ones

    @Test
    void trailingTextAfterTheJsonBodyIsRefused() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b);
        Reply r = post("/v1/chat/completions", CHAT + "} {\"messages\":[]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).startsWith("invalid JSON body");
    }

    @Test
    void aTemperatureThatIsNoFloatIsRefusedNotSentAsInfinity() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.of("ok");
        serve(model, b -> b);
        Reply r = post("/v1/chat/completions", CHAT + ",\"temperature\":1e39}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("temperature");
        assertThat(post("/v1/chat/completions", CHAT + ",\"temperature\":-1}").status())
                .isEqualTo(400);
        assertThat(model.calls()).isEmpty();
    }

    @Test
    void wrongMethodsOnReadOnlyEndpointsAre405() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b);
        for (String[] mp : new String[][] {
            {"POST", "/v1/models"},
            {"DELETE", "/v1/models"},
            {"POST", "/healthz"},
            {"PUT", "/v1/models/m"},
            {"POST", "/"}
        }) {
            Reply r = raw(mp[0], mp[1], "Host: 127.0.0.1\r\nContent-Type: application/json\r\n", "{}");
            assertThat(r.status()).as(mp[0] + " " + mp[1]).isEqualTo(405);
        }
        assertThat(raw("GET", "/v1/chat/completions", "Host: 127.0.0.1\r\n", null)
                        .status())
                .isEqualTo(405);
    }

    @Test
    void controlCharactersInAPathNeverReachALogLineOrAMessage() throws Exception {
        assertThat(LogText.clip("/v1/x\r\n127.0.0.1 GET /admin 200")).isEqualTo("/v1/x%0D%0A127.0.0.1 GET /admin 200");
        assertThat(LogText.clip("/" + "a".repeat(10_000))).hasSizeLessThan(230).endsWith("(10001 chars)");
        serve(ScriptedTextModel.of("ok"), b -> b);
        Reply r = raw("GET", "/v1/x%0d%0aforged", "Host: 127.0.0.1\r\n", null);
        assertThat(r.status()).isIn(400, 404); // Jetty refuses the suspicious path itself
        assertThat(r.body()).doesNotContain("\nforged").doesNotContain("\rforged");
    }

    @Test
    void theApiKeyIsCheckedExactlyAndTheChatPageAsksForIt() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.apiKey("sk-secret"));
        String json = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n";
        for (String auth : List.of("", "Authorization: Bearer sk-secre\r\n", "Authorization: Bearer sk-secretX\r\n"))
            assertThat(raw("POST", "/v1/chat/completions", json + auth, CHAT + "}")
                            .status())
                    .as(auth)
                    .isEqualTo(401);
        assertThat(raw("POST", "/v1/chat/completions", json + "Authorization: Bearer sk-secret\r\n", CHAT + "}")
                        .status())
                .isEqualTo(200);
        String page = raw("GET", "/", "Host: 127.0.0.1\r\n", null).body();
        assertThat(page).contains("id=\"key\"").contains("required").contains("Authorization");
        assertThat(page).doesNotContain("sk-secret");
    }

    @Test
    void anUpstreamAnswering200WithGarbageIsA502WithoutInternals() throws Exception {
        try (MockWebServer upstream = new MockWebServer()) {
            for (int i = 0; i < 2; i++)
                upstream.enqueue(new MockResponse.Builder()
                        .code(200)
                        .setHeader("Content-Type", "application/json")
                        .body("<html>not json at all</html>")
                        .build());
            upstream.start();
            var model = HttpBackend.builder(upstream.url("/").toString(), "u")
                    .retryPolicy(ai.lthn.ml.RetryPolicy.none())
                    .build()
                    .textModel();
            serve(model, b -> b);
            for (String stream : List.of("false", "true")) {
                Reply r = post("/v1/chat/completions", CHAT + ",\"stream\":" + stream + "}");
                assertThat(r.status()).as(stream).isEqualTo(502);
                String message = r.json().path("error").path("message").asText();
                assertThat(message)
                        .as(stream)
                        .doesNotContain("127.0.0.1")
                        .doesNotContain("Unrecognized")
                        .doesNotContain("line:");
            }
        }
    }

    @SuppressWarnings("unused")
    private static byte[] readSome(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while (out.size() < max && (n = in.read(buf)) > 0) out.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            // enough
        }
        return out.toByteArray();
    }
}
