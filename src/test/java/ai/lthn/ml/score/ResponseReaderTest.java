package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** go-ml's {@code ReadResponses} line rules, byte for byte, and what it silently got wrong. */
class ResponseReaderTest {

    private static List<Response> read(byte[] bytes) {
        List<Response> out = new ArrayList<>();
        try (ResponseReader r = ResponseReader.of(new ByteArrayInputStream(bytes), "in.jsonl")) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<Response> read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String line(String id, String response) {
        return "{\"id\":\"" + id + "\",\"model\":\"m\",\"response\":\"" + response + "\"}";
    }

    @Test
    void twoObjectsOnOneLineAreRefusedNotHalfRead() {
        assertThatThrownBy(() -> read(line("a", "x") + "\n" + line("b", "y") + line("c", "z") + "\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("in.jsonl:2:");
    }

    @Test
    void carriageReturnsAloneDoNotEndLinesSoSuchAFileIsRefused() {
        // Go's scanner splits on \n only: a CR-only file is one line holding three objects.
        assertThatThrownBy(() -> read(line("a", "x") + "\r" + line("b", "y") + "\r" + line("c", "z") + "\r"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("in.jsonl:1:");
    }

    @Test
    void crlfLineEndingsRead() {
        List<Response> rs = read(line("a", "x") + "\r\n\r\n" + line("b", "y") + "\r\n");
        assertThat(rs).extracting(Response::id).containsExactly("a", "b");
    }

    @Test
    void aNullLineIsRefusedNotSkipped() {
        assertThatThrownBy(() -> read(line("a", "x") + "\nnull\n" + line("b", "y") + "\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("in.jsonl:2: null is not a response object");
    }

    @Test
    void otherValuesThanObjectsAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> read("[]\n")).hasMessageStartingWith("in.jsonl:1:");
        assertThatThrownBy(() -> read("\n\n42\n")).hasMessageStartingWith("in.jsonl:3:");
    }

    @Test
    void invalidUtf8IsReadAsOneReplacementCharacterPerByteAsGoDoes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"id\":\"a\",\"model\":\"m\",\"response\":\"x".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x82, 'A'}); // truncated 3-byte sequence: 2 bytes bad
        b.writeBytes(new byte[] {(byte) 0xC0, (byte) 0x80}); // overlong NUL: 2 bytes bad
        b.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a UTF-16 surrogate: 3 bytes bad
        b.writeBytes(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}); // U+1F600, valid
        b.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
        List<Response> rs = read(b.toByteArray());
        assertThat(rs.get(0).response()).isEqualTo("x\uFFFD\uFFFDA\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uD83D\uDE00");
    }

    @Test
    void invalidUtf8OutsideAStringIsASyntaxErrorWithItsLine() {
        byte[] bytes = (line("a", "x") + "\n{\"id\":\"b\"\u0000}\n").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 3] = (byte) 0xFF;
        assertThatThrownBy(() -> read(bytes)).hasMessageStartingWith("in.jsonl:2:");
    }

    @Test
    void unicodeWhiteSpaceAroundALineIsTrimmedAsGoTrimsIt() {
        // NBSP, NEL, ideographic space, line separator: Go's unicode.IsSpace; Java's strip() keeps NBSP
        List<Response> rs = read("\u00A0\u0085 " + line("a", "x") + "\u3000\u2028\u00A0\n\u2003\n");
        assertThat(rs).extracting(Response::id).containsExactly("a");
    }

    @Test
    void aLineMustEndWithinOneMebibyteAsGoMlsScannerBufferAllows() {
        String pad =
                "x".repeat(ResponseReader.MAX_LINE_BYTES - 1 - line("a", "").length());
        String longest = line("a", pad); // 1 MiB - 1 bytes, then \n: fits Go's 1 MiB buffer
        assertThat(longest.length()).isEqualTo(ResponseReader.MAX_LINE_BYTES - 1);
        assertThat(read(line("0", "") + "\n" + longest + "\n" + line("b", "y")))
                .extracting(Response::id)
                .containsExactly("0", "a", "b");
        String tooLong = line("a", pad + "x");
        assertThatThrownBy(() -> read(line("0", "") + "\n" + tooLong + "\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("in.jsonl:2: line of 1 MiB or more");
        assertThatThrownBy(() -> read(line("0", "") + "\n" + tooLong)).hasMessage("in.jsonl:2: line of 1 MiB or more");
    }

    @Test
    void linesAcrossBufferBoundariesAndALastLineWithoutNewline() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++)
            sb.append(line("p" + i, "r".repeat(i * 37 % 3000))).append('\n');
        sb.append(line("last", "z"));
        List<Response> rs = read(sb.toString());
        assertThat(rs).hasSize(501);
        assertThat(rs.get(499).response()).hasSize(499 * 37 % 3000);
        assertThat(rs.get(500).id()).isEqualTo("last");
    }

    @Test
    void goJsonSemanticsAreKept() {
        List<Response> rs = read("{\"ID\":\"a\",\"Model\":\"m\",\"response\":\"old\",\"response\":\"new\"}\n");
        assertThat(rs.get(0).id()).isEqualTo("a"); // keys match case-insensitively
        assertThat(rs.get(0).response()).isEqualTo("new"); // the last duplicate wins
        assertThatThrownBy(() -> read("{\"id\":7}\n")).hasMessageStartingWith("in.jsonl:1:"); // no coercion
    }

    @Test
    void aResponseBuiltInCodeEqualsTheSameLineRead() {
        Response built = Response.builder()
                .id("a")
                .model("m")
                .response("x")
                .correctAnswer("42")
                .build();
        assertThat(read("{\"id\":\"a\",\"model\":\"m\",\"response\":\"x\",\"correct_answer\":\"42\"}\n"))
                .containsExactly(built);
    }

    /**
     * Found by {@code ScoreLineFuzzTest}: handed bytes, Jackson guessed UTF-32 from leading zero
     * bytes (and failed with an I/O error) and skipped a byte-order mark; Go reads UTF-8 and
     * refuses both lines.
     */
    @Test
    void leadingZeroBytesAndAByteOrderMarkAreRefusedAsGoRefusesThem() {
        byte[] zeros = {0, 0, 0, '{', '"', 'i', 'd', '"', ':', '"', 'a', '"', '}', '\n'};
        assertThatThrownBy(() -> read(zeros))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("in.jsonl:1: ");
        byte[] bom = "\uFEFF{\"id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(bom))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("in.jsonl:1: ");
    }
}
