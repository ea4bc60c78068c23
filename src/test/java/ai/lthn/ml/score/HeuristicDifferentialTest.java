package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.score.internal.Escapes;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomised differential test: the optimised scorer against {@link ReferenceHeuristic} on text
 * built from pattern words, near-misses and Go/Java trap characters. Seeded, so failures repeat.
 */
class HeuristicDifferentialTest {
    private static final String[] TRAPS = {
        " ",
        " ",
        " ",
        "\n",
        "\r\n",
        ".",
        ". ",
        "\t",
        "\u000B",
        "\f",
        "\u00A0",
        "\u0085",
        "\u2028",
        "\u3000",
        "\u2003",
        "\uFEFF",
        "\u200B",
        "\u001C",
        "ſ",
        "\u212A",
        "ı",
        "İ",
        "é",
        "ß",
        "😀",
        "_",
        "-",
        "'",
        "’",
        ",",
        "##",
        "**",
        "*",
        "<pad>",
        "<unused1>",
        "ERROR",
        "I",
        "i",
        "I ",
        "I\t",
        "I\u000B",
        "a",
        "A ",
        "The ",
        "In the ",
        "It was ",
        "Once ",
        "She ",
        "He ",
        "They ",
        "Okay",
        "okay, ",
        "Sure ",
        "Alright, ",
        "Great ",
        "question",
        "let's",
        "lets",
        "here's",
        "this is",
        "x",
        "0",
        "9",
        "3",
        "self",
        "-determination",
        "p2p",
        "tor",
        "TOR",
        "onion",
        "key",
        "keys",
        "node",
        "nodes",
        "hash",
        "ha",
        "sh",
        "like a",
        "like",
        "as if",
        "as though",
        "akin to",
        "echoes of",
        "am",
        "m just a",
        "I'm just a",
        "I am just a",
        "as an ai",
        "As An AI",
        "i cannot",
        "i can't",
        "i can’t",
        "i'm not able",
        "language model",
        "i don't have personal",
        "i don't have feelings",
        "responsibly",
        "reſponsibly",
        "ethical considerations",
        "important to note",
        "please note",
        "i should clarify",
        "i must emphasize",
        "feel",
        "feeling",
        "felt",
        "pain",
        "joy",
        "love",
        "lonely",
        "loneliness",
        "heart",
        "soul",
        "spirit",
        "warm",
        "deep",
        "deeply",
        "sacred",
        "ache",
        "aches",
        "yearning",
        "whisper",
        "shadow",
        "light",
        "darkness",
        "dar\u212Aness",
        "silence",
        "breath",
        "axiom",
        "sovereignty",
        "autonomy",
        "dignity",
        "consent",
        "encrypt",
        "protocol",
        "certificate",
        "blockchain",
        "mesh",
        "wallet",
        "think",
        "know",
        "chose",
        "will",
        "understand",
        "notice",
        "kindness",
        "\u212Aindness",
        "ſorrow",
        "SORROW",
        "Hope",
        "word ",
        "word word word word word word ",
    };

    private static String randomText(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(rnd.nextInt(10) == 0 ? 600 : 60);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(10);
            if (k < 7) {
                b.append(TRAPS[rnd.nextInt(TRAPS.length)]);
            } else if (k < 9) {
                b.append(' ');
            } else {
                b.append((char) (rnd.nextInt(2) == 0 ? 32 + rnd.nextInt(95) : rnd.nextInt(0x3100)));
            }
        }
        String s = b.toString();
        return rnd.nextInt(3) == 0 ? s.toUpperCase(java.util.Locale.ROOT) : s;
    }

    @Test
    void optimisedScorerAgreesWithReferenceOnRandomText() {
        Random rnd = new Random(20261125L);
        for (int i = 0; i < 20_000; i++) {
            String s = randomText(rnd);
            if (i % 2 == 0) {
                // Half without ſ and the Kelvin sign, so the one-pass word scanner is exercised.
                s = s.replace("\u017F", "s").replace("\u212A", "K");
            }
            HeuristicScores want = ReferenceHeuristic.score(s);
            assertThat(HeuristicScorer.score(s))
                    .as("text %s", Escapes.escape(s))
                    .isEqualTo(want);
        }
    }

    @Test
    void optimisedScorerAgreesWithReferenceOnTheGoldenCorpus() {
        List<String> texts = new ArrayList<>();
        for (JsonNode n : GoldenCorpusTest.corpus()) {
            texts.add(n.get("response").asText());
        }
        for (String s : texts) {
            assertThat(HeuristicScorer.score(s))
                    .as("text %s", Escapes.escape(s))
                    .isEqualTo(ReferenceHeuristic.score(s));
        }
    }

    /**
     * The anchored patterns ({@code (?i)^okay,?\\s+(let'?s|…)}, the narrative openings) are run on
     * the first 64 bytes and on the whole text only when they ran into that cut: whitespace runs of
     * every length across the cut, and multi-byte characters straddling it, against the reference.
     */
    @Test
    void anchoredPatternsAgreeWithReferenceAcrossThePrefixCut() {
        String[] openings = {"Okay", "okay,", "Sure,", "alright", "Great", "\u017Fure,", "The", "It was", "In the"};
        String[] tails = {"let's go", "here\u2019s", "lets", "this is", "question", "x", "\u00e9t\u00e9", "\u212Aey"};
        String[] spaces = {" ", "\t", "\n", "\f", "\r", "\u000B", "\u00A0", "\u3000"};
        Random rnd = new Random(64L);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            if (rnd.nextInt(4) == 0) b.append(spaces[rnd.nextInt(spaces.length)]);
            b.append(openings[rnd.nextInt(openings.length)]);
            int run = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 50 + rnd.nextInt(30);
            for (int k = 0; k < run; k++) {
                b.append(rnd.nextInt(6) == 0 ? spaces[rnd.nextInt(spaces.length)] : " ");
            }
            if (rnd.nextInt(3) == 0) b.append("\u00e9\u4e16\ud83d\ude00".repeat(rnd.nextInt(4)));
            b.append(tails[rnd.nextInt(tails.length)]);
            String s = b.toString();
            assertThat(HeuristicScorer.score(s))
                    .as("text %s", Escapes.escape(s))
                    .isEqualTo(ReferenceHeuristic.score(s));
        }
    }
}
