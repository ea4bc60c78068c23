package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written score-file writer writes what the Jackson path ({@code Json.goWriter()})
 * writes, byte for byte: on the golden corpus's scores and on generated scores of every shape a
 * record can take; and it hands the stream the file in bounded pieces.
 */
class ScoreFileWriterTest {
    private static final ScorerOutput.Metadata META = ScorerOutput.Metadata.now(
            Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.ofHours(2)), "", "", List.of("heuristic"));

    @TempDir
    Path dir;

    private static byte[] jackson(ScorerOutput doc) throws Exception {
        return Json.goWriter().writeValueAsBytes(doc);
    }

    private static byte[] handWritten(ScorerOutput doc) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScoreFileWriter.write(doc, out);
        return out.toByteArray();
    }

    private static void assertSameAsJackson(ScorerOutput doc) throws Exception {
        byte[] want = jackson(doc);
        byte[] got = handWritten(doc);
        if (!java.util.Arrays.equals(got, want)) {
            // the text, for a readable failure
            assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo(new String(want, StandardCharsets.UTF_8));
            assertThat(got).isEqualTo(want);
        }
    }

    @Test
    void theGoldenCorpusScoresAreWrittenAsJacksonWritesThem() throws Exception {
        byte[] input = Files.readAllBytes(GoldenCorpusTest.goldenDir().resolve("public_corpus.jsonl"));
        EngineResult result;
        try (ResponseReader reader = ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl")) {
            result = Engine.builder(null).scoringThreads(1).build().scoreAll(reader);
        }
        ScorerOutput doc = result.toOutput(META);
        assertThat(doc.perPrompt()).isNotEmpty();
        assertSameAsJackson(doc);
        // and through the file: ScorerOutput.write is this writer
        Path file = dir.resolve("golden.json");
        doc.write(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(jackson(doc));
    }

    @Test
    void aGeneratedRunScoresToTheSameBytes() throws Exception {
        byte[] input = ParallelScoringTest.generated(3_000, 18);
        EngineResult result;
        try (ResponseReader reader = ResponseReader.of(new ByteArrayInputStream(input), "in.jsonl")) {
            result = Engine.builder(null).scoringThreads(2).build().scoreAll(reader);
        }
        assertSameAsJackson(result.toOutput(META));
    }

    /** Strings that exercise every escape: controls, HTML, U+2028/9, non-Latin-1, pairs, lone surrogates. */
    private static final String[] PIECES = {
        "a",
        "Z",
        "0",
        "-",
        " ",
        "<",
        ">",
        "&",
        "\"",
        "\\",
        "/",
        "\u0000",
        "\u0001",
        "\b",
        "\t",
        "\n",
        "\f",
        "\r",
        "\u001f",
        "\u007f",
        "\u0080",
        "é",
        "ÿ",
        "\u017f",
        "\u212a",
        "中文",
        "\u2028",
        "\u2029",
        "\ud83d\ude00",
        "\ud800",
        "\udc00",
        "\ufffd",
        "\uffff"
    };

    private static String text(Random rnd, int max) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) b.append(rnd.nextInt(3) == 0 ? PIECES[rnd.nextInt(PIECES.length)] : "p");
        return b.toString();
    }

    private static final double[] LEKS = {
        0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        -1.5,
        12,
        -12.5,
        0.1,
        1.0 / 3,
        1e-7,
        -1e-7,
        1e20,
        1e21,
        1.5e21,
        123456789.5,
        1e15,
        4503599627370496.5,
        Double.MIN_VALUE,
        1e300
    };

    private static HeuristicScores heuristic(Random rnd) {
        int[] n = new int[8];
        for (int k = 0; k < 8; k++) {
            n[k] = switch (rnd.nextInt(20)) {
                case 0 -> 200 + rnd.nextInt(100_000); // wider than a byte
                case 1 -> -rnd.nextInt(1000);
                default -> rnd.nextInt(12);
            };
        }
        double lek = rnd.nextInt(4) == 0
                ? LEKS[rnd.nextInt(LEKS.length)]
                : HeuristicScores.lek(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
        return new HeuristicScores(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], lek);
    }

    private static StandardScores standard(Random rnd) {
        return new StandardScores(
                rnd.nextInt(3) == 0 ? rnd.nextInt(11) : 0,
                rnd.nextInt(3) == 0 ? rnd.nextInt(11) : 0,
                rnd.nextInt(3) == 0 ? -rnd.nextInt(11) : 0,
                rnd.nextInt(3) == 0 ? rnd.nextInt(11) : 0,
                rnd.nextInt(3) == 0 ? rnd.nextInt(11) : 0,
                rnd.nextInt(3) == 0 ? rnd.nextInt(11) : 0,
                switch (rnd.nextInt(3)) {
                    case 0 -> null;
                    case 1 -> true;
                    default -> false;
                },
                rnd.nextBoolean() ? text(rnd, 4) : "",
                rnd.nextBoolean() ? text(rnd, 4) : "",
                rnd.nextInt(4) == 0 ? text(rnd, 6) : "");
    }

    private static PromptScore score(Random rnd, String model, boolean judged) {
        HeuristicScores h = rnd.nextInt(8) == 0 ? null : heuristic(rnd);
        StandardScores s = rnd.nextInt(3) == 0 ? standard(rnd) : null;
        if (judged && rnd.nextInt(3) == 0) {
            SemanticScores sem = rnd.nextBoolean() ? new SemanticScores(1, 2, 3, 4, text(rnd, 5)) : null;
            ContentScores con =
                    rnd.nextBoolean() || sem == null ? new ContentScores(5, 4, 3, 2, 1, 0, text(rnd, 5)) : null;
            return new PromptScore(text(rnd, 8), model, h, sem, con, s);
        }
        return new PromptScore(rnd.nextInt(5) == 0 ? text(rnd, 12) : "p" + rnd.nextInt(1_000_000), model, h, s);
    }

    /** Random models (the empty name and escapes among them), each a plain or a compact list. */
    private static ScorerOutput generated(long seed, int maxPerModel, boolean judged) {
        Random rnd = new Random(seed);
        Map<String, List<PromptScore>> perPrompt = new LinkedHashMap<>();
        int models = rnd.nextInt(5);
        for (int m = 0; m < models; m++) {
            String model = switch (m) {
                case 0 -> "";
                case 1 -> "gemma-3-1b";
                default -> text(rnd, 6);
            };
            int count = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(maxPerModel + 1);
            boolean compact = !judged && rnd.nextBoolean();
            List<PromptScore> list = compact ? new CompactScores(model) : new ArrayList<>();
            for (int i = 0; i < count; i++) {
                PromptScore p = score(rnd, model, judged);
                if (list instanceof CompactScores c) c.append(p);
                else list.add(p);
            }
            perPrompt.put(model, list);
        }
        ScorerOutput.Metadata meta = new ScorerOutput.Metadata(
                text(rnd, 5), text(rnd, 5), "2026-11-29T02:00:00+02:00", "", rnd.nextBoolean() ? null : List.of());
        return ScorerOutput.of(meta, perPrompt);
    }

    @Test
    void generatedScoresOfEveryShapeAreWrittenAsJacksonWritesThem() throws Exception {
        for (long seed = 0; seed < 300; seed++) assertSameAsJackson(generated(seed, 40, seed % 2 == 0));
    }

    /** Records what the writer hands the stream: every piece bounded, together the whole file. */
    private static final class Pieces extends java.io.OutputStream {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        int largest;

        @Override
        public void write(int x) {
            all.write(x);
            largest = Math.max(largest, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            all.write(bytes, off, len);
            largest = Math.max(largest, len);
        }
    }

    @Test
    void aLargeFileIsHandedOverInBoundedPiecesThatJoinAsJacksonWritesIt() throws Exception {
        Random rnd = new Random(18);
        CompactScores a = new CompactScores("a");
        List<PromptScore> b = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            a.append(score(rnd, "a", false));
            b.add(score(rnd, "b", false));
        }
        Map<String, List<PromptScore>> perPrompt = new LinkedHashMap<>();
        perPrompt.put("a", a);
        perPrompt.put("b", b);
        perPrompt.put("c", List.of());
        ScorerOutput doc = ScorerOutput.of(META, perPrompt);
        Pieces out = new Pieces();
        ScoreFileWriter.write(doc, out);
        byte[] want = jackson(doc);
        assertThat(want.length).isGreaterThan(10 * ScoreFileWriter.DRAIN);
        assertThat(out.largest).isLessThan(ScoreFileWriter.DRAIN + 4096);
        assertThat(out.all.toByteArray()).isEqualTo(want);
    }

    @Test
    void aFileWithoutScoresIsWrittenAsJacksonWritesIt() throws Exception {
        assertSameAsJackson(ScorerOutput.of(META, Map.of()));
        assertSameAsJackson(new ScorerOutput(null, null, null));
    }

    @Test
    void escapesAreGos() throws Exception {
        PromptScore p = new PromptScore("a\u0001\u001f\b\f\t<>&\u2028\u007fé", "m", null, null);
        String text = new String(handWritten(ScorerOutput.of(META, Map.of("m", List.of(p)))), StandardCharsets.UTF_8);
        // Go 1.22+ (go-ml builds with 1.25): \b and \f short, other controls lower-case hex, DEL as is
        assertThat(text).contains("\"id\": \"a\\u0001\\u001f\\b\\f\\t\\u003c\\u003e\\u0026\\u2028\u007fé\"");
    }

    @Test
    void aNonFiniteScoreFailsAsOnTheJacksonPath() {
        PromptScore p = new PromptScore("x", "m", new HeuristicScores(0, 0, 0, 0, 0, 0, 0, 0, Double.NaN), null);
        // no averages, so that the per-prompt record is the first place the NaN is met
        ScorerOutput doc = new ScorerOutput(META, Map.of(), Map.of("m", List.of(p)));
        assertThatThrownBy(() -> jackson(doc)).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handWritten(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }
}
