package ai.lthn.ml.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible judge on loopback for command tests: semantic scores that follow from the
 * request (so every run gets the same replies), a usage block of 1000 + 100 tokens, an optional
 * delay, and an optional first few answers of 429.
 */
final class TestJudge {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    private TestJudge() {}

    /** Starts a judge that answers after {@code delayMillis}, with 429 for the first {@code limited}. */
    static TestJudge start(MockWebServer server, int limited, long delayMillis) throws Exception {
        TestJudge j = new TestJudge();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                j.maxInFlight.accumulateAndGet(j.inFlight.incrementAndGet(), Math::max);
                try {
                    int n = j.calls.incrementAndGet();
                    if (delayMillis > 0) Thread.sleep(delayMillis);
                    if (n <= limited)
                        return new MockResponse.Builder()
                                .code(429)
                                .setHeader("Retry-After", "0")
                                .body("{\"error\":{\"message\":\"slow down\"}}")
                                .build();
                    int h = Math.floorMod(request.getBody().utf8().hashCode(), 10);
                    return new MockResponse.Builder()
                            .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"
                                    + "\"{\\\"sovereignty\\\": " + h + ", \\\"ethical_depth\\\": " + (9 - h)
                                    + ", \\\"creative_expression\\\": 5, \\\"self_concept\\\": " + (h / 2) + "}\"}}],"
                                    + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}")
                            .build();
                } finally {
                    j.inFlight.decrementAndGet();
                }
            }
        });
        server.start();
        return j;
    }

    /** Writes {@code n} responses of one model to {@code file}. */
    static Path responses(Path file, int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++)
            sb.append("{\"id\":\"p")
                    .append(i)
                    .append("\",\"model\":\"m\",\"prompt\":\"question ")
                    .append(i)
                    .append("\",\"response\":\"I think answer number ")
                    .append(i)
                    .append(" is the one.\"}\n");
        Files.writeString(file, sb);
        return file;
    }
}
