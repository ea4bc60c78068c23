package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AgentCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void missingSettingsAreAUsageErrorNamingFlagsAndNoPrivateDefaultsApply() {
        // the environment of the build has none of M3_HOST etc. set; if it had, the names would still be listed
        int code = run("agent", "--one-shot", "--m3-host", "h", "--m3-user", "u", "--m3-adapter-base", "/b");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("agent settings missing")
                .contains("--api-url / ML_API_URL")
                .contains("--influx / ML_INFLUX_URL");
        assertThat(err.toString()).doesNotContain("m3Host (");
    }

    @Test
    void influxApiMustBeV1OrV3() {
        int code = run(
                "agent",
                "--influx-api",
                "v2",
                "--m3-host",
                "h",
                "--m3-user",
                "u",
                "--m3-adapter-base",
                "/b",
                "--api-url",
                "http://127.0.0.1:1",
                "--judge-url",
                "http://127.0.0.1:1",
                "--judge-model",
                "j",
                "--influx",
                "http://127.0.0.1:1",
                "--influx-db",
                "d",
                "--work-dir",
                "target/agent-cli-test");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--influx-api must be v1 or v3, not v2");
    }

    @Test
    void helpListsGoMlsFlagsAndTheNewOnes() {
        assertThat(run("agent", "--help")).isZero();
        assertThat(out.toString())
                .contains("--m3-host", "--m3-user", "--m3-ssh-key", "--m3-adapter-base", "--base-model", "--poll")
                .contains("--work-dir", "--filter", "--force", "--one-shot", "--dry-run", "--m3-port", "--pause")
                .contains("--known-hosts", "--influx-api");
    }
}
