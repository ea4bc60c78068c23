package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.testing.ScriptedTextModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ml serve --reports DIR}: the reports, and nothing else of the disk. */
class ReportsServeTest {
    @TempDir
    Path dir;

    @Test
    void servesTheDirectorysReportsAndNothingOutsideIt() throws Exception {
        Path reports = Files.createDirectory(dir.resolve("reports"));
        Files.writeString(reports.resolve("run-1.html"), "<html><body>run one</body></html>");
        Files.writeString(dir.resolve("secret.html"), "secret");
        Files.createSymbolicLink(reports.resolve("link.html"), dir.resolve("secret.html"));
        Files.writeString(reports.resolve("notes.txt"), "not a report");
        try (OpenAiServer server = OpenAiServer.builder(ScriptedTextModel.of("ok"))
                .reports(reports)
                .build()
                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            java.util.function.Function<String, HttpResponse<String>> get = p -> {
                try {
                    return http.send(
                            HttpRequest.newBuilder(URI.create(server.url() + p))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            HttpResponse<String> list = get.apply("/reports/");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body())
                    .contains("run-1.html")
                    .doesNotContain("link.html")
                    .doesNotContain("notes.txt");
            HttpResponse<String> one = get.apply("/reports/run-1.html");
            assertThat(one.body()).contains("run one");
            assertThat(one.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("default-src 'none'");
            for (String p : new String[] {
                "/reports/link.html", "/reports/notes.txt", "/reports/..%2fsecret.html", "/reports/%2e%2e/secret.html"
            }) assertThat(get.apply(p).statusCode()).as(p).isIn(400, 404);
        }
    }
}
