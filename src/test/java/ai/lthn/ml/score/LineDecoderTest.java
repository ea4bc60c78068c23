package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.score.internal.GoText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast line decoder against the data-binding path it stands in for: on every line it accepts
 * both give equal responses, and what it declines is left to data binding (which then decides,
 * with today's wording). Lines are generated with the shapes Go's semantics care about: keys in
 * any case, repeated keys, unknown keys holding any JSON, wrong types, nulls, escapes, numbers,
 * trailing values and other roots.
 */
class LineDecoderTest {
    private static final String[] KEYS = {
        "id",
        "ID",
        "Id",
        "domain",
        "prompt",
        "PROMPT",
        "response",
        "Response",
        "model",
        "elapsed_seconds",
        "Elapsed_Seconds",
        "correct_answer",
        "best_answer",
        "risk_area",
        "extra",
        "respons",
        "ıd",
        "\u212Aey",
        "mode\u017F"
    };
    private static final String[] VALUES = {
        "\"a\"",
        "\"\"",
        "\"x\\ny\\u00e9\\\"\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\/\\b\\f\\r\\t\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud800\\ud800\\udc00x\"",
        "\"\\ud83d\\n\"",
        "\"\\u00\"",
        "\"a\\x\"",
        "\"tab\tin\"",
        "\"\\u0000\"",
        "\"caf\u00e9 \u017F \u212A 😀\"",
        "null",
        "7",
        "-0",
        "1.5",
        "1e3",
        "1e400",
        "123456789012345678901234567890",
        "true",
        "false",
        "[]",
        "[1,{\"a\":[null]}]",
        "{}",
        "{\"id\":\"inner\"}",
        "\"3\"",
        "01",
        "'q'",
        "NaN"
    };

    private static String randomLine(Random rnd) {
        int kind = rnd.nextInt(40);
        if (kind == 0) return "null";
        if (kind == 1) return "[]";
        if (kind == 2) return "\"s\"";
        StringBuilder b = new StringBuilder("{");
        int n = rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(rnd.nextInt(8) == 0 ? " , " : ",");
            b.append('"').append(KEYS[rnd.nextInt(KEYS.length)]).append("\":");
            b.append(VALUES[rnd.nextInt(rnd.nextInt(3) == 0 ? VALUES.length : 7)]);
        }
        b.append('}');
        if (kind == 3) b.append(" {}");
        if (kind == 4) b.append(" 1");
        if (kind == 5) b.setLength(b.length() - 1);
        if (kind == 6) b.append(" ");
        return b.toString();
    }

    private static Response fast(byte[] b, int from, int to) {
        LineDecoder d = new LineDecoder();
        return d.decode(b, from, to) ? d.response() : null;
    }

    private static Object bound(byte[] line) {
        try {
            return ResponseReader.bind(line, 0, line.length, "in.jsonl", 1);
        } catch (RuntimeException e) {
            return e.getClass() + ": " + e.getMessage();
        }
    }

    @Test
    void everyLineTheDecoderAcceptsIsGosReadingAndDataBindingsWhereItHasGosRules() throws IOException {
        Random rnd = new Random(18L);
        int accepted = 0;
        int declined = 0;
        int differing = 0;
        for (int i = 0; i < 50_000; i++) {
            String text = randomLine(rnd);
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            Response fast = fast(line, 0, line.length);
            if (fast == null) {
                declined++;
                continue;
            }
            accepted++;
            GoJsonView go = GoJsonView.of(line);
            assertThat(fast).as(text).isEqualTo(go.response());
            if (go.dataBindingDiffers()) {
                differing++;
                continue;
            }
            Object bound = bound(line);
            assertThat((Object) fast).as(text).isEqualTo(bound);
            // The bytes the scorer reads are the Go string's bytes.
            LineDecoder d = new LineDecoder();
            assertThat(d.decode(line, 0, line.length)).isTrue();
            assertThat(d.copyUtf8(LineDecoder.RESPONSE)).as(text).isEqualTo(GoText.utf8(((Response) bound).response()));
            assertThat(d.copyUtf8(LineDecoder.PROMPT)).as(text).isEqualTo(GoText.utf8(((Response) bound).prompt()));
        }
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(differing).isGreaterThan(1_000);
        assertThat(declined).isGreaterThan(5_000);
    }

    @Test
    void theGoldenCorpusTakesTheStreamingPathWithEqualResults() throws Exception {
        List<String> lines = Files.readAllLines(GoldenCorpusTest.goldenDir().resolve("public_corpus.jsonl"));
        int n = 0;
        for (String text : lines) {
            if (text.isBlank()) continue;
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            Response fast = fast(line, 0, line.length);
            assertThat(fast).as(text).isNotNull().isEqualTo(bound(line));
            n++;
        }
        assertThat(n).isGreaterThan(50);
    }

    @Test
    void decodesInsideABufferAtAnOffset() {
        byte[] buf = "xx{\"ID\":\"p\",\"elapsed_seconds\":2,\"model\":null}yy".getBytes(StandardCharsets.UTF_8);
        Response r = fast(buf, 2, buf.length - 2);
        assertThat(r).isEqualTo(Response.builder().id("p").elapsedSeconds(2).build());
    }

    /**
     * Go's answers (from go-ml's {@code json.Unmarshal}, run by a Go program for the strictness
     * harness in {@code src/jmh}) where data binding gives another: keys matched through ſ/K, a
     * repeated key, {@code null} after a value.
     */
    @Test
    void repeatedKeysNullsAndFoldedKeysHaveGosAnswers() {
        assertThat(fast(bytes("{\"id\":\"a\",\"model\":\"m\",\"re\u017fpon\u017fe\":\"r\"}")))
                .isEqualTo(Response.builder().id("a").model("m").response("r").build());
        assertThat(fast(bytes("{\"id\":\"a\",\"id\":\"b\",\"model\":\"m\",\"response\":\"r\"}")))
                .isEqualTo(Response.builder().id("b").model("m").response("r").build());
        assertThat(fast(bytes("{\"id\":\"a\",\"id\":null,\"model\":\"m\",\"response\":\"r\"}")))
                .isEqualTo(Response.builder().id("a").model("m").response("r").build());
        assertThat(fast(bytes("{\"id\":\"a\\n\",\"ID\":\"b\"}")))
                .isEqualTo(Response.builder().id("b").build());
        assertThat(fast(bytes("{\"ris\u212A_area\":\"x\",\"elapsed_seconds\":2,\"elapsed_seconds\":null}")))
                .isEqualTo(Response.builder().riskArea("x").elapsedSeconds(2).build());
        // ı (dotless i) is no fold of i: an unknown key, as in Go and data binding
        assertThat(fast(bytes("{\"ıd\":\"x\"}"))).isEqualTo(Response.builder().build());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Response fast(byte[] line) {
        return fast(line, 0, line.length);
    }

    @Test
    void wrongTypesAndOtherRootsAreLeftToDataBinding() {
        for (String text : List.of(
                "{\"id\":7}",
                "{\"elapsed_seconds\":\"1\"}",
                "{\"id\":\"a\",\"id\":7}",
                "{} {}",
                "null",
                "[]",
                "{\"i\\u0064\":\"x\"}")) {
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            assertThat(fast(line, 0, line.length)).as(text).isNull();
        }
    }

    @Test
    void aStringRunningPastTheEndOfTheLineIsDeclinedEvenInsideALargerBuffer() {
        byte[] buf = "{\"id\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
        LineDecoder d = new LineDecoder();
        assertThat(d.decode(buf, 0, buf.length)).isTrue();
        for (int cut = 1; cut < buf.length; cut++) {
            assertThat(d.decode(buf, 0, cut)).as("cut at %d", cut).isFalse();
        }
        byte[] escapeAtEnd = "{\"id\":\"a\\u12\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(d.decode(escapeAtEnd, 0, escapeAtEnd.length)).isFalse();
    }

    @Test
    void nestingIsSkippedUpToALimitThenLeftToDataBinding() {
        LineDecoder d = new LineDecoder();
        byte[] shallow = ("{\"x\":" + "[".repeat(60) + "{\"a\":\"b\"}" + "]".repeat(60) + ",\"id\":\"q\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(d.decode(shallow, 0, shallow.length)).isTrue();
        assertThat(d.string(LineDecoder.ID)).isEqualTo("q");
        byte[] deep =
                ("{\"x\":" + "[".repeat(500) + "]".repeat(500) + ",\"id\":\"q\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(d.decode(deep, 0, deep.length)).isFalse();
        assertThat(bound(deep)).isEqualTo(Response.builder().id("q").build());
    }

    @Test
    void invalidUtf8AndControlCharactersAreLeftToDataBinding() {
        LineDecoder d = new LineDecoder();
        for (byte[] line : List.of(
                new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xE2, (byte) 0x82, 'A', '"', '}'},
                new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
                new byte[] {'{', '"', 'i', 'd', '"', ':', '"', 1, '"', '}'},
                new byte[] {
                    '{', '"', 'x', '"', ':', '"', (byte) 0xFF, '"', ',', '"', 'i', 'd', '"', ':', '"', 'a', '"', '}'
                })) {
            assertThat(d.decode(line, 0, line.length)).isFalse();
        }
    }

    /** The eight-bytes-at-a-time scan meets each kind of byte it must stop at, at every offset. */
    @Test
    void everySpecialByteIsSeenAtEveryOffsetOfALongString() {
        String[] specials = {"\\\"", "\\n", "\\u00e9", "\u00e9", "\u017F", "\uD83D\uDE00", "\\\\", "\u007F"};
        int checked = 0;
        for (String special : specials) {
            for (int offset = 0; offset < 24; offset++) {
                String text = "{\"response\":\"" + "a".repeat(offset) + special + "b".repeat(17) + "\",\"id\":\"x\"}";
                byte[] line = text.getBytes(StandardCharsets.UTF_8);
                for (int lead = 0; lead < 8; lead++) { // the line at every alignment in its buffer
                    byte[] buf = new byte[lead + line.length + 3];
                    System.arraycopy(line, 0, buf, lead, line.length);
                    buf[lead + line.length] = '"';
                    LineDecoder d = new LineDecoder();
                    assertThat(d.decode(buf, lead, lead + line.length)).as(text).isTrue();
                    assertThat(d.response()).as(text).isEqualTo(bound(line));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(specials.length * 24 * 8);
        byte[] control =
                ("{\"id\":\"" + "a".repeat(13) + "\u0001" + "b".repeat(9) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(new LineDecoder().decode(control, 0, control.length)).isFalse();
    }
}
