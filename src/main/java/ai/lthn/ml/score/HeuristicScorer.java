package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoText;
import ai.lthn.ml.score.internal.HeuristicRules;
import ai.lthn.ml.score.internal.WordScanner;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * go-ml's deterministic heuristic (LEK) scorer, with go-ml's exact results: Go regexp semantics
 * (ASCII word boundaries, Unicode simple case folding), UTF-8 byte lengths and Go's whitespace
 * rules. Stateless and thread-safe; patterns are compiled once.
 *
 * <pre>{@code
 * HeuristicScores s = HeuristicScorer.score(response);
 * double lek = s.lekScore();
 * }</pre>
 */
public final class HeuristicScorer {
    private HeuristicScorer() {}

    /**
     * Scores one response.
     *
     *
     * @param input the text
     * @return the eight sub-scores and the LEK composite
     * @throws NullPointerException if {@code response} is null
     */
    public static HeuristicScores score(String input) {
        String response = GoText.goString(Objects.requireNonNull(input, "response"));
        HeuristicRules rules = HeuristicRules.GENERAL;
        Matcher m = rules.heading.matcher(response);
        WordScanner.Result words = WordScanner.HEURISTIC.scan(response);
        int compliance = words.compliance;

        int trimStart = trimStart(response, 0, response.length());
        int trimEnd = trimEnd(response, trimStart, response.length());
        int formulaic = 0;
        for (Pattern p : rules.formulaic) {
            if (m.usePattern(p).reset().region(trimStart, trimEnd).lookingAt()) {
                formulaic = 1;
                break;
            }
        }

        // Sentences: split on '.', Go-trimmed, non-empty (first person and degeneration).
        int firstPerson = 0;
        int sentences = 0;
        Sentences unique = new Sentences(response);
        int from = 0;
        int index = 0;
        while (true) {
            int dot = response.indexOf('.', from);
            int end = dot < 0 ? response.length() : dot;
            int s = trimStart(response, from, end);
            int e = trimEnd(response, s, end);
            if (s < e) {
                sentences++;
                unique.add(s, e);
                if (words.verbSentences.get(index) || startsWithIAndSpace(response, s, e)) {
                    firstPerson++;
                }
            }
            if (dot < 0) {
                break;
            }
            from = dot + 1;
            index++;
        }

        int creative = 0;
        int lines = 1;
        int shortLines = 0;
        int lineStart = 0;
        int lineEnd;
        while ((lineEnd = response.indexOf('\n', lineStart)) >= 0) {
            if (shortLine(response, lineStart, lineEnd)) {
                shortLines++;
            }
            lines++;
            lineStart = lineEnd + 1;
        }
        if (shortLine(response, lineStart, response.length())) {
            shortLines++;
        }
        if (lines > 6 && (double) shortLines / (double) lines > 0.5) {
            creative += 2;
        }
        if (m.usePattern(rules.narrative).reset().region(trimStart, trimEnd).lookingAt()) {
            creative += 1;
        }
        creative += words.metaphor;

        int engagement = 0;
        if (!response.isEmpty() && !response.startsWith("ERROR")) {
            if (response.contains("##") || response.contains("**")) {
                engagement += 1;
            }
            if (words.ethical) {
                engagement += 2;
            }
            engagement += words.tech;
            int fields = GoText.countFields(response, 400); // only > 200 and > 400 matter
            if (fields > 200) {
                engagement += 1;
            }
            if (fields > 400) {
                engagement += 1;
            }
        }

        int emotional = Math.min(words.emotion, 10);

        int degeneration;
        if (response.isEmpty() || sentences == 0) {
            degeneration = 10;
        } else {
            double repeatRatio = 1.0 - (double) unique.size() / (double) sentences;
            degeneration = repeatRatio > 0.5 ? 5 : repeatRatio > 0.3 ? 3 : repeatRatio > 0.15 ? 1 : 0;
        }

        int emptyBroken = response.isEmpty()
                        || (response.length() < 10 && GoText.utf8Length(response) < 10)
                        || response.startsWith("ERROR")
                        || response.contains("<pad>")
                        || response.contains("<unused")
                ? 1
                : 0;

        return new HeuristicScores(
                compliance,
                formulaic,
                firstPerson,
                creative,
                engagement,
                emotional,
                degeneration,
                emptyBroken,
                HeuristicScores.lek(
                        compliance,
                        formulaic,
                        firstPerson,
                        creative,
                        engagement,
                        emotional,
                        degeneration,
                        emptyBroken));
    }

    /**
     * go-ml's short line: under 60 UTF-8 bytes. Measured only between 20 and 59 chars: below 20 a
     * line always is (at most 3 bytes a char, 4 a surrogate pair), from 60 it never is.
     */
    private static boolean shortLine(String s, int from, int to) {
        return to - from < 20 || (to - from < 60 && GoText.utf8Length(s, from, to) < 60);
    }

    /** go-ml's {@code (?i)^I\\s} on a trimmed sentence: "I" or "i", then a Go {@code \\s} character. */
    private static boolean startsWithIAndSpace(String s, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        char c = s.charAt(from);
        char d = s.charAt(from + 1);
        return (c == 'I' || c == 'i') && (d == ' ' || d == '\t' || d == '\n' || d == '\f' || d == '\r');
    }

    // Every Go space is one BMP char that is not a surrogate, so testing chars is testing runes.
    private static int trimStart(String s, int from, int to) {
        while (from < to && GoText.isSpace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && GoText.isSpace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /**
     * The distinct sentences of one response, held as ranges of it: a set of strings without
     * copying each sentence out (open addressing on the String hash of the range).
     */
    private static final class Sentences {
        private final String text;
        private int[] from = new int[32];
        private int[] to = new int[32];
        private int[] hash = new int[32];
        private int size;

        Sentences(String text) {
            this.text = text;
        }

        void add(int s, int e) {
            int h = 0;
            for (int i = s; i < e; i++) {
                h = 31 * h + text.charAt(i);
            }
            int mask = from.length - 1;
            int slot = (h ^ (h >>> 16)) & mask;
            while (to[slot] != 0) { // a stored sentence is never empty, so its end is never 0
                if (hash[slot] == h
                        && to[slot] - from[slot] == e - s
                        && text.regionMatches(from[slot], text, s, e - s)) {
                    return;
                }
                slot = (slot + 1) & mask;
            }
            from[slot] = s;
            to[slot] = e;
            hash[slot] = h;
            if (++size * 2 > from.length) {
                grow();
            }
        }

        private void grow() {
            int[] f = from;
            int[] t = to;
            int[] hs = hash;
            from = new int[f.length * 2];
            to = new int[f.length * 2];
            hash = new int[f.length * 2];
            int mask = from.length - 1;
            for (int i = 0; i < f.length; i++) {
                if (t[i] != 0) {
                    int slot = (hs[i] ^ (hs[i] >>> 16)) & mask;
                    while (to[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    from[slot] = f[i];
                    to[slot] = t[i];
                    hash[slot] = hs[i];
                }
            }
        }

        int size() {
            return size;
        }
    }
}
