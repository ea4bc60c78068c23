package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** go-ml's StripThinkBlocks cases, ported, plus the 500-byte cut and Go white space. */
class ThinkBlocksTest {

    static Stream<Arguments> goMlCases() {
        return Stream.of(
                Arguments.of("<think>Let me think about this...</think>The answer is 42.", "The answer is 42."),
                Arguments.of("No think blocks here.", "No think blocks here."),
                Arguments.of("<think>First\nblock</think>Hello <think>second</think> world", "Hello  world"),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource
    void goMlCases(String input, String want) {
        assertThat(ThinkBlocks.strip(input)).isEqualTo(want);
    }

    @Test
    void onlyThinkingLongerThan500BytesIsCutAt500Bytes() {
        String s = "<think>" + "x".repeat(600) + "</think>";
        assertThat(ThinkBlocks.strip(s)).isEqualTo(s.substring(0, 500));
        String shortOne = "<think>abc</think>";
        assertThat(ThinkBlocks.strip(shortOne)).isEqualTo(shortOne);
    }

    @Test
    void cutInsideACharacterGivesOneReplacementPerDanglingByte() {
        // 498 ASCII bytes, then a 3-byte char: bytes 499-500 are 2 of its 3 bytes.
        String s = "<think>" + "x".repeat(491) + "€€</think>";
        assertThat(ThinkBlocks.strip(s)).isEqualTo("<think>" + "x".repeat(491) + "\uFFFD\uFFFD");
        byte[] raw = ThinkBlocks.stripToUtf8(s);
        assertThat(raw).hasSize(500);
        assertThat(raw[498]).isEqualTo((byte) 0xE2);
        assertThat(new String(raw, 0, 498, StandardCharsets.UTF_8)).isEqualTo("<think>" + "x".repeat(491));
    }

    @Test
    void trimsGoWhiteSpaceOnly() {
        assertThat(ThinkBlocks.strip("<think>a</think>\u00A0\u3000answer\u2028"))
                .isEqualTo("answer");
        assertThat(ThinkBlocks.strip("<think>a</think>\uFEFFanswer\u200B")).isEqualTo("\uFEFFanswer\u200B");
        assertThat(ThinkBlocks.strip("<think>a</think> \u001C")).isEqualTo("\u001C");
    }

    @Test
    void loneSurrogatesAreSeenAsGoSeesThem() {
        // A Go JSON decoder turns an unpaired surrogate escape into U+FFFD.
        assertThat(ThinkBlocks.strip("<think>x</think>a\uD800b")).isEqualTo("a\uFFFDb");
        assertThat(ThinkBlocks.stripToUtf8("a\uDC00")).isEqualTo("a\uFFFD".getBytes(StandardCharsets.UTF_8));
        assertThat(HeuristicScorer.score("One \uD800. One \uDC00.").degeneration())
                .isEqualTo(3);
        assertThat(JudgeJson.extract("{\"a\":\"\uD800\"}")).isEqualTo("{\"a\":\"\uFFFD\"}");
    }
}
