package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ml serve --model-path} over a native model, end to end: the CLI loads the deterministic
 * C test engine through the engine registry ({@code -Dlthn.native.engine=lthn_test}), the JNI
 * shim streams its tokens, and the server sends them as SSE.
 */
class NativeServeTest {
    @TempDir
    Path dir;

    @Test
    void servesANativeModelThroughTheRegistry() throws Exception {
        if (NativeServeTest.class.getResource(
                        "/native/" + ai.lthn.ml.backend.nativeengine.NativeLibrary.platform() + "/liblthn_test.so")
                == null) Assumptions.abort("native test engine not built: install the Debian package gcc");
        Path model = Files.writeString(dir.resolve("model.spec"), "tokens=5\n");
        Process serve = new ProcessBuilder(ChildJvm.command(
                        List.of("-Dlthn.native.engine=lthn_test"),
                        Main.class,
                        "serve",
                        "--bind",
                        "127.0.0.1:0",
                        "--model-path",
                        model.toString(),
                        "--model",
                        "native-m"))
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("Serving on "))
                seen.append(line).append('\n');
            assertThat(line).as("the server announced its URL:\n" + seen).isNotNull();
            String url = line.substring("Serving on ".length()).strip();
            // the model loads while the server answers 503; the CLI says when it is ready
            while ((line = out.readLine()) != null && !line.startsWith("Model loaded: "))
                seen.append(line).append('\n');
            assertThat(line).as("the model loaded:\n" + seen).isNotNull();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            // max_tokens reaches the native engine (which would otherwise stop at the server's cap)
            String body = "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hello native\"}]";
            HttpResponse<String> whole = ServeCommandTest.chat(http, url, body + "}");
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body().length()).isLessThan(2000);
            assertThat(whole.body()).contains("\"completion_tokens\":5").contains("\"model\":\"native-m\"");
            HttpResponse<String> streamed = ServeCommandTest.chat(http, url, body + ",\"stream\":true}");
            assertThat(streamed.body().split("\"content\":").length - 1).isGreaterThanOrEqualTo(5);
            assertThat(streamed.body()).contains("data: [DONE]");
            // the same prompt gives the same text: the test engine is deterministic
            String text = whole.body().replaceAll("(?s).*\"content\":\"(.*?)\".*", "$1");
            HttpResponse<String> again = ServeCommandTest.chat(http, url, body + "}");
            assertThat(again.body()).contains("\"content\":\"" + text + "\"");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
