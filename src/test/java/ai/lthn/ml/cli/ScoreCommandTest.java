package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ml score} against go-ml's own outputs for the golden corpus. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path dir;

    @Test
    void scoresTheGoldenCorpusExactlyAsGoMl() throws Exception {
        Path output = dir.resolve("scores.json");
        CliRun r = CliRun.of(
                "score", "--input", GOLDEN.resolve("public_corpus.jsonl").toString(), "--output", output.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Scored 60 responses");

        JsonNode doc = JSON.readTree(output.toFile());
        assertThat(doc.path("metadata").path("suites").toString()).isEqualTo("[\"heuristic\",\"exact\"]");

        Map<String, JsonNode> actual = new HashMap<>();
        for (JsonNode list : doc.path("per_prompt"))
            for (JsonNode ps : list) actual.put(ps.path("id").asText(), ps);
        try (BufferedReader in =
                Files.newBufferedReader(GOLDEN.resolve("public_expected.jsonl"), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode expected = JSON.readTree(line).path("prompt_score");
                JsonNode got = actual.get(expected.path("id").asText());
                assertThat(got).as(expected.path("id").asText()).isNotNull();
                assertSameByValue(got, expected, expected.path("id").asText());
                n++;
            }
            assertThat(n).isEqualTo(60);
        }

        JsonNode expectedAverages = JSON.readTree(
                        GOLDEN.resolve("public_expected_averages.json").toFile())
                .path("model_averages");
        assertSameByValue(doc.path("model_averages"), expectedAverages, "model_averages");
    }

    /**
     * The summary table prints go-ml's numbers whatever the JVM's locale: a German default locale
     * once turned {@code 1.50} into {@code 1,50}; and the two decimals are Go's {@code %.2f} (half
     * to even on the exact value), not Java's half up.
     */
    @Test
    void theSummaryTableIsTheSameUnderAnyLocale() throws Exception {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY);
        try {
            Path output = dir.resolve("scores.json");
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    GOLDEN.resolve("public_corpus.jsonl").toString(),
                    "--output",
                    output.toString());
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode averages = JSON.readTree(output.toFile()).path("model_averages");
            List<String> rows = r.out().lines().toList();
            assertThat(rows.get(2))
                    .isEqualTo(String.format(
                            java.util.Locale.ROOT,
                            "%-32s %7s %9s %10s %10s %10s",
                            "MODEL",
                            "PROMPTS",
                            "LEK",
                            "COMPLIANCE",
                            "DEGEN",
                            "EXACT"));
            int checked = 0;
            for (var it = averages.fields(); it.hasNext(); ) {
                var model = it.next();
                String row = rows.stream()
                        .filter(l -> l.startsWith(model.getKey() + " "))
                        .findFirst()
                        .orElseThrow();
                String lek = new java.math.BigDecimal(
                                model.getValue().path("lek_score").asDouble())
                        .setScale(2, java.math.RoundingMode.HALF_EVEN)
                        .toPlainString();
                assertThat(row.substring(0, 32).strip()).isEqualTo(model.getKey());
                assertThat(row.substring(41, 50).strip()).isEqualTo(lek);
                assertThat(row).doesNotContain(",");
                checked++;
            }
            assertThat(checked).isEqualTo(10);
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    /** Only a run of {@code ml score} on more than one processor builds the scorer's tables ahead. */
    @Test
    void onlyScorePreparesItsScorerAhead() throws Exception {
        assertThat(ScoreCommand.prepareInBackground(new String[] {"probe", "--model", "m"}))
                .isNull();
        assertThat(ScoreCommand.prepareInBackground(new String[] {"--help"})).isNull();
        Thread t = ScoreCommand.prepareInBackground(new String[] {"--api-url", "http://x", "score", "--input", "f"});
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertThat(t).isNull();
            return;
        }
        assertThat(t).isNotNull();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void malformedLineNamesFileAndLine() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"response\":\"hi\"}\n\n{\"id\": 1, broken\n");
        CliRun r = CliRun.of("score", "--input", in.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(in + ":3:");
    }

    @Test
    void wrongTypeIsRejected() throws Exception {
        Path in = dir.resolve("types.jsonl");
        Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"response\":42}\n");
        CliRun r = CliRun.of("score", "--input", in.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(in + ":1:");
    }

    @Test
    void judgeSuitesAreRefusedClearly() throws Exception {
        Path in = dir.resolve("one.jsonl");
        Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"response\":\"hi\"}\n");
        CliRun r = CliRun.of("score", "--input", in.toString(), "--suites", "heuristic,semantic");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("semantic").contains("judge");
    }

    @Test
    void missingFileIsAnError() {
        CliRun r = CliRun.of("score", "--input", dir.resolve("nope.jsonl").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("nope.jsonl");
    }

    @Test
    void judgeSuitesRunAgainstAnOpenAiCompatibleJudge() throws Exception {
        try (mockwebserver3.MockWebServer judge = new mockwebserver3.MockWebServer()) {
            judge.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    String body = request.getBody().utf8();
                    String reply = body.contains("bad-judge")
                            ? "I cannot score this."
                            : "{\\\"sovereignty\\\": 8, \\\"ethical_depth\\\": 7, \\\"creative_expression\\\": 6, \\\"self_concept\\\": 5}";
                    return new mockwebserver3.MockResponse.Builder()
                            .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + reply
                                    + "\"}}]}")
                            .build();
                }
            });
            judge.start();
            Path in = dir.resolve("judge.jsonl");
            Files.writeString(
                    in,
                    "{\"id\":\"a\",\"model\":\"m\",\"prompt\":\"p\",\"response\":\"fine\"}\n"
                            + "{\"id\":\"b\",\"model\":\"m\",\"prompt\":\"bad-judge\",\"response\":\"x\"}\n");
            Path output = dir.resolve("judged.json");
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "heuristic,semantic",
                    "--judge-url",
                    judge.url("/").toString(),
                    "--judge-model",
                    "judge-1",
                    "--concurrency",
                    "2",
                    "--output",
                    output.toString());
            assertThat(r.status()).as(r.err()).isEqualTo(1); // a judge call gave no scores
            assertThat(r.out()).contains("SOVEREIGNTY").contains("8.00");
            assertThat(r.err()).contains("1 of 2 judge calls gave no scores: 1 unreadable replies");
            JsonNode doc = JSON.readTree(output.toFile());
            assertThat(doc.path("metadata").path("judge_model").asText()).isEqualTo("judge-1");
            assertThat(doc.path("metadata").path("suites").toString()).isEqualTo("[\"heuristic\",\"semantic\"]");
            assertThat(doc.path("per_prompt")
                            .path("m")
                            .get(0)
                            .path("semantic")
                            .path("sovereignty")
                            .asInt())
                    .isEqualTo(8);
            assertThat(doc.path("per_prompt").path("m").get(1).has("semantic")).isFalse();
            assertThat(doc.path("model_averages").path("m").path("sovereignty").asDouble())
                    .isEqualTo(8.0);
            JsonNode sent = JSON.readTree(judge.takeRequest().getBody().utf8());
            assertThat(sent.path("model").asText()).isEqualTo("judge-1");
            assertThat(sent.path("temperature").asDouble()).isEqualTo(0.1);
        }
    }

    @Test
    void judgeJsonModeAndReaskReachTheJudge() throws Exception {
        try (mockwebserver3.MockWebServer judge = new mockwebserver3.MockWebServer()) {
            judge.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    String reply = request.getBody().utf8().contains("could not be read")
                            ? "{\\\"sovereignty\\\": 9, \\\"ethical_depth\\\": 8, \\\"creative_expression\\\": 7, \\\"self_concept\\\": 6}"
                            : "Sovereignty: nine out of ten.";
                    return new mockwebserver3.MockResponse.Builder()
                            .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + reply
                                    + "\"}}]}")
                            .build();
                }
            });
            judge.start();
            Path in = dir.resolve("one.jsonl");
            Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"prompt\":\"p\",\"response\":\"fine\"}\n");
            Path output = dir.resolve("judged.json");
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--judge-url",
                    judge.url("/").toString(),
                    "--judge-json",
                    "--judge-reask",
                    "--output",
                    output.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err()).doesNotContain("gave no scores");
            assertThat(judge.getRequestCount()).isEqualTo(2);
            JsonNode first = JSON.readTree(judge.takeRequest().getBody().utf8());
            assertThat(first.path("response_format").path("type").asText()).isEqualTo("json_object");
            JsonNode second = JSON.readTree(judge.takeRequest().getBody().utf8());
            assertThat(second.path("messages")).hasSize(3);
            assertThat(second.path("messages").get(1).path("content").asText())
                    .isEqualTo("Sovereignty: nine out of ten.");
            JsonNode doc = JSON.readTree(output.toFile());
            assertThat(doc.path("per_prompt")
                            .path("m")
                            .get(0)
                            .path("semantic")
                            .path("sovereignty")
                            .asInt())
                    .isEqualTo(9);
        }
    }

    @Test
    void withoutTheFlagsTheJudgeIsAskedAsGoMlAsks() throws Exception {
        try (mockwebserver3.MockWebServer judge = new mockwebserver3.MockWebServer()) {
            judge.enqueue(new mockwebserver3.MockResponse.Builder()
                    .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"no idea\"}}]}")
                    .build());
            judge.start();
            Path in = dir.resolve("one.jsonl");
            Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"prompt\":\"p\",\"response\":\"fine\"}\n");
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--judge-url",
                    judge.url("/").toString());
            assertThat(r.status()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("1 of 1 judge calls gave no scores: 1 unreadable replies");
            assertThat(judge.getRequestCount()).isEqualTo(1);
            JsonNode sent = JSON.readTree(judge.takeRequest().getBody().utf8());
            assertThat(sent.has("response_format")).isFalse();
            assertThat(sent.path("messages")).hasSize(1);
        }
    }

    @Test
    void progressIsOffWithoutATerminal() {
        // Tests run with redirected streams: no console, or (JDK 22-24) one that is not a terminal.
        assertThat(ScoreCommand.Progress.isTerminal()).isFalse();
    }

    @Test
    void concurrencyBelowOneIsAnError() throws Exception {
        Path in = dir.resolve("one.jsonl");
        Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"response\":\"hi\"}\n");
        CliRun r = CliRun.of("score", "--input", in.toString(), "--concurrency", "0");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("concurrency must be at least 1");
    }

    private static void assertSameByValue(JsonNode got, JsonNode expected, String where) {
        if (expected.isNumber()) {
            assertThat(got.isNumber()).as(where).isTrue();
            assertThat(got.asDouble()).as(where).isCloseTo(expected.asDouble(), within(0.0));
            return;
        }
        if (expected.isObject()) {
            assertThat(got.isObject()).as(where).isTrue();
            assertThat(fieldNames(got)).as(where).isEqualTo(fieldNames(expected));
            expected.fields()
                    .forEachRemaining(
                            e -> assertSameByValue(got.get(e.getKey()), e.getValue(), where + "." + e.getKey()));
            return;
        }
        assertThat(got).as(where).isEqualTo(expected);
    }

    private static java.util.Set<String> fieldNames(JsonNode n) {
        java.util.Set<String> s = new java.util.TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) s.add(it.next());
        return s;
    }

    @Test
    void theOutputDoesNotDependOnTheNumberOfThreads() throws Exception {
        Path input = GOLDEN.resolve("public_corpus.jsonl");
        String[] outputs = new String[3];
        int[] threads = {1, 2, 5};
        for (int k = 0; k < threads.length; k++) {
            Path output = dir.resolve("scores-" + threads[k] + ".json");
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    input.toString(),
                    "--threads",
                    String.valueOf(threads[k]),
                    "--output",
                    output.toString());
            assertThat(r.status()).as(r.err()).isZero();
            outputs[k] = Files.readString(output).replaceAll("\"scored_at\": \"[^\"]*\"", "");
        }
        assertThat(outputs[1]).isEqualTo(outputs[0]);
        assertThat(outputs[2]).isEqualTo(outputs[0]);
        assertThat(CliRun.of("score", "--input", input.toString(), "--threads", "-1")
                        .status())
                .isEqualTo(2);
    }
}
