package ai.lthn.ml.backend;

import static ai.lthn.ml.backend.SseBodies.chunk;
import static ai.lthn.ml.backend.SseBodies.event;
import static ai.lthn.ml.backend.SseBodies.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.Ports;
import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.ManualTime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** Real token streaming from HttpBackend, with the servers' shapes and the faults users meet. */
class HttpStreamTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    private HttpBackend.Builder backend() {
        String url = server.url("/").toString();
        return HttpBackend.builder(url, "m").sleeper(waits::add);
    }

    private static List<String> texts(TokenStream s) {
        List<String> out = new ArrayList<>();
        try (s) {
            s.forEachRemaining(t -> out.add(t.text()));
        }
        return out;
    }

    @Test
    void llamaCppStreamYieldsEachTokenWithUsageAndStop() throws Exception {
        server.enqueue(sse(SseBodies.llamaCpp("Hel", "lo", " world")));
        TokenStream s = backend().build().streamChat(List.of(Message.user("hi")), GenOpts.defaults());
        List<String> tokens = new ArrayList<>();
        while (s.hasNext()) tokens.add(s.next().text());
        assertThat(tokens).containsExactly("Hel", "lo", " world");
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(s.metrics().promptTokens()).isEqualTo(9);
        assertThat(s.metrics().generatedTokens()).isEqualTo(3);
        s.close();

        JsonNode req =
                JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(req.path("stream").asBoolean()).isTrue();
        assertThat(req.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(req.path("messages").get(0).path("content").asText()).isEqualTo("hi");
    }

    @Test
    void vllmLengthFinishAndCrlfLineEnds() {
        server.enqueue(sse(SseBodies.vllm("length", "a", "b")));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(texts(s)).containsExactly("a", "b");
        assertThat(s.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(s.metrics().generatedTokens()).isEqualTo(2);
    }

    @Test
    void ollamaStreamWithoutUsageCountsChunks() {
        server.enqueue(sse(SseBodies.ollama("Hi", " there", "\\u00e9\\n")));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(texts(s)).containsExactly("Hi", " there", "é\n");
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(s.metrics().generatedTokens()).isEqualTo(3);
        assertThat(s.metrics().promptTokens()).isZero();
    }

    @Test
    void tokensArriveBeforeTheBodyEnds() throws Exception {
        var script = new SseBodies.Script().write(chunk("first")).stall().write(SseBodies.llamaCpp("rest"));
        server.enqueue(sse(script));
        try (TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults())) {
            assertThat(s.next().text()).isEqualTo("first"); // the server is still holding the rest
            script.release.countDown();
            assertThat(s.remainingText()).isEqualTo("rest");
        }
    }

    @Test
    void openAiErrorEnvelopeGivesTheServersMessageAndIsNotRetried() {
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":{\"message\":\"model 'nope' not found\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"model_not_found\"}}")
                .build());
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThatThrownBy(s::hasNext)
                .isInstanceOfSatisfying(
                        HttpStatusException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessage("unexpected status 400: model 'nope' not found (invalid_request_error, model_not_found)");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void midStreamErrorEventFailsWithThePartialText() {
        server.enqueue(sse(chunk("par")
                + chunk("tial")
                + event("{\"error\":{\"message\":\"out of memory\",\"type\":\"server_error\"}}")));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(s.next().text()).isEqualTo("par");
        assertThat(s.next().text()).isEqualTo("tial");
        assertThatThrownBy(s::hasNext)
                .isInstanceOfSatisfying(
                        StreamFailedException.class,
                        e -> assertThat(e.partialText()).isEqualTo("partial"))
                .hasMessageContaining("out of memory");
        s.close();
    }

    @Test
    void truncatedJsonIsAMalformedEventWithPartialText() {
        server.enqueue(sse(chunk("ok") + "data: {\"choices\":[{\"delta\":{\"content\":\"bro\n\n"));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(s.next().text()).isEqualTo("ok");
        assertThatThrownBy(s::hasNext)
                .isInstanceOfSatisfying(
                        StreamFailedException.class,
                        e -> assertThat(e.partialText()).isEqualTo("ok"))
                .hasMessageContaining("malformed event");
    }

    @Test
    void streamEndingWithoutDoneOrFinishIsTruncated() {
        server.enqueue(sse(chunk("a")));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(s.next().text()).isEqualTo("a");
        assertThatThrownBy(s::hasNext).isInstanceOf(StreamFailedException.class).hasMessageContaining("truncated");
    }

    @Test
    void resetAfterTheFirstTokenIsNotRetriedAndKeepsThePartialText() throws Exception {
        try (var raw = new RawHttpServer(chunk("one") + chunk("two"), RawHttpServer.Then.RESET)) {
            TokenStream s = HttpBackend.builder(raw.url(), "m")
                    .sleeper(waits::add)
                    .idleTimeout(Duration.ofSeconds(20))
                    .build()
                    .streamGenerate("x", GenOpts.defaults());
            List<String> got = new ArrayList<>();
            assertThatThrownBy(() -> s.forEachRemaining(t -> got.add(t.text())))
                    .isInstanceOfSatisfying(
                            StreamFailedException.class,
                            e -> assertThat(e.partialText()).isEqualTo("onetwo"));
            assertThat(got).containsExactly("one", "two");
            assertThat(raw.requests.get()).isEqualTo(1);
            assertThat(waits).isEmpty();
        }
    }

    @Test
    void resetBeforeTheFirstTokenIsRetried() throws Exception {
        String roleOnly = event("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}");
        try (var raw = new RawHttpServer(roleOnly, RawHttpServer.Then.RESET)) {
            var backend = HttpBackend.builder(raw.url(), "m")
                    .sleeper(waits::add)
                    .firstTokenTimeout(Duration.ofSeconds(20))
                    .build();
            assertThatThrownBy(() -> texts(backend.streamGenerate("x", GenOpts.defaults())))
                    .isInstanceOf(MlException.class)
                    .hasMessageStartingWith("exhausted 3 retries");
            assertThat(raw.requests.get()).isEqualTo(3);
            assertThat(waits).hasSize(2);
            assertThat(waits.get(0)).isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
        }
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "2")
                .body("{\"error\":{\"message\":\"slow down\"}}")
                .build());
        server.enqueue(sse(SseBodies.llamaCpp("ok")));
        assertThat(texts(backend().build().streamGenerate("x", GenOpts.defaults())))
                .containsExactly("ok");
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterBeyondTheBudgetFailsAtOnce() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Retry-After", "600")
                .body("busy")
                .build());
        var backend = backend().build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .isInstanceOf(MlException.class)
                .hasMessageContaining("retry budget")
                .hasMessageContaining("server error 503: busy")
                .hasCauseInstanceOf(HttpStatusException.class);
        assertThat(waits).isEmpty();
    }

    @Test
    void serviceUnavailableThenSuccessBacksOffWithJitter() {
        server.enqueue(
                new MockResponse.Builder().code(503).body("loading model").build());
        server.enqueue(
                new MockResponse.Builder().code(503).body("loading model").build());
        server.enqueue(sse(SseBodies.llamaCpp("up")));
        assertThat(texts(backend().build().streamGenerate("x", GenOpts.defaults())))
                .containsExactly("up");
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(160), Duration.ofMillis(240));
    }

    @Test
    void aStallAfterTheFirstTokenFiresTheIdleTimeout() {
        var script = new SseBodies.Script().write(chunk("slow")).stall();
        server.enqueue(sse(script));
        TokenStream s = backend().idleTimeout(Duration.ofMillis(300)).build().streamGenerate("x", GenOpts.defaults());
        assertThat(s.next().text()).isEqualTo("slow");
        assertThatThrownBy(s::hasNext)
                .isInstanceOfSatisfying(MlTimeoutException.class, e -> {
                    assertThat(e.partialText()).isEqualTo("slow");
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                })
                .hasMessageContaining("idle timeout");
        script.release.countDown();
    }

    @Test
    void theIdleLimitRunsOnTheInjectedTickerAndScheduler() throws Exception {
        var script = new SseBodies.Script().write(chunk("slow")).stall();
        server.enqueue(sse(script));
        ManualTime time = new ManualTime();
        TokenStream s = backend()
                .idleTimeout(Duration.ofHours(1))
                .ticker(time)
                .scheduler(time)
                .build()
                .streamGenerate("x", GenOpts.defaults());
        assertThat(s.next().text()).isEqualTo("slow");
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(s::hasNext);
        time.advance(Duration.ofMinutes(59)); // an hour of watchdog ticks, none of them late
        assertThat(next).isNotDone();
        time.advance(Duration.ofMinutes(1));
        assertThat(next)
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(MlTimeoutException.class, e -> {
                    assertThat(e.timeout()).isEqualTo(Duration.ofHours(1));
                    assertThat(e.partialText()).isEqualTo("slow");
                })
                .withMessageContaining("idle timeout");
        script.release.countDown();
    }

    @Test
    void aServerThatNeverAnswersFiresTheFirstTokenTimeout() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(20, TimeUnit.SECONDS)
                .body("{}")
                .build());
        TokenStream s =
                backend().firstTokenTimeout(Duration.ofMillis(300)).build().streamGenerate("x", GenOpts.defaults());
        assertThatThrownBy(s::hasNext)
                .isInstanceOf(MlTimeoutException.class)
                .hasMessageContaining("first-token timeout");
        assertThat(server.getRequestCount()).isEqualTo(1); // a timeout is not retried
    }

    @Test
    void anEndlessLineIsCutAtTheBound() throws Exception {
        try (var raw = new RawHttpServer("data: ", RawHttpServer.Then.ENDLESS)) {
            TokenStream s = HttpBackend.builder(raw.url(), "m")
                    .maxResponseBytes(64 * 1024)
                    .firstTokenTimeout(Duration.ofSeconds(20))
                    .build()
                    .streamGenerate("x", GenOpts.defaults());
            assertThatThrownBy(s::hasNext)
                    .isInstanceOf(StreamFailedException.class)
                    .hasMessageContaining("longer than 65536 bytes");
            assertThat(raw.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void anEndlessNonStreamedBodyIsCutAtTheBound() throws Exception {
        try (var raw = new RawHttpServer("{", RawHttpServer.Then.ENDLESS)) {
            var backend = HttpBackend.builder(raw.url(), "m")
                    .maxResponseBytes(64 * 1024)
                    .build();
            assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                    .isInstanceOf(MlException.class)
                    .hasMessageContaining("larger than 65536 bytes");
            assertThat(raw.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void aPlainJsonReplyToAStreamRequestIsOneToken() {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("{\"choices\":[{\"message\":{\"content\":\"whole\"},\"finish_reason\":\"length\"}],"
                        + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}")
                .build());
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(texts(s)).containsExactly("whole");
        assertThat(s.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(s.metrics().promptTokens()).isEqualTo(4);
    }

    @Test
    void closeFromAnotherThreadCancelsABlockedRead() throws Exception {
        var script = new SseBodies.Script().write(chunk("t")).stall();
        server.enqueue(sse(script));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        assertThat(s.next().text()).isEqualTo("t");
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                s.hasNext();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Thread.sleep(100); // let the reader block (not required for correctness)
        s.close();
        assertThat(reader.get(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        GenerationCancelledException.class,
                        e -> assertThat(e.partialText()).isEqualTo("t"));
        script.release.countDown();
    }

    @Test
    void interruptingTheReaderCancelsTheCall() throws Exception {
        var script = new SseBodies.Script().write(chunk("t")).stall();
        server.enqueue(sse(script));
        TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                s.next();
                s.hasNext();
            } catch (Throwable e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        Thread.sleep(200);
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(GenerationCancelledException.class);
        assertThat(flag.get()).isTrue();
        s.close();
        script.release.countDown();
    }

    @Test
    void nonStreamedChatIsInterruptible() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(20, TimeUnit.SECONDS)
                .body("{}")
                .build());
        var backend = backend().build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                backend.generate("x", GenOpts.defaults());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        Thread.sleep(200);
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(GenerationCancelledException.class);
    }

    @Test
    void deprecatedStreamingCallbackReceivesEachToken() {
        server.enqueue(sse(SseBodies.llamaCpp("a", "b")));
        List<String> got = new ArrayList<>();
        @SuppressWarnings("deprecation")
        Runnable call = () -> backend().build().generateStream("x", GenOpts.defaults(), got::add);
        call.run();
        assertThat(got).containsExactly("a", "b");
    }

    @Test
    void tokensAreTokenRecords() {
        server.enqueue(sse(SseBodies.llamaCpp("z")));
        try (TokenStream s = backend().build().streamGenerate("x", GenOpts.defaults())) {
            assertThat(s.next()).isEqualTo(Token.of("z"));
        }
    }

    @Test
    void theTotalTimeoutBoundsAStreamThatNeverEnds() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) body.append(chunk("t" + i));
        byte[] one = chunk("t0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(body.toString())
                .throttleBody(one.length, 50, TimeUnit.MILLISECONDS)
                .build());
        TokenStream s = backend().timeout(Duration.ofMillis(600)).build().streamGenerate("x", GenOpts.defaults());
        assertThatThrownBy(() -> s.forEachRemaining(t -> {}))
                .isInstanceOfSatisfying(MlTimeoutException.class, e -> {
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(600));
                    assertThat(e.partialText()).startsWith("t0t1");
                })
                .hasMessageContaining("timed out after 600 ms");
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws Exception {
        int port = Ports.freeLoopbackPort();
        var backend = HttpBackend.builder("http://127.0.0.1:" + port, "m")
                .sleeper(waits::add)
                .build();
        assertThatThrownBy(() -> backend.generate("x", GenOpts.defaults()))
                .isInstanceOf(MlException.class)
                .hasMessageStartingWith("exhausted 3 retries: POST http://127.0.0.1:" + port)
                .hasCauseInstanceOf(ai.lthn.ml.MlIOException.class);
        assertThat(waits).hasSize(2);
    }
}
