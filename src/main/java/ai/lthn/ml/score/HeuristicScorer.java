package ai.lthn.ml.score;

import ai.lthn.ml.internal.GoUtf8;
import ai.lthn.ml.internal.Utf8Chars;
import ai.lthn.ml.score.internal.GoText;
import ai.lthn.ml.score.internal.HeuristicRules;
import ai.lthn.ml.score.internal.TextScanner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
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
    /** Bytes of the trimmed start decoded for the anchored patterns before asking for more. */
    private static final int PREFIX_BYTES = 64;

    private static final byte[] ERROR = "ERROR".getBytes(StandardCharsets.US_ASCII);

    private HeuristicScorer() {}

    /**
     * Scores one response.
     *
     * @param input the text
     * @return the eight sub-scores and the LEK composite
     * @throws NullPointerException if {@code response} is null
     */
    public static HeuristicScores score(String input) {
        byte[] b = GoText.utf8(Objects.requireNonNull(input, "response"));
        return score(b, 0, b.length, new Scratch());
    }

    /** Working state one thread reuses from response to response. */
    static final class Scratch {
        final TextScanner.Result scan = new TextScanner.Result();
        final Sentences unique = new Sentences();
        /** One matcher per anchored pattern ({@link #ANCHORED}), made when first used. */
        final Matcher[] matchers = new Matcher[ANCHORED.length];
        /** The start of the text the anchored patterns try (decoded once per text). */
        final Utf8Chars prefix = new Utf8Chars();
        /** Whether the prefix is the whole text (one of at most 64 bytes). */
        boolean prefixIsWhole;
        /** The whole text, decoded only when a pattern ran into the end of the prefix. */
        final Utf8Chars whole = new Utf8Chars();
        /** Whether {@link #whole} holds this text yet. */
        boolean wholeSet;
    }

    /**
     * The anchored patterns (formulaic preambles, then the narrative opening), as an array: C1,
     * which compiles {@code ml score}, has no escape analysis, so a list's iterator would be a
     * heap object per text.
     */
    private static final Pattern[] ANCHORED;

    private static final int NARRATIVE;

    static {
        HeuristicRules rules = HeuristicRules.GENERAL;
        ANCHORED = new Pattern[rules.formulaic.size() + 1];
        for (int i = 0; i < rules.formulaic.size(); i++) ANCHORED[i] = rules.formulaic.get(i);
        NARRATIVE = rules.formulaic.size();
        ANCHORED[NARRATIVE] = rules.narrative;
    }

    /**
     * Scores the Go string {@code b[from, to)} (valid UTF-8), as {@link #score(String)} scores the
     * string it encodes.
     */
    static HeuristicScores score(byte[] b, int from, int to, Scratch scratch) {
        TextScanner.Result words = TextScanner.HEURISTIC.scan(b, from, to, scratch.scan);
        int compliance = words.compliance;
        boolean empty = from == to;

        int trimStart = GoUtf8.trimStart(b, from, to);
        int trimEnd = GoUtf8.trimEnd(b, trimStart, to);
        boolean anchored = trimStart < trimEnd && mayStartAnchored(b[trimStart]);
        int formulaic = 0;
        if (anchored) {
            setPrefix(b, trimStart, trimEnd, scratch);
            for (int i = 0; i < NARRATIVE; i++) {
                if (lookingAt(i, b, trimStart, trimEnd, scratch)) {
                    formulaic = 1;
                    break;
                }
            }
        }

        // Sentences: split on '.', Go-trimmed, non-empty (first person and degeneration).
        int firstPerson = 0;
        int sentences = 0;
        Sentences unique = scratch.unique;
        unique.reset(b);
        int start = from;
        for (int index = 0; index <= words.dotCount; index++) {
            int end = index < words.dotCount ? words.dots[index] : to;
            int s = GoUtf8.trimStart(b, start, end);
            int e = GoUtf8.trimEnd(b, s, end);
            if (s < e) {
                sentences++;
                unique.add(s, e);
                if (words.verbSentences.get(index) || startsWithIAndSpace(b, s, e)) {
                    firstPerson++;
                }
            }
            start = end + 1;
        }

        int creative = 0;
        if (words.lines > 6 && (double) words.shortLines / (double) words.lines > 0.5) {
            creative += 2;
        }
        if (anchored && lookingAt(NARRATIVE, b, trimStart, trimEnd, scratch)) {
            creative += 1;
        }
        creative += words.metaphor;

        boolean error = startsWith(b, from, to, ERROR);
        int engagement = 0;
        if (!empty && !error) {
            if (words.heading) {
                engagement += 1;
            }
            if (words.ethical) {
                engagement += 2;
            }
            engagement += words.tech;
            if (words.fields > 200) {
                engagement += 1;
            }
            if (words.fields > 400) {
                engagement += 1;
            }
        }

        int emotional = Math.min(words.emotion, 10);

        int degeneration;
        if (empty || sentences == 0) {
            degeneration = 10;
        } else {
            double repeatRatio = 1.0 - (double) unique.size() / (double) sentences;
            degeneration = repeatRatio > 0.5 ? 5 : repeatRatio > 0.3 ? 3 : repeatRatio > 0.15 ? 1 : 0;
        }

        int emptyBroken = empty || to - from < 10 || error || words.padOrUnused ? 1 : 0;

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
     * Whether a formulaic or narrative pattern ({@code (?i)^okay…}, {@code ^alright…}, {@code
     * ^sure…}, {@code ^great…}, {@code ^(The |A |In the |Once |It was |She |He |They )}) can match
     * text starting with byte {@code c}: one of their first letters in either case, or the first
     * byte of ſ (which Go's {@code (?i)} folds to {@code s}).
     */
    private static boolean mayStartAnchored(byte c) {
        return switch (c) {
            case 'o', 'O', 'a', 'A', 's', 'S', 'g', 'G', 't', 'T', 'i', 'I', 'h', 'H', (byte) 0xC5 -> true;
            default -> false;
        };
    }

    /**
     * Decodes the first {@value #PREFIX_BYTES} bytes (whole characters) of {@code b[from, to)},
     * which the anchored patterns try first.
     */
    private static void setPrefix(byte[] b, int from, int to, Scratch scratch) {
        int end = to;
        if (to - from > PREFIX_BYTES) {
            end = from + PREFIX_BYTES;
            while ((b[end] & 0xC0) == 0x80) end--; // not inside a character
        }
        scratch.prefix.set(b, from, end);
        scratch.prefixIsWhole = end == to;
        scratch.wholeSet = false;
    }

    /**
     * Whether anchored pattern {@code ANCHORED[index]} matches at the start of {@code b[from,
     * to)}: it is run on the prefix {@link #setPrefix} decoded and, only when it ran into the end
     * of that prefix ({@link Matcher#hitEnd()}), on the whole text.
     */
    private static boolean lookingAt(int index, byte[] b, int from, int to, Scratch scratch) {
        Matcher m = scratch.matchers[index];
        if (m == null) m = scratch.matchers[index] = ANCHORED[index].matcher(scratch.prefix);
        else m.reset(scratch.prefix);
        if (m.lookingAt()) return true;
        if (scratch.prefixIsWhole || !m.hitEnd()) return false;
        if (!scratch.wholeSet) {
            scratch.whole.set(b, from, to);
            scratch.wholeSet = true;
        }
        return m.reset(scratch.whole).lookingAt();
    }

    private static boolean startsWith(byte[] b, int from, int to, byte[] w) {
        return to - from >= w.length && Arrays.equals(b, from, from + w.length, w, 0, w.length);
    }

    /** go-ml's {@code (?i)^I\\s} on a trimmed sentence: "I" or "i", then a Go {@code \\s} character. */
    private static boolean startsWithIAndSpace(byte[] b, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        byte c = b[from];
        byte d = b[from + 1];
        return (c == 'I' || c == 'i') && (d == ' ' || d == '\t' || d == '\n' || d == '\f' || d == '\r');
    }

    /**
     * The distinct sentences of one response, held as byte ranges of it: a set of strings without
     * copying each sentence out (open addressing on a 64-bit hash of the range, seeded per JVM so
     * crafted text cannot aim at one chain). Reused from response to response.
     */
    private static final class Sentences {
        private static final long SEED = ThreadLocalRandom.current().nextLong();
        private static final long MUL = 0x9E3779B97F4A7C15L;

        private byte[] text;
        private int[] from = new int[32];
        private int[] to = new int[32];
        private long[] hash = new long[32];
        private int size;

        void reset(byte[] b) {
            text = b;
            if (from.length > 1024) { // a long response grew the table: start small again
                from = new int[32];
                to = new int[32];
                hash = new long[32];
            } else if (size > 0) {
                Arrays.fill(to, 0);
            }
            size = 0;
        }

        private long hash(int s, int e) {
            long h = SEED ^ (e - s);
            int i = s;
            for (; i + 8 <= e; i += 8) {
                h = Long.rotateLeft((h ^ GoUtf8.word(text, i)) * MUL, 29);
            }
            long tail = 0;
            for (; i < e; i++) {
                tail = (tail << 8) | (text[i] & 0xFF);
            }
            h = (h ^ tail) * MUL;
            return h ^ (h >>> 32);
        }

        void add(int s, int e) {
            long h = hash(s, e);
            int mask = from.length - 1;
            int slot = (int) h & mask;
            while (to[slot] != 0) { // a stored sentence is never empty, so its end is never 0
                if (hash[slot] == h
                        && to[slot] - from[slot] == e - s
                        && Arrays.equals(text, from[slot], to[slot], text, s, e)) {
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
            long[] hs = hash;
            from = new int[f.length * 2];
            to = new int[f.length * 2];
            hash = new long[f.length * 2];
            int mask = from.length - 1;
            for (int i = 0; i < f.length; i++) {
                if (t[i] != 0) {
                    int slot = (int) hs[i] & mask;
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
