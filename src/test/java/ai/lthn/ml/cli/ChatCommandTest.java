package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** ml chat with piped standard input against a streaming loopback server. */
class ChatCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Streams "seen N messages" in two chunks, N being the conversation length it received. */
    private static MockWebServer upstream() throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    JsonNode req = JSON.readTree(request.getBody().utf8());
                    int n = req.path("messages").size();
                    String last =
                            req.path("messages").get(n - 1).path("content").asText();
                    if (last.equals("fail"))
                        return new MockResponse.Builder()
                                .code(400)
                                .body("{\"error\":{\"message\":\"nope\"}}")
                                .build();
                    String body = "data: {\"choices\":[{\"delta\":{\"content\":\"seen \"}}]}\n\n"
                            + "data: {\"choices\":[{\"delta\":{\"content\":\"" + n
                            + " messages\"},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: [DONE]\n\n";
                    return new MockResponse.Builder()
                            .setHeader("Content-Type", "text/event-stream")
                            .body(body)
                            .build();
                } catch (Exception e) {
                    return new MockResponse.Builder().code(500).build();
                }
            }
        });
        server.start();
        return server;
    }

    @Test
    void pipedConversationWithResetAndExit() throws Exception {
        try (MockWebServer up = upstream()) {
            String input = "hello\nsecond\nfail\n/reset\nafter reset\n/exit\nnever sent\n";
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.run(
                    new String[] {"chat", "--api-url", up.url("/").toString(), "--model", "m", "--system", "be brief"},
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    new PrintWriter(out, true),
                    new PrintWriter(err, true));
            assertThat(status).as(err.toString()).isZero();
            assertThat(out.toString().lines().toList())
                    .containsExactly(
                            "seen 2 messages", // system + hello
                            "seen 4 messages", // system, hello, reply, second
                            "",
                            "(conversation reset)",
                            "seen 2 messages");
            assertThat(err.toString()).contains("ml: unexpected status 400: nope");
            assertThat(up.getRequestCount()).isEqualTo(4);
        }
    }

    @Test
    void needsAModelSource() {
        CliRun r = CliRun.of("chat");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("give one of --api-url or --model-path");
    }
}
