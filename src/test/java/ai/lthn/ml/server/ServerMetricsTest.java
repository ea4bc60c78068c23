package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.testing.ScriptedTextModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /metrics over a real server: what a Prometheus scrape sees after real requests. */
class ServerMetricsTest {
    private OpenAiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private record Reply(int status, String body) {}

    private Reply call(String method, String path, String body) throws IOException {
        HttpCall.Response r = HttpCall.send(server.url() + path, method, body);
        return new Reply(r.status(), r.body());
    }

    @Test
    void aScrapeShowsRequestsTokensLatenciesAndErrors() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ScriptedTextModel model = ScriptedTextModel.builder()
                .script(c -> switch (calls.getAndIncrement()) {
                    case 0 -> ScriptedTextModel.Script.of("a", "b", "c");
                    case 1 -> ScriptedTextModel.Script.of("x", "y");
                    default ->
                        ScriptedTextModel.Script.of("p", "q")
                                .failingAfter(1, new StreamFailedException("upstream broke", "p", null));
                })
                .build();
        server = OpenAiServer.builder(model)
                .port(0)
                .metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .build()
                .start();
        String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertThat(call("POST", "/v1/chat/completions", chat + "}").status()).isEqualTo(200);
        assertThat(call("POST", "/v1/chat/completions", chat + ",\"stream\":true}")
                        .body())
                .contains("[DONE]");
        call("POST", "/v1/chat/completions", chat + "}"); // the model fails
        assertThat(call("GET", "/no/such/../path%20" + "x".repeat(50), null).status())
                .isEqualTo(404);

        Reply scrape = call("GET", "/metrics", null);
        assertThat(scrape.status()).isEqualTo(200);
        String m = scrape.body();
        assertThat(m)
                .contains("lthn_ml_http_requests_seconds_count{route=\"/v1/chat/completions\",status=\"200\"} 2")
                .contains("lthn_ml_http_requests_seconds_count{route=\"other\",status=\"404\"} 1")
                .doesNotContain("xxxxxxxxxx") // a path never becomes a label
                .contains("lthn_ml_tokens_total{kind=\"completion\"} 5")
                .contains("lthn_ml_time_to_first_token_seconds_count 3")
                .contains("lthn_ml_inter_token_latency_seconds_count 2")
                .contains("lthn_ml_upstream_errors_total{code=")
                .contains("lthn_ml_streams_in_flight 0")
                .contains("lthn_ml_queue_depth 0");
    }

    @Test
    void withoutARegistryThereIsNoMetricsEndpoint() throws Exception {
        server = OpenAiServer.builder(ScriptedTextModel.of("x")).port(0).build().start();
        assertThat(call("GET", "/metrics", null).status()).isEqualTo(404);
    }
}
