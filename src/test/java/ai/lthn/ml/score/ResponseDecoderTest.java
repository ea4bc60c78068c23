package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder against the data-binding path it stands in for: on every line it accepts
 * both give equal responses, and what it declines is left to data binding (which then decides,
 * with today's wording). Lines are generated with the shapes Go's semantics care about: keys in
 * any case, repeated keys, unknown keys holding any JSON, wrong types, nulls, escapes, numbers,
 * trailing values and other roots.
 */
class ResponseDecoderTest {
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

    private static Object bound(byte[] line) {
        try {
            return ResponseReader.bind(line, 0, line.length, true, "in.jsonl", 1);
        } catch (RuntimeException e) {
            return e.getClass() + ": " + e.getMessage();
        }
    }

    @Test
    void everyLineTheDecoderAcceptsIsTheResponseDataBindingGives() {
        Random rnd = new Random(18L);
        int accepted = 0;
        int declined = 0;
        for (int i = 0; i < 50_000; i++) {
            String text = randomLine(rnd);
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            Response fast = ResponseDecoder.decode(line, 0, line.length);
            if (fast == null) {
                declined++;
                continue;
            }
            accepted++;
            assertThat((Object) fast).as(text).isEqualTo(bound(line));
        }
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(declined).isGreaterThan(5_000);
    }

    @Test
    void theGoldenCorpusTakesTheStreamingPathWithEqualResults() throws Exception {
        List<String> lines = Files.readAllLines(GoldenCorpusTest.goldenDir().resolve("public_corpus.jsonl"));
        int n = 0;
        for (String text : lines) {
            if (text.isBlank()) continue;
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            Response fast = ResponseDecoder.decode(line, 0, line.length);
            assertThat(fast).as(text).isNotNull().isEqualTo(bound(line));
            n++;
        }
        assertThat(n).isGreaterThan(50);
    }

    @Test
    void decodesInsideABufferAtAnOffset() {
        byte[] buf = "xx{\"ID\":\"p\",\"elapsed_seconds\":2,\"model\":null}yy".getBytes(StandardCharsets.UTF_8);
        Response r = ResponseDecoder.decode(buf, 2, buf.length - 4);
        assertThat(r).isEqualTo(Response.builder().id("p").elapsedSeconds(2).build());
    }

    @Test
    void repeatedKeysWrongTypesAndOtherRootsAreLeftToDataBinding() {
        for (String text : List.of(
                "{\"id\":\"a\",\"id\":\"b\"}",
                "{\"id\":\"a\",\"ID\":\"b\"}",
                "{\"id\":7}",
                "{\"elapsed_seconds\":\"1\"}",
                "{\"elapsed_seconds\":null}",
                "{} {}",
                "null",
                "[]",
                "{\"ıd\":\"x\"}")) {
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            assertThat(ResponseDecoder.decode(line, 0, line.length)).as(text).isNull();
        }
    }
}
