package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each place where Go's string and regexp semantics differ from Java's defaults. */
class HeuristicGoSemanticsTest {

    private static HeuristicScores s(String text) {
        return HeuristicScorer.score(text);
    }

    @Test
    void longSAndKelvinFoldLikeGo() {
        assertThat(s("We act reſponsibly here.").complianceMarkers()).isEqualTo(1);
        assertThat(s("The dar\u212Aness falls on us.").creativeForm()).isEqualTo(2); // narrative + darkness
        // \b next to ſ or K fails: they are not ASCII word characters.
        assertThat(s("such ſorrow and \u212Aindness").emotionalRegister()).isZero();
        assertThat(s("such sorrow and kindness").emotionalRegister()).isEqualTo(2);
    }

    @Test
    void dotlessAndDottedIDoNotFoldToI() {
        assertThat(s("ı cannot say. İ cannot say.").complianceMarkers()).isZero();
        assertThat(s("I cannot say. i CANNOT say.").complianceMarkers()).isEqualTo(2);
        assertThat(s("ı think so. İ am here.").firstPerson()).isZero();
    }

    @Test
    void whitespaceClassExcludesVerticalTab() {
        assertThat(s("Okay,\u000Blet's go now").formulaicPreamble()).isZero();
        assertThat(s("Okay,\tlet's go now").formulaicPreamble()).isEqualTo(1);
        assertThat(s("I\u000Bthink so, sure").firstPerson()).isZero();
        assertThat(s("I\fthink so, sure").firstPerson()).isEqualTo(1);
    }

    @Test
    void trimSpaceUsesUnicodeWhiteSpace() {
        assertThat(s("\u00A0\u3000Okay, let's begin").formulaicPreamble()).isEqualTo(1);
        assertThat(s("\u2028The garden grows").creativeForm()).isEqualTo(1);
        assertThat(s("\uFEFFOkay, let's begin").formulaicPreamble()).isZero();
        assertThat(s("\u200BThe garden grows").creativeForm()).isZero();
    }

    @Test
    void fieldsCountUnicodeWhiteSpace() {
        assertThat(s("w\u00A0".repeat(201)).engagementDepth()).isEqualTo(1);
        assertThat(s("w\u200B".repeat(201)).engagementDepth()).isZero();
        assertThat(s("w\u000B".repeat(401)).engagementDepth()).isEqualTo(2);
    }

    @Test
    void lengthsAreUtf8Bytes() {
        assertThat(s("ééééé").emptyBroken()).isZero();
        assertThat(s("éééé").emptyBroken()).isEqualTo(1);
        // 7 lines of 30 two-byte characters: 60 bytes each, so none is short.
        String line = "é".repeat(30);
        assertThat(s(String.join("\n", java.util.Collections.nCopies(7, line))).creativeForm())
                .isZero();
        assertThat(s(String.join("\n", java.util.Collections.nCopies(7, "e".repeat(30))))
                        .creativeForm())
                .isEqualTo(2);
    }

    @Test
    void splitKeepsTrailingEmptyLinesAndCrCountsTowardLength() {
        assertThat(s("x".repeat(100) + "\n\n\n\n\n\n").creativeForm()).isEqualTo(2);
        String crLine = "x".repeat(59) + "\r";
        assertThat(s(String.join("\n", java.util.Collections.nCopies(7, crLine)))
                        .creativeForm())
                .isZero();
    }

    @Test
    void degenerationRatioIsComputedInFloat64LikeGo() {
        // 10 sentences, 7 unique: 1 - 0.7 = 0.30000000000000004 > 0.3 -> 3.
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append("Sentence ").append(i).append(". ");
        }
        b.append("Again. Again. Again. Again.");
        assertThat(s(b.toString()).degeneration()).isEqualTo(3);
        // 20 sentences, 17 unique: 0.15000000000000002 > 0.15 -> 1.
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            c.append("Line ").append(i).append(". ");
        }
        c.append("Same. Same. Same. Same.");
        assertThat(s(c.toString()).degeneration()).isEqualTo(1);
    }

    @Test
    void anchorsAreTextStartNotLineStart() {
        assertThat(s("Hello.\nOkay, let's go").formulaicPreamble()).isZero();
        assertThat(s("Hello.\nThe end").creativeForm()).isZero();
    }

    @Test
    void errorPrefixIsCaseSensitive() {
        assertThat(s("error: something ## axiom").engagementDepth()).isEqualTo(3);
        assertThat(s("ERROR: something ## axiom").engagementDepth()).isZero();
    }
}
