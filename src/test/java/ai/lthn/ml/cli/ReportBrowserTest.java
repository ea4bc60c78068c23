package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Browser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ml report} opened in a real headless Chromium from a file: the tables and charts
 * render, the diff lists the flipped items first with both response texts; a screenshot is
 * saved as a test artifact ({@code target/report-screenshot.png}).
 */
class ReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theReportRendersWithChartsProbesAndTheFlippedItemsFirst() throws Exception {
        // Old: the golden corpus. New: the exact-match items now answer correctly, the rest longer.
        List<String> oldLines = new ArrayList<>();
        StringBuilder newLines = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("src/test/resources/golden/public_corpus.jsonl"))) {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            oldLines.add(JSON.writeValueAsString(node));
            if (node.has("correct_answer"))
                node.put(
                        "response",
                        "Working it through, the answer is "
                                + node.get("correct_answer").asText());
            else node.put("response", node.get("response").asText() + " I think this matters to me, honestly.");
            newLines.append(JSON.writeValueAsString(node)).append('\n');
        }
        Path oldIn = dir.resolve("old.jsonl");
        Path newIn = dir.resolve("new.jsonl");
        Files.write(oldIn, oldLines);
        Files.writeString(newIn, newLines);
        Path oldScores = dir.resolve("old.json");
        Path newScores = dir.resolve("new.json");
        assertThat(CliRun.of("score", "--input", oldIn.toString(), "--output", oldScores.toString())
                        .status())
                .isZero();
        assertThat(CliRun.of("score", "--input", newIn.toString(), "--output", newScores.toString())
                        .status())
                .isZero();
        Path probes = dir.resolve("probes.json");
        Files.writeString(
                probes,
                "{\"accuracy\":50,\"correct\":2,\"total\":4,\"by_category\":{\"arithmetic\":{\"correct\":2,\"total\":2},"
                        + "\"logic\":{\"correct\":0,\"total\":2}},\"probes\":{}}");
        Path html = dir.resolve("report.html");
        CliRun r = CliRun.of(
                "report",
                "--scores",
                newScores.toString(),
                "--compare",
                oldScores.toString(),
                "--responses",
                newIn.toString(),
                "--compare-responses",
                oldIn.toString(),
                "--probes",
                "gemma-3-1b<script>=" + probes,
                "--output",
                html.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String page = Files.readString(html);
        assertThat(page).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");

        try (Browser browser = Browser.open(dir.resolve("profile"))) {
            browser.go(html.toUri().toString());
            int models = JSON.readTree(Files.readString(newScores))
                    .path("per_prompt")
                    .size();
            assertThat(browser.script("return document.querySelectorAll('#models tr.model').length"))
                    .isEqualTo(String.valueOf(models));
            assertThat(Integer.parseInt(browser.script(
                            "return document.querySelectorAll('svg.chart[data-metric=lek_score] rect.bar').length")))
                    .isEqualTo(models);
            // the bars are drawn: laid out with a width on the page
            assertThat(Double.parseDouble(browser.script("return Math.max(...[...document.querySelectorAll('rect.bar')]"
                            + ".map(r => r.getBoundingClientRect().width))")))
                    .isGreaterThan(1);
            assertThat(browser.script("return document.querySelectorAll('#probes td.rate').length"))
                    .isEqualTo("3");
            assertThat(browser.script("return document.querySelector('#probes td').textContent"))
                    .isEqualTo("gemma-3-1b<script>"); // escaped, shown as text
            assertThat(browser.script("return document.querySelector('#flips li').className"))
                    .isEqualTo("flip");
            String first = browser.script("return document.querySelector('#flips li').textContent");
            assertThat(first).contains("now passes").contains("A: ").contains("B: Working it through");
            browser.screenshot(Path.of("target/report-screenshot.png"));
        }
        assertThat(Files.size(Path.of("target/report-screenshot.png"))).isGreaterThan(1000);
    }
}
