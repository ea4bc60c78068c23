package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scoring a file on several threads gives the one-thread file byte for byte (scores in input
 * order, averages summed in input order), and fails on the first bad line in input order.
 */
class ParallelScoringTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ScorerOutput.Metadata META = ScorerOutput.Metadata.now(
            Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC), "", "", List.of("heuristic", "exact"));

    @TempDir
    Path dir;

    private byte[] scoreToBytes(byte[] input, int threads) throws Exception {
        Engine engine =
                Engine.builder(null).scoringThreads(Math.max(1, threads)).build();
        EngineResult result;
        try (ResponseReader reader = ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl")) {
            // 0: the response-by-response path of scoreAll(Iterator), the reference
            result = threads == 0 ? engine.scoreAll((java.util.Iterator<Response>) reader) : engine.scoreAll(reader);
        }
        Path out = dir.resolve("out-" + threads + ".json");
        result.toOutput(META).write(out);
        return Files.readAllBytes(out);
    }

    /** The golden lines repeated with fresh ids, models and answers; some responses grown, some with ſ/K. */
    static byte[] generated(int lines, long seed) throws Exception {
        return generated(lines, seed, rnd -> "model-" + rnd.nextInt(7));
    }

    /** As {@link #generated(int, long)}, each line's model named by {@code model}. */
    static byte[] generated(int lines, long seed, java.util.function.Function<Random, String> model) throws Exception {
        List<String> golden = Files.readAllLines(GoldenCorpusTest.goldenDir().resolve("public_corpus.jsonl"));
        golden.removeIf(String::isBlank);
        Random rnd = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            ObjectNode n = (ObjectNode) MAPPER.readTree(golden.get(rnd.nextInt(golden.size())));
            n.put("id", n.path("id").asText() + "-" + i);
            n.put("model", model.apply(rnd));
            String text = n.path("response").asText();
            if (rnd.nextInt(5) == 0) text = (text + " ").repeat(1 + rnd.nextInt(4));
            if (rnd.nextInt(10) == 0) text = text.replace('s', '\u017F').replace('k', '\u212A');
            n.put("response", text);
            if (rnd.nextInt(4) == 0) n.put("correct_answer", String.valueOf(rnd.nextInt(50)));
            b.append(MAPPER.writeValueAsString(n)).append(rnd.nextInt(50) == 0 ? "\n\n" : "\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Scores {@code input} on the response-by-response path and on 1, 2 and 5 threads. */
    private byte[] assertSameBytesOnEveryPath(byte[] input) throws Exception {
        byte[] reference = scoreToBytes(input, 0);
        for (int threads : new int[] {1, 2, 5}) {
            assertThat(scoreToBytes(input, threads)).as("%d threads", threads).isEqualTo(reference);
        }
        return reference;
    }

    @Test
    void theGoldenCorpusScoresToTheSameBytesOnOneThreadAndOnSeveral() throws Exception {
        assertSameBytesOnEveryPath(
                Files.readAllBytes(GoldenCorpusTest.goldenDir().resolve("public_corpus.jsonl")));
    }

    @Test
    void aGeneratedFileOfThousandsOfLinesScoresToTheSameBytes() throws Exception {
        byte[] out = assertSameBytesOnEveryPath(generated(6_000, 18L));
        assertThat(new String(out, StandardCharsets.UTF_8)).contains("model-6");
    }

    @Test
    void moreModelsThanAThreadKeepsAndNamesThatDifferLateScoreToTheSameBytes() throws Exception {
        // a scoring thread looks up the last 64 names it met without a copy; past that, the shared map
        String[] near = {"gemma-3-1b", "gemma-3-1b ", "gemma-3-12b", "gémma-3-1b", "模型-1b", "gemma-3-1", ""};
        byte[] out = assertSameBytesOnEveryPath(generated(
                4_000, 21L, rnd -> rnd.nextBoolean() ? near[rnd.nextInt(near.length)] : "model-" + rnd.nextInt(150)));
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(text).contains("\"model-149\"", "\"gemma-3-1b \"", "\"模型-1b\"", "\"gémma-3-1b\"");
    }

    @Test
    void theFirstBadLineInInputOrderFailsTheRunWithItsLine() throws Exception {
        byte[] good = generated(3_000, 1L);
        String text = new String(good, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.set(1_200, "{\"id\":7}");
        lines.set(2_500, "{not json");
        byte[] bad = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        String sequential = messageOf(bad, 1);
        assertThat(sequential).startsWith("in.jsonl:1201:");
        assertThat(messageOf(bad, 3)).isEqualTo(sequential);
    }

    @Test
    void aTooLongLineAfterABadOneReportsTheBadOneFirst() throws Exception {
        String text = new String(generated(2_000, 2L), StandardCharsets.UTF_8);
        String tooLong = "{\"response\":\"" + "x".repeat(ResponseReader.MAX_LINE_BYTES) + "\"}";
        byte[] bad = (text + "[1]\n" + text + tooLong + "\n").getBytes(StandardCharsets.UTF_8);
        String sequential = messageOf(bad, 1);
        assertThat(messageOf(bad, 2)).isEqualTo(sequential).startsWith("in.jsonl:");
        byte[] onlyLong = (text + tooLong + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(messageOf(onlyLong, 2)).isEqualTo(messageOf(onlyLong, 1)).endsWith("line of 1 MiB or more");
    }

    /**
     * Files cut into stretches at every awkward place — lines longer than a stretch (so it grows),
     * a line of exactly 1 MiB, CRLF endings, blank and white-space lines, a last line without a
     * newline, a bad line — score (or fail, naming the same line) as the one-thread reader does.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void stretchBoundariesNeverChangeWhatALineIsOrWhichLineFails(long seed) throws Exception {
        Random rnd = new Random(seed);
        List<String> golden = Files.readAllLines(GoldenCorpusTest.goldenDir().resolve("public_corpus.jsonl"));
        golden.removeIf(String::isBlank);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        int pieces = 200 + rnd.nextInt(400);
        for (int i = 0; i < pieces; i++) {
            String line = switch (rnd.nextInt(40)) {
                case 0 -> ""; // blank
                case 1 -> " \t\u00a0"; // white space only (U+00A0 is Go white space too)
                case 2 ->
                    "{\"id\":\"long-" + i + "\",\"model\":\"m\",\"response\":\""
                            + "word ".repeat(100_000 + rnd.nextInt(100_000)) + "\"}"; // 0.5-1 MB
                case 3 -> seed % 3 == 0 ? "{\"id\": 1}" : golden.get(rnd.nextInt(golden.size())); // bad
                case 4 ->
                    seed % 4 == 0
                            ? "{\"response\":\"" + "x".repeat(ResponseReader.MAX_LINE_BYTES - 15) + "\"}"
                            : "{}"; // exactly 1 MiB: too long
                default -> golden.get(rnd.nextInt(golden.size()));
            };
            file.write(line.getBytes(StandardCharsets.UTF_8));
            if (i < pieces - 1 || rnd.nextBoolean())
                file.write(rnd.nextInt(6) == 0 ? "\r\n".getBytes() : "\n".getBytes());
        }
        byte[] input = file.toByteArray();
        String expected = outcome(input, 1);
        for (int threads : new int[] {2, 3}) {
            assertThat(outcome(input, threads))
                    .as("%d threads, seed %d", threads, seed)
                    .isEqualTo(expected);
        }
    }

    /** The score file's text, or the failure's message. */
    private String outcome(byte[] input, int threads) throws Exception {
        try {
            return new String(scoreToBytes(input, threads), StandardCharsets.UTF_8);
        } catch (InvalidInputException e) {
            return "failed: " + e.getMessage();
        }
    }

    private String messageOf(byte[] input, int threads) {
        Engine engine = Engine.builder(null).scoringThreads(threads).build();
        try (ResponseReader reader = ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl")) {
            assertThatThrownBy(() -> engine.scoreAll(reader)).isInstanceOf(InvalidInputException.class);
            try {
                engine.scoreAll(ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl"));
            } catch (InvalidInputException e) {
                return e.getMessage();
            }
        }
        throw new AssertionError("no failure");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anInterruptCancelsTheRunAndKeepsTheInterrupt(int threads) throws Exception {
        byte[] input = generated(2_000, 3L);
        Engine engine = Engine.builder(null).scoringThreads(threads).build();
        Thread.currentThread().interrupt();
        EngineResult result;
        try (ResponseReader reader = ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl")) {
            result = engine.scoreAll(reader);
        }
        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.summary().wasCancelled()).isTrue();
        assertThat(result.summary().prompts()).isLessThan(2_000);
    }

    @Test
    void progressIsReportedInInputOrder() throws Exception {
        byte[] input = generated(3_000, 4L);
        List<Long> seen = new ArrayList<>();
        Engine engine = Engine.builder(null)
                .scoringThreads(2)
                .progress((done, total) -> seen.add(done))
                .build();
        try (ResponseReader reader = ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl")) {
            assertThat(engine.scoreAll(reader).summary().prompts()).isEqualTo(3_000);
        }
        assertThat(seen).isSorted().last().isEqualTo(3_000L);
    }
}
