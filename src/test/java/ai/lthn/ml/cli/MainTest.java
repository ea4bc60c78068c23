package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void versionPrintsTheBuildVersion() {
        CliRun r = CliRun.of("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("ml (lthn-ml) ").doesNotContain("${").doesNotContain("unknown");
    }

    @Test
    void helpListsUsage() {
        CliRun r = CliRun.of("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: ml").contains("Commands:");
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun r = CliRun.of("frobnicate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
    }
}
