package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.agent.CheckpointDiscovery.ScoredLabel;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Outbox;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentInfluxV3Test extends MockServerTest {
    @TempDir
    Path dir;

    @Test
    void scoredLabelsOnV3UseGoMlsSql() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("[{\"run_id\":\"r\",\"label\":\"G1 @01\"},{\"run_id\":\"\",\"label\":\"skip\"}]")
                .build());
        InfluxClient c = InfluxClient.builder(server.url("/").toString(), "training")
                .api(InfluxClient.Api.V3)
                .build();
        AgentInflux a = new AgentInflux(c, new BufferedInfluxWriter(c, Outbox.open(dir, 3)), s -> {});
        assertThat(a.scoredLabels()).containsExactly(new ScoredLabel("r", "G1 @01"));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/query_sql");
        assertThat(r.getBody().utf8()).contains(AgentInflux.SCORED_LABELS_SQL);
    }
}
