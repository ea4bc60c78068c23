package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.internal.HttpClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml publish's library side against a MockWebServer hub. */
class PublishTest extends MockServerTest {
    private static final String TOKEN = "hf_secret_123";

    @TempDir
    Path root;

    private Path dir;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void dataset() throws Exception {
        dir = Files.createDirectories(root.resolve("training/parquet"));
        Files.write(dir.resolve("train.parquet"), bytes(3000, 1));
        Files.write(dir.resolve("test.parquet"), bytes(1000, 2)); // no valid split
        Files.writeString(root.resolve("training/dataset_card.md"), "# LEM\n");
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    private List<String> publish(boolean dryRun, int attempts) {
        return Publish.publish(
                new Publish.Config(
                        dir, "lthn/LEM", false, TOKEN, dryRun, server.url("/").toString()),
                new PrintWriter(out, true),
                HttpClients.shared(),
                RetryPolicy.defaults().withMaxAttempts(attempts),
                d -> {}); // no real waiting between attempts
    }

    @Test
    void uploadsEachFileStreamedWithTheTokenAndPrintsGoMlsLines() throws Exception {
        for (int i = 0; i < 3; i++)
            server.enqueue(new MockResponse.Builder().code(200).build());
        assertThat(publish(false, 3)).containsExactly("data/train.parquet", "data/test.parquet", "README.md");
        List<RecordedRequest> reqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) reqs.add(server.takeRequest());
        assertThat(reqs)
                .extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath())
                .containsExactly(
                        "PUT /api/datasets/lthn/LEM/upload/main/data/train.parquet",
                        "PUT /api/datasets/lthn/LEM/upload/main/data/test.parquet",
                        "PUT /api/datasets/lthn/LEM/upload/main/README.md");
        assertThat(reqs.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(reqs.get(0).getHeaders().get("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(reqs.get(0).getBody().toByteArray()).isEqualTo(bytes(3000, 1));
        assertThat(reqs.get(2).getBody().utf8()).isEqualTo("# LEM\n");
        String base = server.url("/").toString().replaceAll("/$", "");
        assertThat(out.toString())
                .isEqualTo("Publishing to " + base + "/datasets/lthn/LEM\n"
                        + "  Uploaded train.parquet -> data/train.parquet\n"
                        + "  Uploaded test.parquet -> data/test.parquet\n"
                        + "  Uploaded dataset_card.md -> README.md\n"
                        + "\nPublished to " + base + "/datasets/lthn/LEM\n")
                .doesNotContain(TOKEN);
    }

    @Test
    void aDryRunListsSizesAndSendsNothing() {
        assertThat(publish(true, 3)).isEmpty();
        assertThat(server.getRequestCount()).isZero();
        assertThat(out.toString())
                .isEqualTo("Dry run: would publish to lthn/LEM\n"
                        + "  Visibility: private\n"
                        + "  train.parquet -> data/train.parquet (0.0 MB)\n"
                        + "  test.parquet -> data/test.parquet (0.0 MB)\n"
                        + "  dataset_card.md -> README.md (0.0 MB)\n");
    }

    @Test
    void aServerErrorIsRetriedAndAFailureHalfWayNamesWhatWasUploaded() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build()); // train
        server.enqueue(new MockResponse.Builder().code(503).body("busy").build()); // test: retried
        server.enqueue(new MockResponse.Builder().code(500).body("disk full").build());
        server.enqueue(new MockResponse.Builder().code(500).body("disk full").build());
        assertThatThrownBy(() -> publish(false, 3))
                .isInstanceOf(MlException.class)
                .hasMessageContaining("upload test.parquet -> data/test.parquet")
                .hasMessageContaining("upload failed: HTTP 500: disk full")
                .hasMessageContaining("(already uploaded: data/train.parquet)")
                .hasMessageNotContaining(TOKEN);
        assertThat(server.getRequestCount()).isEqualTo(4); // 1 + 3 attempts; the card never sent
        assertThat(out.toString()).contains("Uploaded train.parquet").doesNotContain("Published");
    }

    @Test
    void aRefusalIsNotRetried() {
        server.enqueue(new MockResponse.Builder().code(401).body("bad token").build());
        assertThatThrownBy(() -> publish(false, 3))
                .hasMessageContaining("HTTP 401: bad token")
                .hasMessageContaining("(nothing was uploaded)");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void goMlsConfigurationErrors() throws Exception {
        assertThatThrownBy(() -> Publish.publish(
                        new Publish.Config(
                                dir,
                                "lthn/LEM",
                                false,
                                "",
                                false,
                                server.url("/").toString()),
                        new PrintWriter(out)))
                .hasMessage("HuggingFace token required (--token, HF_TOKEN env, or ~/.huggingface/token)");
        Path empty = Files.createDirectories(root.resolve("empty/parquet"));
        assertThatThrownBy(() -> Publish.publish(
                        new Publish.Config(
                                empty,
                                "lthn/LEM",
                                false,
                                TOKEN,
                                false,
                                server.url("/").toString()),
                        new PrintWriter(out)))
                .hasMessage("no Parquet files found in " + empty);
        assertThatThrownBy(() -> Publish.publish(
                        new Publish.Config(dir, "lthn/LEM", false, TOKEN, false, "http://hub.example"),
                        new PrintWriter(out)))
                .hasMessageContaining("refusing to send the token over plain HTTP to hub.example");
        assertThatThrownBy(() -> new Publish.Config(dir, "../x", false, TOKEN, false, "https://h"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Publish.Config(dir, "a/b", false, TOKEN, false, "https://h").toString())
                .doesNotContain(TOKEN);
    }

    @Test
    void theTokenComesFromTheFlagThenHfTokenThenTheTokenFile() throws Exception {
        Path home = Files.createDirectories(root.resolve("home/.huggingface")).getParent();
        assertThat(Publish.token(null, Map.of(), home)).isEmpty();
        Files.writeString(home.resolve(".huggingface/token"), "  from-file\n", StandardCharsets.UTF_8);
        assertThat(Publish.token(null, Map.of(), home)).isEqualTo("from-file");
        assertThat(Publish.token(null, Map.of("HF_TOKEN", "from-env"), home)).isEqualTo("from-env");
        assertThat(Publish.token("from-flag", Map.of("HF_TOKEN", "from-env"), home))
                .isEqualTo("from-flag");
    }
}
