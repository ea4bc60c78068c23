package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.Backend;
import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import ai.lthn.ml.inference.TokenStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LlamaBackend with a real child process: the stand-in server started through the same
 * ProcessBuilder path a llama-server binary uses.
 */
class LlamaBackendTest {
    private static final String CP = System.getProperty("java.class.path");

    @TempDir
    Path dir;

    private LlamaBackend llama;

    @AfterEach
    void stop() {
        if (llama != null) llama.close();
    }

    private Path model(String switches) throws IOException {
        Path p = dir.resolve("model.gguf");
        Files.writeString(p, switches);
        return p;
    }

    private LlamaBackend.Builder standIn(Path model) {
        return LlamaBackend.builder(model)
                .command(ChildJvm.command(List.of("-Xmx64m"), StandInLlamaServer.class))
                .healthInterval(Duration.ofMillis(100));
    }

    @Test
    void goMlsCommandLine() {
        LlamaBackend b = LlamaBackend.builder(Path.of("m.gguf")).build();
        assertThat(b.command(18090))
                .containsExactly("llama-server", "-m", "m.gguf", "--port", "18090", "--host", "127.0.0.1");
        LlamaBackend withLora = LlamaBackend.builder(Path.of("m.gguf"))
                .command(List.of("/opt/llama/server"))
                .loraPath(Path.of("adapter.gguf"))
                .build();
        assertThat(withLora.command(9999)).endsWith("--lora", "adapter.gguf").startsWith("/opt/llama/server");
        assertThatThrownBy(() -> LlamaBackend.builder(Path.of("m")).command(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(b.name()).isEqualTo("llama");
        assertThat((Backend) b).isInstanceOf(Backend.class);
    }

    @Test
    void startsOnAFreePortGeneratesAndStops() throws Exception {
        llama = standIn(model("")).build();
        assertThat(llama.isAvailable()).isFalse();
        assertThatThrownBy(() -> llama.generate("x", GenOpts.defaults()))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("not available");
        llama.start();
        assertThat(llama.port()).isPositive();
        assertThat(llama.isAvailable()).isTrue();
        assertThat(llama.checkHealth()).isTrue();
        assertThat(llama.generate("hello", GenOpts.defaults())).isEqualTo("reply:hello");
        assertThat(llama.chat(
                        List.of(
                                Message.system("s"),
                                Message.user("a"),
                                Message.assistant("b"),
                                Message.user("multi-turn")),
                        GenOpts.defaults()))
                .isEqualTo("reply:multi-turn");
        assertThat(llama.lastOutput()).anyMatch(l -> l.contains("listening"));
        long pid = llama.pid();
        llama.stop();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(llama.isAvailable()).isFalse();
        llama.stop(); // a no-op
    }

    /**
     * Served by {@code OpenAiServer}, a managed llama-server is an upstream for the fields a
     * {@code TextModel} cannot carry: tools reach the server instead of a 400 for a local model.
     */
    @Test
    void theServerPassesTheRichFieldsThroughToAManagedLlamaServer() throws Exception {
        llama = standIn(model("")).build();
        LlamaTextModel m = llama.textModel();
        assertThatThrownBy(m::backend).isInstanceOf(BackendUnavailableException.class);
        llama.start();
        assertThat(m.backend().baseUrl()).contains(":" + llama.port());
        String withTools = "{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]}";
        try (ai.lthn.ml.server.OpenAiServer ours = ai.lthn.ml.server.OpenAiServer.builder(m)
                .modelId("llama-served")
                .drain(Duration.ZERO)
                .build()
                .start()) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(ours.url() + "/v1/chat/completions"))
                                    .timeout(Duration.ofSeconds(20))
                                    .header("Content-Type", "application/json")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(withTools))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("reply:weather? [tools: get_weather]");
        }
    }

    @Test
    void textModelStreamsAndItsCloseStopsTheServer() throws Exception {
        llama = standIn(model("")).loraPath(Path.of("adapter.gguf")).build();
        llama.start();
        long pid = llama.pid();
        LlamaTextModel m = llama.textModel();
        assertThat(m.modelType()).isEqualTo("llama");
        try (TokenStream s = m.generate("one two three")) {
            assertThat(s.next().text()).isEqualTo("reply:one ");
            assertThat(s.remainingText()).isEqualTo("two three (lora)");
        }
        assertThat(m.metrics().generatedTokens()).isEqualTo(4);
        m.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        m.close(); // no process: a no-op
    }

    @Test
    void slowStartIsWaitedFor() throws Exception {
        llama = standIn(model("startDelayMs=1500")).build();
        llama.start();
        assertThat(llama.generate("late", GenOpts.defaults())).isEqualTo("reply:late");
    }

    @Test
    void earlyExitReportsTheExitCodeAndLastOutput() throws Exception {
        llama = standIn(model("exitCode=3")).build();
        assertThatThrownBy(llama::start)
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("fatal: model file is corrupt");
        assertThat(llama.isAvailable()).isFalse();
    }

    @Test
    void neverHealthyTimesOutAndKillsTheProcess() throws Exception {
        llama = standIn(model("neverHealthy=true"))
                .startTimeout(Duration.ofSeconds(3))
                .build();
        assertThatThrownBy(llama::start)
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("did not become healthy within 3 s")
                .hasMessageContaining("listening");
        assertThat(llama.isAvailable()).isFalse();
        assertThatThrownBy(llama::pid).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingBinaryIsAClearError() {
        llama = LlamaBackend.builder(dir.resolve("m.gguf"))
                .command(List.of(dir.resolve("no-such-llama-server").toString()))
                .build();
        assertThatThrownBy(llama::start)
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("cannot start llama-server")
                .hasMessageContaining("no-such-llama-server");
    }

    @Test
    void aMissingModelFileFailsWithTheServersOwnWords() {
        llama = standIn(dir.resolve("absent.gguf")).build();
        assertThatThrownBy(llama::start)
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("failed to load model");
    }

    @Test
    void sigtermToTheParentJvmTakesTheServerDown() throws Exception {
        Process parent = new ProcessBuilder(ChildJvm.command(
                        List.of("-Xmx64m"), LlamaParentMain.class, model("").toString(), ChildJvm.JAVA, CP))
                .redirectErrorStream(true)
                .start();
        long serverPid;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("pid ")) {}
            assertThat(line).as("the parent printed the server pid").isNotNull();
            serverPid = Long.parseLong(line.substring(4).trim());
            assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive)).contains(true);
            parent.destroy(); // SIGTERM: runs the JVM's shutdown hooks
            assertThat(parent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            parent.destroyForcibly();
        }
        ProcessHandle server = ProcessHandle.of(serverPid).orElse(null);
        if (server != null) server.onExit().get(10, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }
}
