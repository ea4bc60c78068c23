package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MockServerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The wire side of InfluxClient on a loopback MockWebServer: request shape, retries, errors. */
class InfluxClientTest extends MockServerTest {
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    private InfluxClient.Builder client(String db) {
        return InfluxClient.builder(server.url("/").toString(), db).sleeper(waits::add);
    }

    private static Point point(long ts) {
        return Point.builder("probe_score")
                .tag("probe_id", "math_01")
                .field("passed", 1)
                .timestampNanos(ts)
                .build();
    }

    @Test
    void writesLineProtocolToTheV1Endpoint() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        client("lem training&x").token("t0k").build().write(List.of(point(1), point(2)));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/write");
        assertThat(r.getUrl().queryParameter("db")).isEqualTo("lem training&x"); // encoded, not injected
        assertThat(r.getUrl().queryParameter("precision")).isEqualTo("ns");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Token t0k");
        assertThat(r.getBody().utf8())
                .isEqualTo("probe_score,probe_id=math_01 passed=1i 1\nprobe_score,probe_id=math_01 passed=1i 2\n");
    }

    @Test
    void serverErrorsAreRetriedButABadWriteIsNot() {
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        client("db").build().write(List.of(point(1)));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(waits).hasSize(1);

        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":\"partial write: field type conflict dropped=1\"}")
                .build());
        assertThatThrownBy(() -> client("db").build().write(List.of(point(1))))
                .isInstanceOfSatisfying(
                        HttpStatusException.class,
                        e -> assertThat(e.isRetryable()).isFalse())
                .hasMessage("influx write to db failed 400: partial write: field type conflict dropped=1");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void queryRowsCarryTagsAndColumns() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .body("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"capability_score\","
                        + "\"tags\":{\"label\":\"G1\",\"run_id\":\"r1\"},\"columns\":[\"time\",\"last\"],"
                        + "\"values\":[[1739577600000000000,87.5]]}]}]}")
                .build());
        List<Map<String, Object>> rows =
                client("db").build().query("SELECT last(accuracy) FROM capability_score GROUP BY run_id, label");
        assertThat(rows)
                .containsExactly(Map.of("label", "G1", "run_id", "r1", "time", 1739577600000000000L, "last", 87.5));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().queryParameter("epoch")).isEqualTo("ns");
        assertThat(r.getBody().utf8()).contains("db=db").contains("q=SELECT");
    }

    @Test
    void aStatementErrorIsAnException() {
        server.enqueue(new MockResponse.Builder()
                .body("{\"results\":[{\"statement_id\":0,\"error\":\"database not found: nope\"}]}")
                .build());
        assertThatThrownBy(() -> client("nope").build().query("SELECT * FROM m"))
                .isInstanceOf(MlException.class)
                .hasMessageContaining("database not found: nope");
    }

    @Test
    void noDefaultsAndNoTokenInClearTextOffThisMachine() {
        assertThatThrownBy(() -> InfluxClient.builder("not a url", "db")).hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> InfluxClient.builder("http://127.0.0.1:8086", ""))
                .hasMessageContaining("database");
        assertThatThrownBy(() -> InfluxClient.builder("http://influx.example.com:8086", "db")
                        .token("secret")
                        .build())
                .hasMessageContaining("refusing to send an InfluxDB token over plain http");
        InfluxClient.builder("https://influx.example.com", "db").token("secret").build();
        InfluxClient.builder("http://127.0.0.1:8086", "db").token("secret").build();
    }

    @Test
    void pingIsOneTry() {
        server.enqueue(new MockResponse.Builder().code(204).build());
        assertThat(client("db").build().ping()).isTrue();
        server.enqueue(new MockResponse.Builder().code(500).build());
        assertThat(client("db").build().ping()).isFalse();
    }
}
