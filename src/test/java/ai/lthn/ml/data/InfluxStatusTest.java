package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.store.InfluxClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfluxStatusTest {
    private final MockWebServer server = new MockWebServer();
    private final List<String> queries = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** A v3 server answering each SQL query from {@code answers} (by the query's start), 500 otherwise. */
    private InfluxClient v3(Map<String, String> answers) throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String body = r.getBody() == null ? "" : r.getBody().utf8();
                String q;
                try {
                    q = ai.lthn.ml.internal.Json.reader()
                            .readTree(body)
                            .path("q")
                            .asText("");
                } catch (java.io.IOException e) {
                    q = "";
                }
                synchronized (queries) {
                    queries.add(r.getUrl().encodedPath() + " " + q);
                }
                for (var e : answers.entrySet())
                    if (q.startsWith(e.getKey()))
                        return new MockResponse.Builder().body(e.getValue()).build();
                return new MockResponse.Builder()
                        .code(500)
                        .body("{\"error\":\"boom\"}")
                        .build();
            }
        });
        server.start();
        return InfluxClient.builder(server.url("/").toString(), "training")
                .api(InfluxClient.Api.V3)
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    private static String print(java.util.function.Consumer<PrintWriter> f) {
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        f.accept(w);
        w.flush();
        return s.toString();
    }

    @Test
    void statusDedupesAndFormatsAsGoMl() throws Exception {
        InfluxClient c = v3(
                Map.of(
                        "SELECT model, run_id, status",
                        "[{\"model\":\"gemma-3-27b\",\"run_id\":\"r\",\"status\":\"training\",\"iteration\":250.0,"
                                + "\"total_iters\":1000,\"pct\":25.25},"
                                + "{\"model\":\"gemma-3-27b\",\"status\":\"old\",\"iteration\":1,\"total_iters\":1,\"pct\":1},"
                                + "{\"model\":\"\",\"status\":\"x\"},"
                                + "{\"model\":\"a-model\",\"status\":\"done\",\"iteration\":10,\"total_iters\":10,\"pct\":100}]",
                        "SELECT model, loss_type",
                        "[{\"model\":\"gemma-3-27b\",\"loss\":1.23456},{\"model\":\"gemma-3-27b\",\"loss\":9}]",
                        "SELECT worker, completed, target, pct FROM golden_gen_progress",
                        "[{\"worker\":\"w2\",\"completed\":5,\"target\":10,\"pct\":50},"
                                + "{\"worker\":\"w1\",\"completed\":1,\"target\":10,\"pct\":10},{\"worker\":\"w2\",\"completed\":0}]"));
        // expansion_progress answers 500: treated as no rows
        assertThat(print(w -> InfluxStatus.printStatus(c, w)))
                .isEqualTo("Training:\n"
                        + "  a-model       done          10/10  100.0%\n"
                        + "  gemma-3-27b   training   250/1000   25.2%  loss=1.235\n"
                        + "\n"
                        + "Generation:\n"
                        + "  golden               1/10   10.0%  (w1)\n"
                        + "  golden               5/10   50.0%  (w2)\n");
        assertThat(queries)
                .containsExactly(
                        "/api/v3/query_sql " + InfluxStatus.TRAINING_STATUS,
                        "/api/v3/query_sql " + InfluxStatus.TRAINING_LOSS,
                        "/api/v3/query_sql " + InfluxStatus.GOLDEN_PROGRESS,
                        "/api/v3/query_sql " + InfluxStatus.EXPANSION_PROGRESS);
    }

    @Test
    void statusWithNoDataSaysSo() {
        assertThat(print(w -> InfluxStatus.formatStatus(List.of(), List.of(), List.of(), w)))
                .isEqualTo("Training:\n  (no data)\n\nGeneration:\n  (no data)\n");
    }

    @Test
    void liveOnV3SendsGoMlsSqlAndPrintsIntegers() throws Exception {
        InfluxClient c = v3(Map.of(
                "SELECT count(DISTINCT i)", "[{\"n\":1500}]",
                "SELECT count(DISTINCT d)", "[{\"n\":12.0}]",
                "SELECT count(DISTINCT v)", "[{\"n\":4}]",
                "SELECT w, count(DISTINCT i)", "[{\"w\":\"migration\",\"n\":1000.0},{\"w\":\"m3\",\"n\":500}]"));
        assertThat(print(w -> InfluxStatus.printLive(c, w)))
                .isEqualTo("Golden Set Live Status (from InfluxDB)\n"
                        + "\u2500".repeat(45) + "\n"
                        + "  Total:     1500 / 15000 (10.0%)\n"
                        + "  Remaining: 13500\n"
                        + "  Domains:   12\n"
                        + "  Voices:    4\n"
                        + "\n"
                        + "  Workers:\n"
                        + "    migration              1000 generations (seed data)\n"
                        + "    m3                      500 generations\n");
        assertThat(queries)
                .containsExactly(
                        "/api/v3/query_sql SELECT count(DISTINCT i) AS n FROM gold_gen",
                        "/api/v3/query_sql SELECT count(DISTINCT d) AS n FROM gold_gen",
                        "/api/v3/query_sql SELECT count(DISTINCT v) AS n FROM gold_gen",
                        "/api/v3/query_sql SELECT w, count(DISTINCT i) AS n FROM gold_gen GROUP BY w ORDER BY n DESC");
    }

    @Test
    void aFailingLiveQueryIsAnErrorAsInGoMl() throws Exception {
        InfluxClient c = v3(Map.of());
        assertThatThrownBy(() -> InfluxStatus.live(c))
                .isInstanceOf(MlException.class)
                .hasMessageStartingWith("live: query total: ");
    }

    @Test
    void influxQlCardinalityQuotesTheWorker() {
        assertThat(InfluxStatus.cardinality("i", null))
                .isEqualTo("SHOW TAG VALUES EXACT CARDINALITY FROM gold_gen WITH KEY = \"i\"");
        assertThat(InfluxStatus.cardinality("i", "it's\\"))
                .isEqualTo(
                        "SHOW TAG VALUES EXACT CARDINALITY FROM gold_gen WITH KEY = \"i\" WHERE \"w\" = 'it\\'s\\\\'");
    }

    @Test
    void liveTotalsRoundLikeGo() {
        // 0.125 % of the target: Go's %.1f rounds the exact value half to even
        assertThat(print(w -> InfluxStatus.formatLive(new InfluxStatus.Live(7518, 0, 0, List.of()), w)))
                .contains("  Total:     7518 / 15000 (50.1%)\n");
    }
}
