package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.score.internal.GoText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Scores every line of the golden corpus and compares field by field with what go-ml computed.
 * Run against another corpus with {@code -Dgolden.dir=/path} (same file names).
 */
class GoldenCorpusTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Path goldenDir() {
        String dir = System.getProperty("golden.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        try {
            return Path.of(GoldenCorpusTest.class
                            .getResource("/golden/public_corpus.jsonl")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> readLines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(MAPPER.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> corpus() {
        return readLines(goldenDir().resolve("public_corpus.jsonl"));
    }

    static List<JsonNode> expected() {
        return readLines(goldenDir().resolve("public_expected.jsonl"));
    }

    @Test
    void corpusAndExpectedLineUp() {
        List<JsonNode> corpus = corpus();
        List<JsonNode> expected = expected();
        assertThat(corpus).isNotEmpty().hasSameSizeAs(expected);
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(expected.get(i).get("id").asText())
                    .isEqualTo(corpus.get(i).get("id").asText());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLineMatchesGoMl() {
        List<JsonNode> corpus = corpus();
        List<JsonNode> expected = expected();
        return java.util.stream.IntStream.range(0, Math.min(corpus.size(), expected.size()))
                .mapToObj(i -> DynamicTest.dynamicTest(
                        corpus.get(i).get("id").asText(), () -> checkLine(corpus.get(i), expected.get(i))));
    }

    private static void checkLine(JsonNode in, JsonNode want) {
        String response = in.get("response").asText();
        SoftAssertions soft = new SoftAssertions();

        soft.assertThat(GoText.utf8Length(response))
                .as("response_bytes")
                .isEqualTo(want.get("response_bytes").asInt());

        HeuristicScores h = HeuristicScorer.score(response);
        JsonNode got = MAPPER.valueToTree(h);
        JsonNode wh = want.get("heuristic");
        wh.fieldNames()
                .forEachRemaining(f -> soft.assertThat(got.get(f).asDouble())
                        .as("heuristic." + f)
                        .isEqualTo(wh.get(f).asDouble()));
        soft.assertThat(got.size()).as("heuristic field count").isEqualTo(wh.size());

        JsonNode answer = in.get("correct_answer");
        boolean hasAnswer =
                answer != null && !answer.isNull() && !answer.asText().isEmpty();
        JsonNode we = want.get("exact");
        ExactMatch.Result exact = hasAnswer ? ExactMatch.score(response, answer.asText()) : null;
        if (we == null || we.isNull()) {
            soft.assertThat(exact).as("exact").isNull();
        } else {
            soft.assertThat(exact).as("exact").isNotNull();
            if (exact != null) {
                soft.assertThat(exact.correct())
                        .as("exact.correct")
                        .isEqualTo(we.get("correct").asBoolean());
                soft.assertThat(exact.extracted())
                        .as("exact.extracted")
                        .isEqualTo(we.get("extracted").asText());
                soft.assertThat(exact.expected())
                        .as("exact.expected")
                        .isEqualTo(we.get("expected").asText());
            }
        }

        String stripped = ThinkBlocks.strip(response);
        for (CapabilityProbe p : CapabilityProbes.all()) {
            soft.assertThat(p.check(response))
                    .as("probes." + p.id())
                    .isEqualTo(want.get("probes").get(p.id()).asBoolean());
            soft.assertThat(p.check(stripped))
                    .as("probes_stripped." + p.id())
                    .isEqualTo(want.get("probes_stripped").get(p.id()).asBoolean());
        }
        soft.assertThat(want.get("probes").size())
                .as("probe count")
                .isEqualTo(CapabilityProbes.all().size());

        soft.assertThat(JudgeJson.extract(response))
                .as("extract_json")
                .isEqualTo(want.get("extract_json").asText());

        soft.assertThat(stripped)
                .as("strip_think")
                .isEqualTo(want.get("strip_think").asText());
        byte[] raw = ThinkBlocks.stripToUtf8(response);
        soft.assertThat(raw.length)
                .as("strip_think_bytes")
                .isEqualTo(want.get("strip_think_bytes").asInt());
        if (want.has("strip_think_base64")) {
            soft.assertThat(raw)
                    .as("strip_think_base64")
                    .isEqualTo(Base64.getDecoder()
                            .decode(want.get("strip_think_base64").asText()));
        } else {
            soft.assertThat(raw)
                    .as("strip_think utf8")
                    .isEqualTo(want.get("strip_think").asText().getBytes(StandardCharsets.UTF_8));
        }

        JsonNode ps = want.get("prompt_score");
        if (ps != null && ps.has("heuristic")) {
            JsonNode ph = ps.get("heuristic");
            ph.fieldNames()
                    .forEachRemaining(f -> soft.assertThat(got.get(f).asDouble())
                            .as("prompt_score.heuristic." + f)
                            .isEqualTo(ph.get(f).asDouble()));
        }
        if (ps != null && ps.has("standard") && exact != null) {
            JsonNode st = ps.get("standard");
            soft.assertThat(exact.correct())
                    .as("standard.correct")
                    .isEqualTo(st.get("correct").asBoolean());
            soft.assertThat(exact.extracted())
                    .as("standard.extracted")
                    .isEqualTo(st.path("extracted").asText(""));
            soft.assertThat(exact.expected())
                    .as("standard.expected")
                    .isEqualTo(st.path("expected").asText(""));
        }
        soft.assertAll();
    }
}
