package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.CallEvent;
import ai.lthn.ml.GenOpts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The observer sees status, OpenAI's rate-limit headers and usage of every attempt. */
class RateLimitHeadersTest {
    @Test
    void openAiResetDurationsParse() {
        assertThat(HttpBackend.goDuration("6m0s")).isEqualTo(Duration.ofMinutes(6));
        assertThat(HttpBackend.goDuration("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpBackend.goDuration("20ms")).isEqualTo(Duration.ofMillis(20));
        assertThat(HttpBackend.goDuration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(HttpBackend.goDuration("soon")).isNull();
        assertThat(HttpBackend.goDuration("5x")).isNull();
    }

    @Test
    void everyAttemptIsObservedWithHeadersAndUsage() throws Exception {
        List<CallEvent> seen = new CopyOnWriteArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder()
                    .code(429)
                    .setHeader("Retry-After", "0")
                    .setHeader("x-ratelimit-remaining-requests", "0")
                    .setHeader("x-ratelimit-reset-requests", "2s")
                    .body("{}")
                    .build());
            server.enqueue(new MockResponse.Builder()
                    .setHeader("x-ratelimit-remaining-requests", "41")
                    .body("{\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
                            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}")
                    .build());
            server.start();
            HttpBackend b = HttpBackend.builder(server.url("/").toString(), "m")
                    .observer(seen::add)
                    .build();
            assertThat(b.generate("x", GenOpts.defaults())).isEqualTo("hi");
        }
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).status()).isEqualTo(429);
        assertThat(seen.get(0).rateLimited()).isTrue();
        assertThat(seen.get(0).retryAfter()).isEqualTo(Duration.ZERO);
        assertThat(seen.get(0).resetRequests()).isEqualTo(Duration.ofSeconds(2));
        assertThat(seen.get(1)).isEqualTo(new CallEvent(200, null, 41, null, 12, 3));
    }
}
