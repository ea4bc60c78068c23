package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishCommandTest extends MockServerTest {
    @TempDir
    Path root;

    @Test
    void exitStatusesAndTheDryRun() throws Exception {
        Path dir = Files.createDirectories(root.resolve("parquet"));
        Files.write(dir.resolve("train.parquet"), new byte[2 * 1024 * 1024]);
        String hub = server.url("/").toString();

        CliRun dry = CliRun.of("publish", "--input-dir", dir.toString(), "--dry-run", "--endpoint", hub);
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("  train.parquet -> data/train.parquet (2.0 MB)");
        assertThat(server.getRequestCount()).isZero();

        server.enqueue(new MockResponse.Builder().code(403).body("forbidden").build());
        CliRun refused = CliRun.of("publish", "--input-dir", dir.toString(), "--token", "t0k3n", "--endpoint", hub);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err())
                .startsWith("ml: upload train.parquet")
                .contains("HTTP 403")
                .doesNotContain("t0k3n");

        server.enqueue(new MockResponse.Builder().code(200).build());
        CliRun ok = CliRun.of("publish", "--input-dir", dir.toString(), "--token", "t0k3n", "--endpoint", hub);
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Published to ").doesNotContain("t0k3n");

        CliRun clear = CliRun.of(
                "publish", "--input-dir", dir.toString(), "--token", "t0k3n", "--endpoint", "http://hub.example");
        assertThat(clear.status()).isEqualTo(2);
        assertThat(clear.err()).contains("refusing to send the token over plain HTTP");
    }
}
