package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MockServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** go-ml's ollama.go behaviour on a loopback MockWebServer. */
class OllamaClientTest extends MockServerTest {

    @TempDir
    Path dir;

    private OllamaClient client() {
        return OllamaClient.create(server.url("/").toString());
    }

    private static String sha(byte[] data) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private RecordedRequest take() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    private static MockResponse code(int c) {
        return new MockResponse.Builder().code(c).build();
    }

    @Test
    void baseModelMaps() {
        assertThat(OllamaClient.BASE_MODELS)
                .containsEntry("gemma-3-1b", "gemma3:1b")
                .hasSize(4);
        assertThat(OllamaClient.HF_BASE_MODELS)
                .containsEntry("gemma-3-27b", "google/gemma-3-27b-it")
                .hasSize(4);
    }

    @Test
    void uploadsAMissingBlobByDigest() throws Exception {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        Path file = Files.write(dir.resolve("adapter_model.safetensors"), data);
        server.enqueue(code(404));
        server.enqueue(code(201));
        String digest = client().uploadBlob(file);
        assertThat(digest).isEqualTo(sha(data));
        RecordedRequest head = take();
        assertThat(head.getMethod()).isEqualTo("HEAD");
        assertThat(head.getUrl().encodedPath()).isEqualTo("/api/blobs/" + digest);
        RecordedRequest post = take();
        assertThat(post.getMethod()).isEqualTo("POST");
        assertThat(post.getHeaders().get("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(post.getBody().toByteArray()).isEqualTo(data);
    }

    @Test
    void aBlobTheServerHasIsNotUploaded() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{}");
        server.enqueue(code(200));
        assertThat(client().uploadBlob(file)).startsWith("sha256:");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void uploadFailureCarriesStatusAndBody() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{}");
        server.enqueue(code(404));
        server.enqueue(new MockResponse.Builder().code(500).body("disk full").build());
        assertThatThrownBy(() -> client().uploadBlob(file))
                .isInstanceOf(HttpStatusException.class)
                .hasMessage("blob upload HTTP 500: disk full");
        assertThatThrownBy(() -> client().uploadBlob(dir.resolve("absent")))
                .isInstanceOf(MlException.class)
                .hasMessageStartingWith("read ");
    }

    private Path peft() throws Exception {
        Path peft = Files.createDirectory(dir.resolve("peft"));
        Files.writeString(peft.resolve("adapter_model.safetensors"), "weights");
        Files.writeString(peft.resolve("adapter_config.json"), "{\"r\":8}");
        return peft;
    }

    @Test
    void createsFromBaseAndAdapterFollowingProgress() throws Exception {
        Path peft = peft();
        server.enqueue(code(404));
        server.enqueue(code(201));
        server.enqueue(code(404));
        server.enqueue(code(201));
        server.enqueue(new MockResponse.Builder()
                .body("{\"status\":\"parsing modelfile\"}\n{\"status\":\"creating adapter layer\"}\n"
                        + "{\"status\":\"success\"}\n")
                .build());
        List<String> progress = new ArrayList<>();
        client().createModel("lem-tmp", "gemma3:1b", peft, progress::add);
        assertThat(progress).containsExactly("parsing modelfile", "creating adapter layer", "success");
        for (int i = 0; i < 4; i++) take();
        RecordedRequest create = take();
        assertThat(create.getUrl().encodedPath()).isEqualTo("/api/create");
        assertThat(create.getBody().utf8())
                .isEqualTo("{\"adapters\":{\"adapter_config.json\":\"" + sha("{\"r\":8}".getBytes())
                        + "\",\"adapter_model.safetensors\":\"" + sha("weights".getBytes())
                        + "\"},\"from\":\"gemma3:1b\",\"model\":\"lem-tmp\"}");
    }

    @Test
    void createReportsTheStreamedError() throws Exception {
        Path peft = peft();
        for (int i = 0; i < 2; i++) server.enqueue(code(200));
        server.enqueue(new MockResponse.Builder()
                .body("{\"status\":\"parsing\"}\n{\"error\":\"unsupported adapter\"}\n")
                .build());
        assertThatThrownBy(() -> client().createModel("m", "gemma3:1b", peft))
                .hasMessage("ollama create: unsupported adapter");
    }

    @Test
    void createWithoutSuccessOnABadStatusFails() throws Exception {
        Path peft = peft();
        for (int i = 0; i < 2; i++) server.enqueue(code(200));
        server.enqueue(new MockResponse.Builder().code(500).body("").build());
        assertThatThrownBy(() -> client().createModel("m", "gemma3:1b", peft)).hasMessage("ollama create: HTTP 500");
    }

    @Test
    void createWrapsUploadFailures() throws Exception {
        Path peft = peft();
        server.enqueue(code(404));
        server.enqueue(new MockResponse.Builder().code(413).body("too big").build());
        assertThatThrownBy(() -> client().createModel("m", "gemma3:1b", peft))
                .hasMessage("upload adapter safetensors: blob upload HTTP 413: too big");
    }

    @Test
    void deleteSendsTheModelName() throws Exception {
        server.enqueue(code(200));
        client().deleteModel("lem-tmp");
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("DELETE");
        assertThat(r.getBody().utf8()).isEqualTo("{\"model\":\"lem-tmp\"}");
        server.enqueue(
                new MockResponse.Builder().code(404).body("model not found").build());
        assertThatThrownBy(() -> client().deleteModel("x")).hasMessage("ollama delete 404: model not found");
    }
}
