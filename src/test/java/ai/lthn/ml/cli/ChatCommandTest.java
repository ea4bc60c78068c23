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
                            "Conversation cleared.",
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

    @Test
    void goMlsReplCommandsAndTheCapturedConversation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (MockWebServer up = upstream()) {
            java.nio.file.Path capture = dir.resolve("chat.jsonl");
            String input =
                    "/help\n/undo\nhello\n/undo\n/system be <terse>\nagain\n/save\n/bogus\n/clear\nthird\n/quit\nnever\n";
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.run(
                    new String[] {"chat", "--api-url", up.url("/").toString(), "--output", capture.toString()},
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    new PrintWriter(out, true),
                    new PrintWriter(err, true));
            assertThat(status).as(err.toString()).isZero();
            assertThat(out.toString().lines().toList())
                    .containsExactly(
                            "Commands:",
                            "  /quit, /exit    End session and save",
                            "  /save           Save conversation so far",
                            "  /clear          Clear conversation history",
                            "  /system <text>  Set system prompt",
                            "  /undo           Remove last exchange",
                            "  /help           Show this help",
                            "Nothing to undo.",
                            "seen 1 messages",
                            "Last exchange removed.",
                            "System prompt set (10 chars)",
                            "seen 2 messages", // the system prompt and "again"
                            "Saved conversation (3 messages)",
                            "Unknown command: /bogus (try /help)",
                            "Conversation cleared.",
                            "seen 2 messages"); // the system prompt survives /clear
            // both conversations, system messages left out, go-ml's line shape and escapes
            assertThat(java.nio.file.Files.readString(capture))
                    .isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"again\"},"
                            + "{\"role\":\"assistant\",\"content\":\"seen 2 messages\"}]}\n"
                            + "{\"messages\":[{\"role\":\"user\",\"content\":\"third\"},"
                            + "{\"role\":\"assistant\",\"content\":\"seen 2 messages\"}]}\n");
            JsonNode sent = JSON.readTree(up.takeRequest().getBody().utf8());
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(2048); // go-ml's defaults
            assertThat(sent.path("temperature").asDouble()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
