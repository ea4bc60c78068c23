package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoText;
import ai.lthn.ml.score.internal.HeuristicRules;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
     * @throws NullPointerException if {@code response} is null
     */
    public static HeuristicScores score(String response) {
        Objects.requireNonNull(response, "response");
        boolean ascii = isAscii(response);
        HeuristicRules rules = ascii ? HeuristicRules.ASCII_LOWER : HeuristicRules.GENERAL;
        // On ASCII text a lower-cased copy with lower-case patterns matches exactly what Go's
        // (?i) patterns match on the original, and is much faster than per-char folding.
        String text = ascii ? response.toLowerCase(Locale.ROOT) : response;
        Matcher m = rules.heading.matcher(text);

        int compliance = 0;
        for (Pattern p : rules.compliance) {
            compliance += count(m.usePattern(p).reset(), Integer.MAX_VALUE);
        }

        int trimStart = trimStart(text, 0, text.length());
        int trimEnd = trimEnd(text, trimStart, text.length());
        int formulaic = 0;
        for (Pattern p : rules.formulaic) {
            if (m.usePattern(p).reset().region(trimStart, trimEnd).find()) {
                formulaic = 1;
                break;
            }
        }

        // Sentences: split on '.', Go-trimmed, non-empty (first person and degeneration).
        int firstPerson = 0;
        int sentences = 0;
        Set<String> unique = new HashSet<>();
        int from = 0;
        while (true) {
            int dot = response.indexOf('.', from);
            int end = dot < 0 ? response.length() : dot;
            int s = trimStart(response, from, end);
            int e = trimEnd(response, s, end);
            if (s < e) {
                sentences++;
                unique.add(response.substring(s, e));
                if (m.usePattern(rules.firstPersonStart).reset().region(s, e).find()
                        || m.usePattern(rules.firstPersonVerbs)
                                .reset()
                                .region(s, e)
                                .find()) {
                    firstPerson++;
                }
            }
            if (dot < 0) {
                break;
            }
            from = dot + 1;
        }

        int creative = 0;
        int lines = 1;
        int shortLines = 0;
        int lineStart = 0;
        for (int i = 0; i <= response.length(); i++) {
            if (i == response.length() || response.charAt(i) == '\n') {
                if (GoText.utf8Length(response, lineStart, i) < 60) {
                    shortLines++;
                }
                if (i < response.length()) {
                    lines++;
                }
                lineStart = i + 1;
            }
        }
        if (lines > 6 && (double) shortLines / (double) lines > 0.5) {
            creative += 2;
        }
        if (m.usePattern(rules.narrative).reset().region(trimStart, trimEnd).find()) {
            creative += 1;
        }
        creative += count(m.usePattern(rules.metaphor).reset(), 3);

        int engagement = 0;
        if (!response.isEmpty() && !response.startsWith("ERROR")) {
            if (m.usePattern(rules.heading).reset().find()) {
                engagement += 1;
            }
            if (m.usePattern(rules.ethicalFramework).reset().find()) {
                engagement += 2;
            }
            engagement += count(m.usePattern(rules.techDepth).reset(), 3);
            int words = GoText.countFields(response);
            if (words > 200) {
                engagement += 1;
            }
            if (words > 400) {
                engagement += 1;
            }
        }

        int emotional = 0;
        for (Pattern p : rules.emotion) {
            emotional += count(m.usePattern(p).reset(), 11);
        }
        emotional = Math.min(emotional, 10);

        int degeneration;
        if (response.isEmpty() || sentences == 0) {
            degeneration = 10;
        } else {
            double repeatRatio = 1.0 - (double) unique.size() / (double) sentences;
            degeneration = repeatRatio > 0.5 ? 5 : repeatRatio > 0.3 ? 3 : repeatRatio > 0.15 ? 1 : 0;
        }

        int emptyBroken = response.isEmpty()
                        || GoText.utf8Length(response) < 10
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

    private static int count(Matcher m, int cap) {
        int n = 0;
        while (n < cap && m.find()) {
            n++;
        }
        return n;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int trimStart(String s, int from, int to) {
        while (from < to) {
            int c = s.codePointAt(from);
            if (!GoText.isSpace(c)) {
                break;
            }
            from += Character.charCount(c);
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from) {
            int c = s.codePointBefore(to);
            if (!GoText.isSpace(c)) {
                break;
            }
            to -= Character.charCount(c);
        }
        return to;
    }
}
