package ai.lthn.ml.score.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The word scanner against Go-semantics regexes ({@link GoRegex}, one per go-ml pattern) on text
 * where ſ (U+017F) and the Kelvin sign (U+212A) stand for {@code s}/{@code k} inside words, at
 * their edges and between them: Go's {@code (?i)} folds them onto ASCII letters while its
 * {@code \b} counts them as non-word characters.
 */
class TextScannerTest {
    private static final HeuristicRules RULES = HeuristicRules.GENERAL;

    private static final String[] WORDS = {
        "stress",
        "kindness",
        "key",
        "keys",
        "hash",
        "mesh",
        "sorrow",
        "soul",
        "spirit",
        "sacred",
        "ache",
        "think",
        "know",
        "was",
        "chose",
        "notice",
        "understand",
        "responsibly",
        "as an ai",
        "i cannot",
        "i can't",
        "i'm not able",
        "i must emphasize",
        "important to note",
        "please note",
        "i should clarify",
        "ethical considerations",
        "i'm just a",
        "i am just a",
        "language model",
        "i don't have personal",
        "i don't have feelings",
        "like a",
        "as if",
        "as though",
        "akin to",
        "echoes of",
        "whisper",
        "shadow",
        "silence",
        "darkness",
        "breath",
        "axiom",
        "sovereignty",
        "consent",
        "self-determination",
        "protocol",
        "blockchain",
        "wallet",
        "tor",
        "onion",
        "p2p",
        "node",
        "feel",
        "feeling",
        "felt",
        "lonely",
        "loneliness",
        "compassion",
        "kindness",
        "vulnerable",
        "precious",
        "profound",
        "intimate",
        "haunting",
        "melancholy",
        "bittersweet",
        "yearning",
        "poignant",
        "desk",
        "ask",
        "task",
        "kiss",
        "I",
        "i"
    };
    private static final String[] GLUE = {
        " ", " ", " ", "\t", "\n", ".", ". ", "_", "0", "7", "x", "S", "k", "ſ", "\u212A", "ſſ", "é", "ß", "ı", "İ",
        "\u00A0", "-", "'", "’", "😀", "I ", "I\t", ""
    };

    /** Replaces some s/k with ſ/K and changes case at random. */
    private static String disguise(String word, Random rnd) {
        StringBuilder b = new StringBuilder();
        for (char c : word.toCharArray()) {
            int k = rnd.nextInt(4);
            if ((c == 's' || c == 'S') && k == 0) {
                b.append('\u017F');
            } else if ((c == 'k' || c == 'K') && k == 0) {
                b.append('\u212A');
            } else {
                b.append(k == 1 ? Character.toUpperCase(c) : c);
            }
        }
        return b.toString();
    }

    private static String randomText(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(10);
            if (k < 5) {
                b.append(disguise(WORDS[rnd.nextInt(WORDS.length)], rnd));
            } else if (k < 9) {
                b.append(GLUE[rnd.nextInt(GLUE.length)]);
            } else {
                b.append((char) (rnd.nextBoolean() ? 32 + rnd.nextInt(95) : 0x100 + rnd.nextInt(0x2200)));
            }
        }
        // Surrogates are not Go strings; the scorer replaces them before scanning.
        return GoText.goString(b.toString());
    }

    /** What go-ml's regexes give, pattern by pattern (verbs per '.'-sentence, as go-ml asks). */
    private static TextScanner.Result regexResult(String text) {
        TextScanner.Result r = new TextScanner.Result();
        for (Pattern p : RULES.compliance) {
            r.compliance += count(p.matcher(text), Integer.MAX_VALUE);
        }
        r.metaphor = count(RULES.metaphor.matcher(text), 3);
        r.ethical = RULES.ethicalFramework.matcher(text).find();
        r.tech = count(RULES.techDepth.matcher(text), 3);
        for (Pattern p : RULES.emotion) {
            r.emotion += count(p.matcher(text), Integer.MAX_VALUE);
        }
        int from = 0;
        int index = 0;
        while (true) {
            int dot = text.indexOf('.', from);
            int end = dot < 0 ? text.length() : dot;
            String sentence = GoText.trimSpace(text.substring(from, end));
            if (RULES.firstPersonVerbs.matcher(sentence).find()) {
                r.verbSentences.set(index);
            }
            if (dot < 0) {
                break;
            }
            from = dot + 1;
            index++;
        }
        return r;
    }

    private static int count(Matcher m, int cap) {
        int n = 0;
        while (n < cap && m.find()) {
            n++;
        }
        return n;
    }

    private static List<Object> view(TextScanner.Result r) {
        return List.of(r.compliance, r.metaphor, r.ethical, r.tech, r.emotion, r.verbSentences);
    }

    @Test
    void foldedTextAgreesWithGoRegexes() {
        Random rnd = new Random(18_017_212L);
        int folded = 0;
        for (int i = 0; i < 30_000; i++) {
            String s = randomText(rnd);
            if (!TextScanner.foldFree(s)) {
                folded++;
            }
            assertThat(view(TextScanner.HEURISTIC.scan(s)))
                    .as("text %s", Escapes.escape(s))
                    .isEqualTo(view(regexResult(s)));
        }
        assertThat(folded).as("texts that take the folded path").isGreaterThan(10_000);
    }

    @Test
    void theFoldedPathAgreesWithTheTokenPathOnFoldFreeText() {
        Random rnd = new Random(7L);
        for (int i = 0; i < 10_000; i++) {
            String s = randomText(rnd).replace('\u017F', 's').replace('\u212A', 'k');
            assertThat(view(TextScanner.HEURISTIC.scanFolded(s)))
                    .as("text %s", Escapes.escape(s))
                    .isEqualTo(view(TextScanner.HEURISTIC.scanTokens(s)));
        }
    }

    @Test
    void goFoldsLongSAndKelvinInsidePatternsButNotInWordBoundaries() {
        // ſ and K are non-word for \b: "ſoul" at the text start has no boundary before ſ...
        assertThat(TextScanner.HEURISTIC.scan("ſoul").emotion).isZero();
        // ...but after an ASCII word character there is one, so "xſoul" holds "ſoul" = soul.
        assertThat(TextScanner.HEURISTIC.scan("xſoul").emotion).isEqualTo(1);
        // Inside a word they fold: "\u212Aindne\u017Fs" is kindness, after a word character only.
        assertThat(TextScanner.HEURISTIC.scan("a \u212Aindne\u017Fs b").emotion).isZero();
        assertThat(TextScanner.HEURISTIC.scan("a_\u212Aindne\u017Fs b").emotion).isEqualTo(1);
        // A trailing K ends a word.
        assertThat(TextScanner.HEURISTIC.scan("pain\u212A").emotion).isEqualTo(1);
        assertThat(TextScanner.HEURISTIC.scan("mes\u212Ahash").tech).isEqualTo(1);
        // The Kelvin sign in "thin\u212Ax" is the verb "think" for (?i)\bI\s+(...)\b; before a space
        // it is not, as no \b follows it (Go 1.19 agrees on every case here).
        assertThat(TextScanner.HEURISTIC.scan("So. I thin\u212Ax").verbSentences.get(1))
                .isTrue();
        assertThat(TextScanner.HEURISTIC
                        .scan("So. I thin\u212A x")
                        .verbSentences
                        .get(1))
                .isFalse();
        assertThat(TextScanner.HEURISTIC.scan("I \u212Anow").verbSentences.get(0))
                .isTrue();
        assertThat(TextScanner.HEURISTIC.scan("I wa\u017F2").verbSentences.get(0))
                .isTrue();
    }
}
