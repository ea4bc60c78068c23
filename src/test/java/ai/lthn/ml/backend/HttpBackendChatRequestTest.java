package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.ToolCall;
import ai.lthn.ml.inference.FinishReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The rich API of {@link HttpBackend}: each OpenAI field on the wire, and every part of the reply read back. */
class HttpBackendChatRequestTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Weather(String city, Unit unit) {}

    enum Unit {
        CELSIUS,
        FAHRENHEIT
    }

    private HttpBackend backend() {
        String url = server.url("/").toString();
        return HttpBackend.builder(url.substring(0, url.length() - 1), "m").build();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private static MockResponse events(String... data) {
        StringBuilder sb = new StringBuilder();
        for (String d : data) sb.append("data: ").append(d).append("\n\n");
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .body(sb.append("data: [DONE]\n\n").toString())
                .build();
    }

    private RecordedRequest taken() throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the server").isNotNull();
        return r;
    }

    private JsonNode take() throws Exception {
        return JSON.readTree(taken().getBody().utf8());
    }

    private static final String TWO_CHOICES =
            "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"model\":\"m-2024\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                    + "{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},"
                    + "{\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},"
                    + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"},"
                    + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"logprobs\":{\"content\":["
                    + "{\"token\":\"Hi\",\"logprob\":-0.25,\"bytes\":[72,105],\"top_logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.25},"
                    + "{\"token\":\"Hello\",\"logprob\":-1.5}]}]},\"finish_reason\":\"content_filter\"}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,\"total_tokens\":42}}";

    @Test
    void everyFieldIsSentWithOpenAisNamesAndEveryPartOfTheReplyIsRead() throws Exception {
        server.enqueue(json(TWO_CHOICES));
        Tool weather = Tool.function("get_weather", "Current weather", Weather.class);
        ChatRequest request = ChatRequest.builder(List.of(
                        Message.user("Weather?"),
                        Message.assistant("", List.of(new ToolCall("call_0", "get_weather", "{\"city\":\"Oslo\"}"))),
                        Message.tool("call_0", "{\"temp\":3}")))
                .options(GenOpts.builder().temperature(0.5).seed(7L).build())
                .n(2)
                .topLogprobs(2)
                .presencePenalty(0.5)
                .frequencyPenalty(-0.25)
                .user("user-42")
                .tools(List.of(weather))
                .toolChoice(ToolChoice.function("get_weather"))
                .build();

        ChatResult result = backend().complete(request);

        JsonNode sent = take();
        assertThat(sent.path("n").asInt()).isEqualTo(2);
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
        assertThat(sent.path("presence_penalty").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("frequency_penalty").asDouble()).isEqualTo(-0.25);
        assertThat(sent.path("user").asText()).isEqualTo("user-42");
        assertThat(sent.path("seed").asLong()).isEqualTo(7);
        assertThat(sent.has("stream")).isFalse();
        JsonNode fn = sent.path("tools").get(0);
        assertThat(fn.path("type").asText()).isEqualTo("function");
        assertThat(fn.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(fn.path("function").path("description").asText()).isEqualTo("Current weather");
        assertThat(fn.path("function").path("strict").asBoolean()).isTrue();
        assertThat(fn.path("function")
                        .path("parameters")
                        .path("properties")
                        .path("unit")
                        .path("enum"))
                .hasSize(2);
        assertThat(sent.path("tool_choice").toString())
                .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
        JsonNode assistant = sent.path("messages").get(1);
        assertThat(assistant.path("content").isNull())
                .as("content null beside tool calls")
                .isTrue();
        assertThat(assistant.path("tool_calls").get(0).toString())
                .isEqualTo("{\"id\":\"call_0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}");
        JsonNode tool = sent.path("messages").get(2);
        assertThat(tool.path("role").asText()).isEqualTo("tool");
        assertThat(tool.path("tool_call_id").asText()).isEqualTo("call_0");
        assertThat(tool.path("content").asText()).isEqualTo("{\"temp\":3}");

        assertThat(result.id()).isEqualTo("chatcmpl-9");
        assertThat(result.model()).isEqualTo("m-2024");
        assertThat(result.choices()).hasSize(2);
        assertThat(result.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.text()).isEmpty();
        assertThat(result.toolCalls())
                .containsExactly(
                        new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"));
        ChatChoice second = result.choices().get(1);
        assertThat(second.index()).isEqualTo(1);
        assertThat(second.text()).isEqualTo("Hi");
        assertThat(second.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(second.logprobs()).hasSize(1);
        TokenLogprob hi = second.logprobs().get(0);
        assertThat(hi.token()).isEqualTo("Hi");
        assertThat(hi.logprob()).isEqualTo(-0.25);
        assertThat(hi.topLogprobs()).extracting(TokenLogprob::token).containsExactly("Hi", "Hello");
        assertThat(result.usage()).isEqualTo(new Usage(12, 30));
        assertThat(result.usage().totalTokens()).isEqualTo(42);
        assertThat(result.choices().get(0).toMessage().toolCalls()).hasSize(2);
    }

    @Test
    void defaultsAreLeftOffTheWire() throws Exception {
        server.enqueue(
                json("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"));
        ChatResult r = backend()
                .complete(ChatRequest.builder(List.of(Message.user("x"))).build());
        JsonNode sent = take();
        for (String field :
                List.of("n", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "user", "tools"))
            assertThat(sent.has(field)).as(field).isFalse();
        assertThat(r.text()).isEqualTo("ok");
        assertThat(r.usage()).isEqualTo(Usage.UNKNOWN);
        assertThat(r.logprobs()).isEmpty();
    }

    @Test
    void aJsonSchemaFromARecordIsSentStrict() throws Exception {
        server.enqueue(json("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"{\\\"city\\\":\\\"Paris\\\","
                + "\\\"unit\\\":\\\"CELSIUS\\\"}\"},\"finish_reason\":\"stop\"}]}"));
        ChatResult r = backend()
                .complete(ChatRequest.builder(List.of(Message.user("x")))
                        .responseFormat(ResponseFormat.jsonSchema("weather", Weather.class))
                        .build());
        JsonNode format = take().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("weather");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema")
                        .path("schema")
                        .path("additionalProperties")
                        .asBoolean(true))
                .isFalse();
        assertThat(JSON.readValue(r.text(), Weather.class)).isEqualTo(new Weather("Paris", Unit.CELSIUS));
    }

    @Test
    void toolCallsAreAssembledFromDeltasAcrossChunks() throws Exception {
        String head =
                "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,";
        server.enqueue(events(
                head + "\"delta\":{\"role\":\"assistant\",\"content\":null},\"finish_reason\":null}]}",
                head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                head
                        + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]},\"finish_reason\":null}]}",
                head + "\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}",
                head
                        + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
                head + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "{\"id\":\"chatcmpl-s\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}"));
        List<ChatDelta> steps = new ArrayList<>();
        ChatResult result;
        try (ChatStream stream = backend().stream(ChatRequest.builder(List.of(Message.user("x")))
                .tools(List.of(Tool.function("get_weather", "", Weather.class)))
                .build())) {
            while (stream.hasNext()) steps.add(stream.next());
            result = stream.result();
        }
        JsonNode sent = take();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(steps).as("every fragment is a step, and the finish").hasSize(5);
        assertThat(steps.get(1).toolCalls().get(0).arguments()).isEqualTo("{\"ci");
        assertThat(steps.get(4).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.id()).isEqualTo("chatcmpl-s");
        assertThat(result.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.toolCalls())
                .containsExactly(
                        new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("call_2", "get_time", "{}"));
        assertThat(result.usage()).isEqualTo(new Usage(3, 9));
    }

    @Test
    void streamedLogprobsArriveWithTheirTokensAndChoicesInterleave() throws Exception {
        String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[";
        server.enqueue(events(
                head + "{\"index\":0,\"delta\":{\"content\":\"A\"},\"logprobs\":{\"content\":[{\"token\":\"A\","
                        + "\"logprob\":-0.1,\"top_logprobs\":[{\"token\":\"A\",\"logprob\":-0.1},{\"token\":\"B\",\"logprob\":-2.5}]}]},"
                        + "\"finish_reason\":null}]}",
                head + "{\"index\":1,\"delta\":{\"content\":\"X\"},\"logprobs\":{\"content\":[{\"token\":\"X\","
                        + "\"logprob\":-0.7,\"top_logprobs\":[]}]},\"finish_reason\":null}]}",
                head + "{\"index\":0,\"delta\":{\"content\":\"a\"},\"logprobs\":{\"content\":[{\"token\":\"a\","
                        + "\"logprob\":-0.3,\"top_logprobs\":[]}]},\"finish_reason\":\"stop\"}]}",
                head + "{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}"));
        ChatResult result;
        List<Integer> order = new ArrayList<>();
        try (ChatStream stream = backend().stream(ChatRequest.builder(List.of(Message.user("x")))
                .n(2)
                .topLogprobs(2)
                .build())) {
            ChatDelta first = stream.next();
            assertThat(first.logprobs()).extracting(TokenLogprob::token).containsExactly("A");
            assertThat(first.logprobs().get(0).topLogprobs())
                    .extracting(TokenLogprob::logprob)
                    .containsExactly(-0.1, -2.5);
            order.add(first.index());
            while (stream.hasNext()) order.add(stream.next().index());
            result = stream.result();
        }
        assertThat(order).containsExactly(0, 1, 0, 1);
        assertThat(result.choices()).extracting(ChatChoice::text).containsExactly("Aa", "X");
        assertThat(result.choices())
                .extracting(ChatChoice::finishReason)
                .containsExactly(FinishReason.STOP, FinishReason.LENGTH);
        assertThat(result.choices().get(0).logprobs())
                .extracting(TokenLogprob::logprob)
                .containsExactly(-0.1, -0.3);
        JsonNode sent = take();
        assertThat(sent.path("n").asInt()).isEqualTo(2);
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
    }

    @Test
    void perCallHeadersAddToTheBackendsAndWin() throws Exception {
        server.enqueue(json("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"}}]}"));
        String url = server.url("/").toString();
        HttpBackend b = HttpBackend.builder(url, "m")
                .header("X-Team", "backend")
                .header("X-Shared", "backend")
                .apiKey("sk-1")
                .build();
        b.complete(ChatRequest.builder(List.of(Message.user("x")))
                .header("X-Trace", "t-1")
                .header("X-Shared", "call")
                .build());
        RecordedRequest r = taken();
        assertThat(r.getHeaders().get("X-Team")).isEqualTo("backend");
        assertThat(r.getHeaders().get("X-Trace")).isEqualTo("t-1");
        assertThat(r.getHeaders().values("X-Shared")).containsExactly("call");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-1");
        assertThatThrownBy(() -> ChatRequest.builder(List.of(Message.user("x"))).header("authorization", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
    }

    @Test
    void streamedCallsCarryTheirHeadersToo() throws Exception {
        server.enqueue(
                events("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"));
        try (ChatStream s = backend().stream(ChatRequest.builder(List.of(Message.user("x")))
                .header("X-Trace", "t-2")
                .build())) {
            assertThat(s.result().text()).isEqualTo("ok");
        }
        assertThat(taken().getHeaders().get("X-Trace")).isEqualTo("t-2");
    }

    @Test
    void emulatedChoicesAreSeveralCallsOfOneChoice() throws Exception {
        for (int i = 0; i < 3; i++)
            server.enqueue(json("{\"id\":\"c" + i + "\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"r" + i
                    + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}"));
        String url = server.url("/").toString();
        HttpBackend b = HttpBackend.builder(url, "m").emulateChoices(true).build();
        ChatResult r =
                b.complete(ChatRequest.builder(List.of(Message.user("x"))).n(3).build());
        for (int i = 0; i < 3; i++)
            assertThat(take().has("n")).as("call " + i + " asks one choice").isFalse();
        assertThat(r.choices()).extracting(ChatChoice::index).containsExactly(0, 1, 2);
        assertThat(r.choices()).extracting(ChatChoice::text).containsExactly("r0", "r1", "r2");
        assertThat(r.usage()).isEqualTo(new Usage(12, 6));
    }

    @Test
    void emulatedChoicesStreamOneAfterTheOther() throws Exception {
        for (String word : List.of("first", "second"))
            server.enqueue(events(
                    "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word
                            + "\"},\"finish_reason\":\"stop\"}]}",
                    "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}"));
        String url = server.url("/").toString();
        HttpBackend b = HttpBackend.builder(url, "m").emulateChoices(true).build();
        List<ChatDelta> steps = new ArrayList<>();
        ChatResult r;
        try (ChatStream s =
                b.stream(ChatRequest.builder(List.of(Message.user("x"))).n(2).build())) {
            steps.add(s.next());
            assertThat(server.getRequestCount())
                    .as("the second call waits for the first to end")
                    .isEqualTo(1);
            while (s.hasNext()) steps.add(s.next());
            r = s.result();
        }
        assertThat(steps).extracting(ChatDelta::index).containsExactly(0, 1);
        assertThat(steps).extracting(ChatDelta::content).containsExactly("first", "second");
        assertThat(r.choices()).extracting(ChatChoice::text).containsExactly("first", "second");
        assertThat(r.usage()).isEqualTo(new Usage(8, 2));
        for (int i = 0; i < 2; i++) {
            JsonNode sent = take();
            assertThat(sent.has("n")).isFalse();
            assertThat(sent.path("stream").asBoolean()).isTrue();
        }
    }

    @Test
    void closingAnEmulatedStreamCancelsTheCallsNotYetMade() throws Exception {
        server.enqueue(
                events("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one\"},\"finish_reason\":\"stop\"}]}"));
        server.enqueue(
                events("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two\"},\"finish_reason\":\"stop\"}]}"));
        String url = server.url("/").toString();
        HttpBackend b = HttpBackend.builder(url, "m").emulateChoices(true).build();
        ChatStream s =
                b.stream(ChatRequest.builder(List.of(Message.user("x"))).n(3).build());
        assertThat(s.next().content()).isEqualTo("one");
        s.close();
        assertThatThrownBy(s::hasNext) // as every stream reports a cancel
                .isInstanceOf(ai.lthn.ml.GenerationCancelledException.class);
        assertThat(server.getRequestCount()).as("no call after the close").isEqualTo(1);
    }

    @Test
    void aFailedAsyncCallCompletesTheFutureExceptionally() {
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":{\"message\":\"bad tool\"}}")
                .build());
        CompletableFuture<ChatResult> f = backend()
                .completeAsync(ChatRequest.builder(List.of(Message.user("x"))).build());
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(HttpStatusException.class)
                .hasMessageContaining("bad tool");
    }

    @Test
    void aServerRefusingAFieldIsAnHttpStatusExceptionWithItsMessage() {
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body(
                        "{\"error\":{\"message\":\"Only one completion choice is allowed\",\"type\":\"invalid_request_error\"}}")
                .build());
        assertThatThrownBy(() -> backend()
                        .complete(ChatRequest.builder(List.of(Message.user("x")))
                                .n(2)
                                .build()))
                .isInstanceOfSatisfying(
                        HttpStatusException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("Only one completion choice is allowed");
    }

    @Test
    void anEventStreamAnsweringACompleteCallIsAssembled() throws Exception {
        server.enqueue(
                events(
                        "{\"id\":\"e\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"He\"}}]}",
                        "{\"id\":\"e\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"llo\"},\"finish_reason\":\"stop\"}]}"));
        ChatResult r = backend()
                .complete(ChatRequest.builder(List.of(Message.user("x"))).build());
        assertThat(r.text()).isEqualTo("Hello");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void completeAsyncCompletesOnTheGivenExecutor() throws Exception {
        server.enqueue(json("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"async\"}}]}"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<ChatResult> f = backend()
                    .completeAsync(
                            ChatRequest.builder(List.of(Message.user("x"))).build(), pool);
            assertThat(f.get(30, TimeUnit.SECONDS).text()).isEqualTo("async");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellingTheFutureCancelsTheCall() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .headersDelay(120, TimeUnit.SECONDS)
                .body("{}")
                .build());
        CountDownLatch taskOver = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<ChatResult> f = backend()
                    .completeAsync(
                            ChatRequest.builder(List.of(Message.user("x"))).build(),
                            task -> pool.execute(() -> {
                                try {
                                    task.run();
                                } finally {
                                    taskOver.countDown();
                                }
                            }));
            taken(); // the call is on the wire
            assertThat(f.cancel(true)).isTrue();
            assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
            assertThat(taskOver.await(60, TimeUnit.SECONDS))
                    .as("the blocked call ended long before the server's 120 s delay")
                    .isTrue();
            assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(30, TimeUnit.SECONDS))
                    .as("the pooled thread keeps no interrupt")
                    .isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void requestsOutOfRangeAreRefusedNamingTheField() {
        var b = ChatRequest.builder(List.of(Message.user("x")));
        assertThatThrownBy(() -> b.n(0).build()).hasMessageContaining("n must be 1 to 128");
        assertThatThrownBy(() -> ChatRequest.builder(List.of(Message.user("x")))
                        .topLogprobs(21)
                        .build())
                .hasMessageContaining("topLogprobs");
        assertThatThrownBy(() -> ChatRequest.builder(List.of(Message.user("x")))
                        .presencePenalty(2.5)
                        .build())
                .hasMessageContaining("presencePenalty");
        assertThatThrownBy(() -> ChatRequest.builder(List.of(Message.user("x")))
                        .tools(List.of(Tool.function("a", "", "{\"type\":\"object\"}")))
                        .toolChoice(ToolChoice.function("b"))
                        .build())
                .hasMessageContaining("toolChoice names b");
        assertThatThrownBy(() -> Tool.function("bad name", "", "{}")).hasMessageContaining("tool name");
        assertThatThrownBy(() -> Tool.function("t", "", "[1]")).hasMessageContaining("parameters of tool t");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("s", "{", true)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Message.tool("", "x")).hasMessageContaining("id of the call");
        assertThatThrownBy(() -> new Message("user", "x", List.of(new ToolCall("i", "n", "{}")), ""))
                .hasMessageContaining("only an assistant message");
    }
}
