package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MockServerTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class InfluxClientV3Test extends MockServerTest {
    private InfluxClient v3(String db) {
        return InfluxClient.builder(server.url("/").toString(), db)
                .api(InfluxClient.Api.V3)
                .token("t0k")
                .build();
    }

    @Test
    void writesToWriteLpWithNanosecondPrecision() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        v3("lem training&x")
                .write(List.of(
                        Point.builder("m").field("v", 1).timestampNanos(7).build()));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/write_lp");
        assertThat(r.getUrl().queryParameter("db")).isEqualTo("lem training&x");
        assertThat(r.getUrl().queryParameter("precision")).isEqualTo("nanosecond");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Token t0k");
        assertThat(r.getBody().utf8()).isEqualTo("m v=1i 7\n");
    }

    @Test
    void sqlAndInfluxQlQueriesDecodeRowArrays() throws Exception {
        String rows =
                "[{\"run_id\":\"r1\",\"label\":\"G1 @0000100\",\"n\":3},{\"run_id\":\"r2\",\"label\":\"x\",\"n\":1.5}]";
        server.enqueue(new MockResponse.Builder().code(200).body(rows).build());
        server.enqueue(new MockResponse.Builder().code(200).body("[]").build());
        InfluxClient c = v3("training");
        assertThat(c.querySql("SELECT DISTINCT run_id, label FROM capability_score"))
                .containsExactly(
                        Map.of("run_id", "r1", "label", "G1 @0000100", "n", 3L),
                        Map.of("run_id", "r2", "label", "x", "n", 1.5));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/query_sql");
        assertThat(r.getBody().utf8())
                .isEqualTo("{\"db\":\"training\",\"q\":\"SELECT DISTINCT run_id, label FROM capability_score\","
                        + "\"format\":\"json\"}");
        assertThat(c.query("SHOW MEASUREMENTS")).isEmpty();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath())
                .isEqualTo("/api/v3/query_influxql");
    }

    @Test
    void aNonArrayAnswerAndSqlOnV1AreClearErrors() {
        server.enqueue(
                new MockResponse.Builder().code(200).body("{\"error\":\"x\"}").build());
        assertThatThrownBy(() -> v3("d").querySql("SELECT 1")).hasMessageContaining("expected a JSON array");
        assertThatThrownBy(() -> InfluxClient.builder(server.url("/").toString(), "d")
                        .build()
                        .querySql("SELECT 1"))
                .isInstanceOf(IllegalStateException.class);
    }
}
