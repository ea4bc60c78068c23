package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.testing.ScriptedTextModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ml serve} over an HTTP upstream (a loopback MockWebServer scripted with OpenAI's shapes):
 * the fields beyond text go upstream and what comes back reaches the client, whole and as SSE;
 * over a local model the same fields are a 400 naming them.
 */
class PassThroughTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private OpenAiServer ours;

    @AfterEach
    void stopOurs() {
        if (ours != null) ours.close();
    }

    private void serve(TextModel model) {
        ours = OpenAiServer.builder(model)
                .modelId("served")
                .drain(Duration.ZERO)
                .build()
                .start();
    }

    private void serveUpstream() {
        String url = server.url("/").toString();
        serve(HttpBackend.builder(url, "up-model")
                .retries(1, Duration.ofMillis(1))
                .build()
                .textModel());
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String errorMessage() throws IOException {
            return json().path("error").path("message").asText();
        }
    }

    private Reply post(String path, String body) throws IOException {
        HttpCall.Response r = HttpCall.send(ours.url() + path, "POST", body);
        return new Reply(r.status(), r.body());
    }

    private JsonNode upstreamRequest() throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("the upstream got the request").isNotNull();
        return JSON.readTree(r.getBody().utf8());
    }

    private static List<JsonNode> events(String body) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (!block.startsWith("data: ")) continue;
            String data = block.substring(6);
            if (!data.equals("[DONE]")) out.add(JSON.readTree(data));
        }
        return out;
    }

    private static final String RICH = "{\"model\":\"served\",\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_0\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_0\",\"content\":\"{\\\"temp\\\":3}\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
            + "\"tool_choice\":\"required\",\"n\":2,\"logprobs\":true,\"top_logprobs\":1,"
            + "\"presence_penalty\":0.5,\"frequency_penalty\":0.25,\"user\":\"u-1\",\"stop\":[\"END\"],\"seed\":11,"
            + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"strict\":true,"
            + "\"schema\":{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}}}";

    @Test
    void everyFieldGoesUpstreamAndEveryPartOfTheReplyComesBack() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"id\":\"up-1\",\"object\":\"chat.completion\",\"model\":\"up-model\",\"choices\":["
                        + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_9\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                        + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"},"
                        + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"Sunny\"},\"logprobs\":{\"content\":["
                        + "{\"token\":\"Sunny\",\"logprob\":-0.5,\"top_logprobs\":[{\"token\":\"Sunny\",\"logprob\":-0.5}]}]},"
                        + "\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7,\"total_tokens\":27}}")
                .build());
        serveUpstream();
        Reply r = post("/v1/chat/completions", RICH + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        JsonNode up = upstreamRequest();
        assertThat(up.path("model").asText())
                .as("the served id means the backend's own")
                .isEqualTo("up-model");
        assertThat(up.path("n").asInt()).isEqualTo(2);
        assertThat(up.path("logprobs").asBoolean()).isTrue();
        assertThat(up.path("top_logprobs").asInt()).isEqualTo(1);
        assertThat(up.path("presence_penalty").asDouble()).isEqualTo(0.5);
        assertThat(up.path("frequency_penalty").asDouble()).isEqualTo(0.25);
        assertThat(up.path("user").asText()).isEqualTo("u-1");
        assertThat(up.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(up.path("seed").asLong()).isEqualTo(11);
        assertThat(up.path("tool_choice").asText()).isEqualTo("required");
        assertThat(up.path("tools")
                        .get(0)
                        .path("function")
                        .path("parameters")
                        .path("required")
                        .get(0)
                        .asText())
                .isEqualTo("city");
        assertThat(up.path("response_format").path("json_schema").path("strict").asBoolean())
                .isTrue();
        assertThat(up.path("messages")
                        .get(1)
                        .path("tool_calls")
                        .get(0)
                        .path("id")
                        .asText())
                .isEqualTo("call_0");
        assertThat(up.path("messages").get(2).path("tool_call_id").asText()).isEqualTo("call_0");
        assertThat(up.has("stream")).isFalse();

        JsonNode j = r.json();
        assertThat(j.path("object").asText()).isEqualTo("chat.completion");
        assertThat(j.path("model").asText()).isEqualTo("served");
        JsonNode first = j.path("choices").get(0);
        assertThat(first.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(first.path("message").path("content").isNull()).isTrue();
        JsonNode call = first.path("message").path("tool_calls").get(0);
        assertThat(call.path("id").asText()).isEqualTo("call_9");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        JsonNode second = j.path("choices").get(1);
        assertThat(second.path("index").asInt()).isEqualTo(1);
        assertThat(second.path("message").path("content").asText()).isEqualTo("Sunny");
        JsonNode lp = second.path("logprobs").path("content").get(0);
        assertThat(lp.path("token").asText()).isEqualTo("Sunny");
        assertThat(lp.path("logprob").asDouble()).isEqualTo(-0.5);
        assertThat(lp.path("bytes")).hasSize(5);
        assertThat(lp.path("top_logprobs").get(0).path("token").asText()).isEqualTo("Sunny");
        assertThat(j.path("usage").path("total_tokens").asInt()).isEqualTo(27);
    }

    @Test
    void streamedToolCallsAndLogprobsComeBackAsChunks() throws Exception {
        String head = "{\"id\":\"up\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,";
        String sse = "data: " + head
                + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                + "data: " + head
                + "\"delta\":{\"content\":\"Hm\"},\"logprobs\":{\"content\":[{\"token\":\"Hm\",\"logprob\":-1.0,"
                + "\"top_logprobs\":[]}]},\"finish_reason\":null}]}\n\n"
                + "data: " + head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]},\"finish_reason\":null}]}\n\n"
                + "data: " + head
                + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}]},"
                + "\"finish_reason\":null}]}\n\n"
                + "data: " + head + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
                + "data: {\"id\":\"up\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":5}}\n\n"
                + "data: [DONE]\n\n";
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .body(sse)
                .build());
        serveUpstream();
        Reply r = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"logprobs\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).endsWith("data: [DONE]\n\n");
        JsonNode up = upstreamRequest();
        assertThat(up.path("stream").asBoolean()).isTrue();
        assertThat(up.path("tools").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");

        List<JsonNode> events = events(r.body());
        assertThat(events.get(0)
                        .path("choices")
                        .get(0)
                        .path("delta")
                        .path("role")
                        .asText())
                .isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        String callId = null;
        String finish = null;
        double logprob = 0;
        for (JsonNode e : events) {
            assertThat(e.path("model").asText()).isEqualTo("served");
            for (JsonNode c : e.path("choices")) {
                text.append(c.path("delta").path("content").asText(""));
                for (JsonNode t : c.path("delta").path("tool_calls")) {
                    if (t.has("id")) callId = t.path("id").asText();
                    arguments.append(t.path("function").path("arguments").asText(""));
                }
                if (c.path("logprobs").has("content"))
                    logprob = c.path("logprobs")
                            .path("content")
                            .get(0)
                            .path("logprob")
                            .asDouble();
                if (c.path("finish_reason").isTextual())
                    finish = c.path("finish_reason").asText();
            }
        }
        assertThat(text).hasToString("Hm");
        assertThat(callId).isEqualTo("call_1");
        assertThat(arguments).hasToString("{\"city\":\"Paris\"}");
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(logprob).isEqualTo(-1.0);
        JsonNode usage = events.get(events.size() - 1);
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void anUpstreamRefusingAFieldIsA400WithItsMessage() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body(
                        "{\"error\":{\"message\":\"Only one completion choice is allowed\",\"type\":\"invalid_request_error\"}}")
                .build());
        serveUpstream();
        Reply r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":3}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage())
                .contains("refused the request (HTTP 400)")
                .contains("Only one completion choice is allowed");
    }

    @Test
    void aPlainRequestToAnUpstreamStaysOnTheTokenPath() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .body(
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
                                + "data: [DONE]\n\n")
                .build());
        serveUpstream();
        Reply r = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":1,\"top_p\":0.5,\"top_k\":7}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("ok");
        JsonNode up = upstreamRequest();
        assertThat(up.has("n")).isFalse();
        assertThat(up.has("tools")).isFalse();
        assertThat(up.path("top_p").asDouble())
                .as("top_p, dropped before, reaches the upstream")
                .isEqualTo(0.5);
        assertThat(up.path("top_k").asInt()).isEqualTo(7);
    }

    @Test
    void aLocalModelRefusesWhatItCannotHonourNamingTheFields() throws Exception {
        serve(ScriptedTextModel.of("hi"));
        Reply tools = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
        assertThat(tools.status()).isEqualTo(400);
        assertThat(tools.errorMessage()).startsWith("field tools is not supported by the served model");
        assertThat(tools.json().path("error").path("code").asText()).isEqualTo("unsupported_field");
        assertThat(tools.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");

        Reply several = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2,\"logprobs\":true,\"top_logprobs\":2,"
                        + "\"presence_penalty\":1,\"frequency_penalty\":-1,\"seed\":3,"
                        + "\"response_format\":{\"type\":\"json_object\"},\"stream\":true}");
        assertThat(several.status()).isEqualTo(400);
        assertThat(several.errorMessage())
                .startsWith(
                        "fields n, logprobs, top_logprobs, presence_penalty, frequency_penalty, response_format, seed are not supported");

        Reply toolTurns = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"1\"}]}");
        assertThat(toolTurns.status()).isEqualTo(400);
        assertThat(toolTurns.errorMessage())
                .startsWith("fields messages[1].tool_calls, messages[2].tool_call_id are not supported");

        Reply defaults = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":1,\"logprobs\":false,\"presence_penalty\":0,"
                        + "\"user\":\"u\",\"response_format\":{\"type\":\"text\"},\"tool_choice\":\"none\"}");
        assertThat(defaults.status())
                .as("defaults and user are honoured: " + defaults.body())
                .isEqualTo(200);
        assertThat(defaults.json()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("hi");
    }

    @Test
    void badFieldsAre400sNamingWhere() throws Exception {
        serve(ScriptedTextModel.of("hi"));
        assertThat(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}")
                        .errorMessage())
                .isEqualTo("field n must be 1 to 128: 0");
        assertThat(post(
                                "/v1/chat/completions",
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}")
                        .errorMessage())
                .isEqualTo("missing required field: tools[0].function.name");
        assertThat(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}")
                        .errorMessage())
                .contains("messages[0]")
                .contains("id of the call");
        Reply completion = post("/v1/completions", "{\"prompt\":\"x\",\"logprobs\":2}");
        assertThat(completion.status()).isEqualTo(400);
        assertThat(completion.errorMessage())
                .isEqualTo(
                        "field logprobs is not supported on /v1/completions by this server; use /v1/chat/completions");
    }

    private void serveUpstream(java.util.function.UnaryOperator<OpenAiServer.Builder> config) {
        String url = server.url("/").toString();
        ours = config.apply(OpenAiServer.builder(HttpBackend.builder(url, "up-model")
                                .retries(1, Duration.ofMillis(1))
                                .build()
                                .textModel())
                        .modelId("served")
                        .drain(Duration.ZERO))
                .build()
                .start();
    }

    /** A chat request written by hand, so the test controls the connection. */
    private static void rawPost(java.net.Socket s, String body) throws IOException {
        s.getOutputStream()
                .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private int activeRequests() throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(ours.url() + "/healthz").toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        try (InputStream in = c.getInputStream()) {
            return JSON.readTree(in).path("active_requests").asInt(-1);
        }
    }

    @Test
    void theRequestDeadlineEndsAWholeCallWithA504() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .headersDelay(120, TimeUnit.SECONDS)
                .body("{}")
                .build());
        serveUpstream(b -> b.requestTimeout(Duration.ofSeconds(1)));
        Reply r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}");
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("timeout");
    }

    @Test
    void theRequestDeadlineEndsAStreamWithAnErrorEvent() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.enqueue(
                stalled( // the first event, then silence
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
                        release,
                        ""));
        serveUpstream(b -> b.requestTimeout(Duration.ofSeconds(1)));
        try {
            Reply r = post(
                    "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,\"logprobs\":true}");
            assertThat(r.status()).isEqualTo(200);
            List<JsonNode> events = events(r.body());
            assertThat(events.get(0)
                            .path("choices")
                            .get(0)
                            .path("delta")
                            .path("content")
                            .asText())
                    .isEqualTo("Hi");
            assertThat(events.get(events.size() - 1).path("error").path("code").asText())
                    .isEqualTo("timeout");
            assertThat(r.body()).doesNotContain("[DONE]");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClientThatLeavesCancelsTheUpstreamCallAndFreesTheSlot() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .headersDelay(120, TimeUnit.SECONDS)
                .body("{}")
                .build());
        serveUpstream(b -> b);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", ours.port())) {
            rawPost(s, body);
            assertThat(server.takeRequest(10, TimeUnit.SECONDS))
                    .as("the call went upstream")
                    .isNotNull();
            assertThat(activeRequests()).isEqualTo(1);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (activeRequests() != 0 && System.nanoTime() < until) Thread.sleep(50);
        assertThat(activeRequests())
                .as("the slot is free long before the upstream's 120 s delay")
                .isZero();
    }

    @Test
    void aLocalModelHasStopStringsAppliedByTheServerWholeAndStreamed() throws Exception {
        serve(ScriptedTextModel.of("Hello", " wor", "ld", "EN", "D and more"));
        Reply whole = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[\"END\",\"zzz\"]}");
        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        JsonNode choice = whole.json().path("choices").get(0);
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello world");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");

        Reply streamed = post(
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":\"END\",\"stream\":true}");
        StringBuilder text = new StringBuilder();
        for (JsonNode e : events(streamed.body()))
            text.append(e.path("choices").path(0).path("delta").path("content").asText(""));
        assertThat(text).hasToString("Hello world");

        Reply completion = post("/v1/completions", "{\"prompt\":\"x\",\"stop\":[\"wor\"]}");
        assertThat(completion.json().path("choices").get(0).path("text").asText())
                .isEqualTo("Hello ");
    }

    /** An event-stream body that writes {@code first}, then waits for {@code release}, then writes {@code rest}. */
    private static MockResponse stalled(String first, java.util.concurrent.CountDownLatch release, String rest) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .body(new mockwebserver3.MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return -1;
                    }

                    @Override
                    public void writeTo(okio.BufferedSink sink) throws IOException {
                        sink.writeUtf8(first);
                        sink.flush();
                        try {
                            if (!release.await(60, TimeUnit.SECONDS)) return;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        sink.writeUtf8(rest);
                        sink.flush();
                    }
                })
                .build();
    }

    @Test
    void aSilentUpstreamGetsKeepAlivesSentToTheClient() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.enqueue(stalled(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
                release,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: [DONE]\n\n"));
        serveUpstream();
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,\"user\":\"u\"}";
        StringBuilder seen = new StringBuilder();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", ours.port())) {
            s.setSoTimeout(60_000);
            rawPost(s, body);
            java.io.InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            while (!seen.toString().contains(": keep-alive") && (n = in.read(buf)) > 0)
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8)); // one keep-alive after ~10 s of silence
            release.countDown();
            while ((n = in.read(buf)) > 0) seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        } finally {
            release.countDown();
        }
        String text = seen.toString();
        assertThat(text).contains(": keep-alive\n\n");
        assertThat(text.indexOf("\"Hi\"")).isLessThan(text.indexOf(": keep-alive"));
        assertThat(text.indexOf(": keep-alive")).isLessThan(text.indexOf("\" there\""));
        assertThat(text).contains("\"finish_reason\":\"stop\"").contains("data: [DONE]");
    }

    @Test
    void anUpstreamPastTheResponseCapIsStoppedAndItsChoicesEndAsLength() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        String head = "data: {\"choices\":[{\"index\":";
        server.enqueue(stalled(
                head + "0,\"delta\":{\"content\":\"0123456789\"},\"finish_reason\":null}]}\n\n"
                        + head + "1,\"delta\":{\"content\":\"abcdefghij\"},\"finish_reason\":null}]}\n\n"
                        + head + "0,\"delta\":{\"content\":\"0123456789\"},\"finish_reason\":null}]}\n\n",
                release, // never released: only the cap ends this stream
                ""));
        serveUpstream(b -> b.maxResponseChars(25));
        try {
            Reply r = post(
                    "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,\"n\":2}");
            assertThat(r.status()).isEqualTo(200);
            List<JsonNode> events = events(r.body());
            List<String> reasons = new ArrayList<>();
            for (JsonNode e : events)
                for (JsonNode c : e.path("choices"))
                    if (c.path("finish_reason").isTextual())
                        reasons.add(c.path("index").asInt() + ":"
                                + c.path("finish_reason").asText());
            assertThat(reasons).containsExactlyInAnyOrder("0:length", "1:length");
            assertThat(r.body()).endsWith("data: [DONE]\n\n");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closingTheServerEndsAPassThroughStreamInFlight() throws Exception {
        closeWhileAPassThroughStreamRuns(Duration.ZERO);
    }

    /** The server closes while the upstream has the request but has not answered yet: the call ends too. */
    @Test
    void closingTheServerEndsAPassThroughCallStillWaitingForItsUpstream() throws Exception {
        closeWhileAPassThroughStreamRuns(Duration.ofSeconds(2));
    }

    private void closeWhileAPassThroughStreamRuns(Duration headersDelay) throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.enqueue(stalled(
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
                        release,
                        "")
                .newBuilder()
                .headersDelay(headersDelay.toMillis(), TimeUnit.MILLISECONDS)
                .build());
        serveUpstream();
        java.util.concurrent.ExecutorService client = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Reply> reply = client.submit(() -> post(
                    "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,\"user\":\"u\"}"));
            assertThat(server.takeRequest(10, TimeUnit.SECONDS))
                    .as("the call went upstream")
                    .isNotNull();
            long start = System.nanoTime();
            ours.close();
            assertThat(System.nanoTime() - start)
                    .as("close does not wait for the stalled upstream")
                    .isLessThan(TimeUnit.SECONDS.toNanos(30));
            try {
                Reply r = reply.get(30, TimeUnit.SECONDS);
                assertThat(r.body()).doesNotContain("[DONE]"); // ended early, never as a normal end
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IOException.class); // or the connection was cut
            }
        } finally {
            release.countDown();
            client.shutdownNow();
        }
    }
}
