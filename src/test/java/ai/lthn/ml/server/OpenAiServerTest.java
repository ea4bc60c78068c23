package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Message;
import ai.lthn.ml.Ports;
import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server on loopback, driven by plain HTTP clients, with ScriptedTextModel behind it. */
class OpenAiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private OpenAiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private OpenAiServer serve(ScriptedTextModel model, java.util.function.UnaryOperator<OpenAiServer.Builder> config) {
        server = config.apply(OpenAiServer.builder(model).modelId("test-model").drain(Duration.ZERO))
                .build()
                .start();
        return server;
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Reply call(String method, String path, String body) throws IOException {
        HttpCall.Response r = HttpCall.send(server.url() + path, method, body);
        return new Reply(r.status(), r.contentType(), r.body());
    }

    private static List<JsonNode> events(String body) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (!block.startsWith("data: ")) continue;
            String data = block.substring(6);
            out.add(data.equals("[DONE]") ? JSON.getNodeFactory().textNode("[DONE]") : JSON.readTree(data));
        }
        return out;
    }

    private static final String CHAT = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    /** go-ml HEAD's model info: the served model's info and last metrics, zero fields left out. */
    @Test
    void modelInfoDescribesTheServedModelAndOnlyIt() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens("a", "b")
                .info(new ai.lthn.ml.inference.ModelInfo("qwen3", 151_936, 28, 1024, 4, 64))
                .build();
        serve(model, b -> b);
        Reply info = call("GET", "/v1/models/test-model/info", null);
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body())
                .isEqualTo("{\"id\":\"test-model\",\"architecture\":\"qwen3\",\"vocab_size\":151936,"
                        + "\"num_layers\":28,\"hidden_size\":1024,\"quant_bits\":4,\"quant_group\":64}");
        assertThat(call("POST", "/v1/chat/completions", CHAT + "}").status()).isEqualTo(200);
        JsonNode after = call("GET", "/v1/models/test-model/info", null).json();
        if (model.metrics().decodeTokensPerSec() != 0)
            assertThat(after.path("decode_tokens_per_sec").asDouble())
                    .isEqualTo(model.metrics().decodeTokensPerSec());
        else assertThat(after.has("decode_tokens_per_sec")).isFalse();
        assertThat(call("GET", "/v1/models/other/info", null).status()).isEqualTo(404);
        assertThat(call("POST", "/v1/models/test-model/info", "{}").status()).isEqualTo(405);
    }

    @Test
    void nonStreamedChatHasUsageFinishReasonAndTheServedModelId() throws Exception {
        serve(ScriptedTextModel.of("Hello", ", ", "world"), b -> b);
        Reply r = call("POST", "/v1/chat/completions", CHAT + "}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("object").asText()).isEqualTo("chat.completion");
        assertThat(j.path("model").asText()).isEqualTo("test-model");
        assertThat(j.path("id").asText()).startsWith("chatcmpl-");
        assertThat(j.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("Hello, world");
        assertThat(j.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(j.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void streamedChatHasGoMlsShapeAndAUsageChunkWhenAsked() throws Exception {
        serve(ScriptedTextModel.of("A", "\"b\"", "ü\n"), b -> b);
        Reply r = call(
                "POST", "/v1/chat/completions", CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/event-stream");
        List<JsonNode> ev = events(r.body());
        assertThat(ev).hasSize(7);
        assertThat(ev.get(0).path("choices").get(0).path("delta").path("role").asText())
                .isEqualTo("assistant");
        assertThat(ev.get(0).path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(ev.subList(1, 4))
                .extracting(e ->
                        e.path("choices").get(0).path("delta").path("content").asText())
                .containsExactly("A", "\"b\"", "ü\n");
        assertThat(ev.get(4).path("choices").get(0).path("finish_reason").asText())
                .isEqualTo("stop");
        assertThat(ev.get(5).path("choices")).isEmpty();
        assertThat(ev.get(5).path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(ev.get(6).asText()).isEqualTo("[DONE]");
        assertThat(ev.subList(0, 6)).allMatch(e -> e.path("model").asText().equals("test-model"));
    }

    @Test
    void maxTokensCapGivesTheRealLengthFinishReason() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.of("1", "2", "3", "4", "5");
        serve(model, b -> b.maxTokens(2));
        Reply r = call("POST", "/v1/chat/completions", CHAT + ",\"max_tokens\":100,\"stream\":true}");
        List<JsonNode> ev = events(r.body());
        assertThat(ev.get(ev.size() - 2)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText())
                .isEqualTo("length");
        assertThat(model.calls().get(0).config().maxTokens()).isEqualTo(2);
    }

    @Test
    void completionsStreamedAndNot() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.of("x", "y");
        serve(model, b -> b);
        Reply plain = call("POST", "/v1/completions", "{\"prompt\":\"say\"}");
        assertThat(plain.json().path("object").asText()).isEqualTo("text_completion");
        assertThat(plain.json().path("choices").get(0).path("text").asText()).isEqualTo("xy");
        assertThat(plain.json().path("usage").path("completion_tokens").asInt()).isEqualTo(2);
        assertThat(plain.json().path("usage").path("total_tokens").asInt())
                .isEqualTo(2 + plain.json().path("usage").path("prompt_tokens").asInt());
        Reply streamed = call("POST", "/v1/completions", "{\"prompt\":\"say\",\"stream\":true}");
        List<JsonNode> ev = events(streamed.body());
        assertThat(ev.get(0).path("choices").get(0).path("text").asText()).isEqualTo("x");
        assertThat(ev.get(2).path("choices").get(0).path("finish_reason").asText())
                .isEqualTo("stop");
        assertThat(model.prompts()).contains("say");
    }

    @Test
    void slidingContextWindowKeepsTheSystemMessage() {
        List<Message> msgs = List.of(
                Message.system("s"), Message.user("1"), Message.assistant("2"), Message.user("3"), Message.user("4"));
        assertThat(GenerationRequest.window(msgs, 2))
                .containsExactly(Message.system("s"), Message.user("3"), Message.user("4"));
        assertThat(GenerationRequest.window(msgs.subList(1, 5), 2))
                .containsExactly(Message.user("3"), Message.user("4"));
        assertThat(GenerationRequest.window(msgs, 0)).isEqualTo(msgs);
    }

    @Test
    void errorsUseTheOpenAiEnvelopeAndTheRightStatus() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.maxBodyBytes(200));
        Reply malformed = call("POST", "/v1/chat/completions", "{\"messages\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(malformed.json().path("error").path("message").asText()).startsWith("invalid JSON body");
        Reply missing = call("POST", "/v1/chat/completions", "{\"model\":\"m\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").path("message").asText()).isEqualTo("missing required field: messages");
        Reply wrongType = call("POST", "/v1/chat/completions", CHAT + ",\"max_tokens\":\"many\"}");
        assertThat(wrongType.json().path("error").path("message").asText())
                .isEqualTo("field max_tokens must be an integer");
        Reply big = call("POST", "/v1/chat/completions", CHAT + ",\"pad\":\"" + "x".repeat(500) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(call("GET", "/v1/nothing", null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/models/other", null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/chat/completions", null).status()).isEqualTo(405);
    }

    @Test
    void modelsHealthAndPage() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.maxContext(6));
        JsonNode models = call("GET", "/v1/models", null).json();
        assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("test-model");
        assertThat(call("GET", "/v1/models/test-model", null)
                        .json()
                        .path("object")
                        .asText())
                .isEqualTo("model");
        JsonNode health = call("GET", "/healthz", null).json();
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("max_context").asInt()).isEqualTo(6);
        assertThat(health.path("active_requests").asInt()).isZero();
        assertThat(health.has("uptime_seconds")).isTrue();
        Reply page = call("GET", "/", null);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("test-model").contains("/v1/chat/completions");
    }

    @Test
    void aFailureBeforeTheFirstTokenIsA500AndAfterItAnErrorEvent() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .script(call -> call.messages().get(0).content().equals("early")
                        ? ScriptedTextModel.Script.of("x").failingAfter(0, new StreamFailedException("GPU fell off"))
                        : ScriptedTextModel.Script.of("a", "b", "c")
                                .failingAfter(2, new StreamFailedException("GPU fell off")))
                .build();
        serve(model, b -> b);
        Reply early = call(
                "POST",
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"early\"}],\"stream\":true}");
        assertThat(early.status()).isEqualTo(500);
        assertThat(early.json().path("error").path("message").asText()).contains("GPU fell off");
        Reply late = call(
                "POST",
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"late\"}],\"stream\":true}");
        assertThat(late.status()).isEqualTo(200);
        List<JsonNode> ev = events(late.body());
        JsonNode last = ev.get(ev.size() - 1);
        assertThat(last.path("error").path("message").asText()).contains("GPU fell off");
        assertThat(ev)
                .noneMatch(e ->
                        e.path("choices").path(0).path("finish_reason").asText().equals("stop"));
        assertThat(late.body()).doesNotContain("[DONE]");
    }

    @Test
    void theGateIsAtomicAndAFullQueueGets429() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens("a", "b", "c", "d")
                .tokenDelay(Duration.ofMillis(400)) // 1.6 s a request: stragglers still find the queue full
                .build();
        serve(model, b -> b.concurrency(2, 1, Duration.ofSeconds(20)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 8; i++)
                replies.add(pool.submit(() -> {
                    go.await();
                    return call("POST", "/v1/chat/completions", CHAT + "}");
                }));
            go.countDown();
            int ok = 0;
            int busy = 0;
            for (Future<Reply> f : replies) {
                Reply r = f.get(30, TimeUnit.SECONDS);
                if (r.status() == 200) ok++;
                if (r.status() == 429) {
                    busy++;
                    assertThat(r.json().path("error").path("code").asText()).isEqualTo("server_busy");
                }
            }
            assertThat(ok + busy).isEqualTo(8);
            assertThat(ok).isBetween(2, 3); // 2 running + 1 queued (a later one may slip in as others finish)
            assertThat(busy).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anApiKeyIsRequiredWhenSet() throws Exception {
        serve(ScriptedTextModel.of("ok"), b -> b.apiKey("sk-1"));
        Reply r = call("GET", "/v1/models", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(call("GET", "/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsGeneration() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens(java.util.Collections.nCopies(10_000, "tok "))
                .tokenDelay(Duration.ofMillis(5))
                .build();
        serve(model, b -> b);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(
                    ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                    + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            int tokens = 0;
            for (String line; (line = in.readLine()) != null && tokens < 5; )
                if (line.contains("\"content\":\"tok")) tokens++;
            assertThat(tokens).isEqualTo(5);
        } // the client goes away
        assertThat(model.awaitStreamsClosed(1, Duration.ofSeconds(10))).isTrue();
        assertThat(server.url()).isNotEmpty();
    }

    @Test
    void sixtyFourConcurrentStreamsAllCompleteInOrder() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .script(call -> {
                    List<String> toks = new ArrayList<>();
                    String who = call.messages().get(0).content();
                    for (int i = 0; i < 50; i++) toks.add(who + ":" + i + " ");
                    return ScriptedTextModel.Script.of(toks).withTokenDelay(Duration.ofMillis(1));
                })
                .build();
        serve(model, b -> b.concurrency(64, 0, Duration.ZERO));
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (int c = 0; c < 64; c++) {
                String who = "c" + c;
                all.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                Reply r = call(
                                        "POST",
                                        "/v1/chat/completions",
                                        "{\"messages\":[{\"role\":\"user\",\"content\":\"" + who
                                                + "\"}],\"stream\":true}");
                                StringBuilder text = new StringBuilder();
                                for (JsonNode e : events(r.body()))
                                    text.append(e.path("choices")
                                            .path(0)
                                            .path("delta")
                                            .path("content")
                                            .asText(""));
                                return text.toString();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        pool));
            }
            for (int c = 0; c < 64; c++) {
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 50; i++)
                    expected.append("c").append(c).append(':').append(i).append(' ');
                assertThat(all.get(c).get(60, TimeUnit.SECONDS)).isEqualTo(expected.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anHttpBackendClientStreamsFromIt() throws Exception {
        serve(ScriptedTextModel.of("over", " the", " wire"), b -> b);
        HttpBackend client = HttpBackend.builder(server.url(), "test-model").build();
        try (TokenStream s = client.streamChat(List.of(Message.user("hi")), ai.lthn.ml.GenOpts.defaults())) {
            assertThat(s.next().text()).isEqualTo("over");
            assertThat(s.remainingText()).isEqualTo(" the wire");
        }
        assertThat(client.generate("hi", ai.lthn.ml.GenOpts.defaults())).isEqualTo("over the wire");
    }

    @Test
    void closeDrainsAStreamInFlightThenRefuses() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens("a", "b", "c", "d", "e", "f")
                .tokenDelay(Duration.ofMillis(100))
                .build();
        server = OpenAiServer.builder(model)
                .drain(Duration.ofSeconds(20))
                .build()
                .start();
        CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> {
            try {
                return call("POST", "/v1/chat/completions", CHAT + ",\"stream\":true}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (model.streamsOpened() == 0) Thread.sleep(10);
        server.close();
        Reply r = reply.get(20, TimeUnit.SECONDS);
        assertThat(r.body()).contains("\"content\":\"f\"").contains("data: [DONE]");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> call("GET", "/healthz", null)))
                .isInstanceOf(IOException.class);
    }

    /**
     * When {@code close()} cancels what is in flight, the listening socket is already closed: a
     * client whose request was cut and who re-sends it (the JDK's HttpURLConnection re-sends a POST
     * once) is refused at once, rather than reaching a server that is stopping and may never answer.
     */
    @Test
    void closeRefusesNewConnectionsBeforeItCancelsWhatIsInFlight() throws Exception {
        HostileModel model = HostileModel.stallingAfterFirstToken();
        server = OpenAiServer.builder(model).drain(Duration.ZERO).build().start();
        int port = server.port();
        CompletableFuture<String> atCancel = new CompletableFuture<>();
        model.onRelease(
                () -> { // runs inside close(), as it cancels the stream
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (System.nanoTime() - until < 0) {
                        try (java.net.Socket s = new java.net.Socket()) {
                            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                            Thread.sleep(10); // the listener's close may still be on its way: try again
                        } catch (java.net.ConnectException e) {
                            atCancel.complete("refused");
                            return;
                        } catch (IOException | InterruptedException e) {
                            atCancel.complete(e.toString());
                            return;
                        }
                    }
                    atCancel.complete("still accepting connections");
                });
        CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> {
            try {
                return call("POST", "/v1/chat/completions", CHAT + ",\"stream\":true}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (model.opened() == 0) Thread.sleep(10);
        server.close();
        assertThat(atCancel.get(10, TimeUnit.SECONDS))
                .as("a connection made while close() cancels a stream")
                .isEqualTo("refused");
        try {
            assertThat(reply.get(10, TimeUnit.SECONDS).body()).doesNotContain("[DONE]");
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    @Test
    void anUpstreamThatFailsIsA502() throws Exception {
        int dead = Ports.freeLoopbackPort();
        var upstream = HttpBackend.builder("http://127.0.0.1:" + dead, "m")
                .retryPolicy(ai.lthn.ml.RetryPolicy.none())
                .build()
                .textModel();
        server = OpenAiServer.builder(upstream)
                .modelId("proxy")
                .drain(Duration.ZERO)
                .build()
                .start();
        for (String stream : new String[] {"false", "true"}) {
            Reply r = call("POST", "/v1/chat/completions", CHAT + ",\"stream\":" + stream + "}");
            assertThat(r.status()).as(stream).isEqualTo(502);
            assertThat(r.json().path("error").path("type").asText()).isEqualTo("upstream_error");
            // which failure, but not the upstream's address (it may carry credentials) or parser internals
            assertThat(r.json().path("error").path("message").asText())
                    .isEqualTo("the upstream server could not be reached or broke the connection")
                    .doesNotContain("127.0.0.1");
        }
    }
}
