package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Browser;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page in a real headless Chromium, driven through ChromeDriver's W3C WebDriver API:
 * type a message, watch the reply stream in token by token, press Stop, and see the generation
 * cancelled on the server. Needs Debian's chromium and chromium-driver (.ci/run installs them);
 * skips with a message otherwise.
 */
class ChatPageBrowserTest {
    @TempDir
    Path profile;

    @Test
    void streamsAReplyAndStopCancelsIt() throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 2000; i++) words.add("w" + i + " ");
        ScriptedTextModel model = ScriptedTextModel.builder()
                .tokens(words)
                .tokenDelay(Duration.ofMillis(20))
                .build();
        try (Browser browser = Browser.open(profile);
                OpenAiServer server = OpenAiServer.builder(model)
                        .modelId("browser-test")
                        .build()
                        .start()) {
            browser.go(server.url() + "/");
            String input = browser.find("#input");
            browser.type(input, "hello there");
            browser.click(browser.find("#send"));

            String partial = awaitText(browser, t -> t.contains("w3 "), Duration.ofSeconds(20));
            assertThat(partial).startsWith("w0 w1 w2 w3 ").doesNotContain("w1999");
            assertThat(browser.script("return document.body.dataset.state")).isEqualTo("streaming");
            assertThat(browser.script("return document.querySelector('.msg.user').textContent"))
                    .isEqualTo("hello there");

            browser.click(browser.find("#stop"));
            assertThat(model.awaitStreamsClosed(1, Duration.ofSeconds(10)))
                    .as("the server closed the model's stream")
                    .isTrue();
            browser.awaitScript("return document.body.dataset.state", "idle", Duration.ofSeconds(10));
            assertThat(browser.script("return document.querySelector('.msg.assistant').dataset.stopped"))
                    .isEqualTo("true");
            assertThat(model.calls().get(0).messages().get(0).content()).isEqualTo("hello there");

            // The conversation is kept: the next request carries the stopped reply too.
            browser.type(input, "and then?");
            browser.click(browser.find("#send"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (model.calls().size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            var second = model.calls().get(1).messages();
            assertThat(second).extracting(ai.lthn.ml.Message::role).containsExactly("user", "assistant", "user");
            assertThat(second.get(1).content()).startsWith("w0 w1 w2 w3 ");
            assertThat(second.get(2).content()).isEqualTo("and then?");
            browser.click(browser.find("#stop"));
        }
    }

    private static String awaitText(Browser browser, java.util.function.Predicate<String> ok, Duration max)
            throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            String t =
                    browser.script("const m = document.querySelector('.msg.assistant'); return m ? m.textContent : ''");
            last = t == null ? "" : t;
            if (ok.test(last)) return last;
            Thread.sleep(20);
        }
        throw new AssertionError("reply text never matched; last: " + last);
    }
}
