package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    static AgentConfig.Builder complete() {
        return AgentConfig.builder()
                .m3Host("trainer.example")
                .m3User("ml")
                .m3AdapterBase("/data/lem/")
                .knownHosts(Path.of("kh"))
                .influxUrl(URI.create("http://127.0.0.1:8086"))
                .influxDb("training")
                .apiUrl(URI.create("http://127.0.0.1:8090"))
                .judgeUrl(URI.create("http://127.0.0.1:11434"))
                .judgeModel("judge")
                .baseModel("gemma3:1b")
                .workDir(Path.of("work"));
    }

    @Test
    void builderNamesEveryMissingSettingWithItsFlagAndNoPrivateDefaults() {
        assertThatThrownBy(() -> AgentConfig.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m3Host (--m3-host / M3_HOST)")
                .hasMessageContaining("m3User")
                .hasMessageContaining("m3AdapterBase")
                .hasMessageContaining("influxUrl")
                .hasMessageContaining("apiUrl")
                .hasMessageContaining("judgeModel")
                .hasMessageContaining("workDir");
    }

    @Test
    void defaultsAreGoMlsTimingsAndTheBaseLosesTrailingSlashes() {
        AgentConfig c = complete().build();
        assertThat(c.m3AdapterBase()).isEqualTo("/data/lem");
        assertThat(c.pause()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.m3Port()).isEqualTo(22);
        assertThat(c.influxApi()).isEqualTo(AgentConfig.InfluxApi.V1);
        assertThat(AgentConfig.EPOCH_BASE)
                .isEqualTo(java.time.Instant.parse("2025-02-15T00:00:00Z").getEpochSecond());
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> complete().filter("a/b").build()).hasMessageContaining("filter");
        assertThatThrownBy(() -> complete().m3AdapterBase("relative").build()).hasMessageContaining("absolute");
        assertThatThrownBy(() -> complete().m3Port(0).build()).hasMessageContaining("m3Port");
        assertThatThrownBy(() -> complete().pollInterval(Duration.ZERO).build()).hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> complete().pause(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("pause");
    }
}
