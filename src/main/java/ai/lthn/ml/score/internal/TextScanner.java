package ai.lthn.ml.score.internal;

import ai.lthn.ml.internal.GoUtf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One pass over a response's UTF-8 bytes (a Go string) that gathers everything go-ml's heuristic
 * scorer reads from the text: the word-list heuristics ({@code (?i)\b(...)\b} patterns of words
 * and short phrases) with Go's regexp results, and the structure the other heuristics need —
 * where the sentences end ({@code .}), how many lines there are and how many are short, how many
 * {@code strings.Fields} fields, whether {@code ##}/{@code **} or {@code <pad>}/{@code <unused}
 * occur. Working on the bytes is working as Go does: lengths are byte lengths, and Go's regexp
 * reads the same bytes.
 *
 * <p>Word lists: text without U+017F (ſ) or U+212A (Kelvin sign) takes the token path — there Go's
 * {@code (?i)} only folds ASCII letters, and a match is a run of whole ASCII word tokens with exact
 * separators between them. Text with either takes {@link #scanFolded}: Go's {@code (?i)} folds ſ
 * to {@code s} and K to {@code k} inside a pattern, while its {@code \b} stays ASCII (both are
 * non-word characters), so a match may start or end inside a run of letters.
 *
 * <p>Immutable and thread-safe; a {@link Result} holds one scan's output and its working arrays
 * and may be reused by one thread for scan after scan.
 */
public final class TextScanner {
    /** Group ids. */
    private static final int METAPHOR = 0;

    private static final int ETHICAL = 1;
    private static final int TECH = 2;
    private static final int EMOTION = 3;
    private static final int VERB = 4;
    private static final int COMPLIANCE_BASE = 5;

    /** Byte classes of the one pass. */
    private static final byte OTHER = 0;

    private static final byte WORD = 1;
    private static final byte SPACE = 2;
    private static final byte NEWLINE = 3;
    private static final byte DOT = 4;
    private static final byte HASH = 5;
    private static final byte STAR = 6;
    private static final byte LT = 7;
    private static final byte HIGH = 8;

    private static final byte[] CLASS = new byte[256];
    /** ASCII lower case of each byte (other bytes as they are). */
    private static final byte[] LOWER = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            LOWER[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            if (c >= 0x80) CLASS[c] = HIGH;
            else if (isWord((char) c)) CLASS[c] = WORD;
            else if (c == '\n') CLASS[c] = NEWLINE;
            else if (GoUtf8.isAsciiSpace(c)) CLASS[c] = SPACE;
            else if (c == '.') CLASS[c] = DOT;
            else if (c == '#') CLASS[c] = HASH;
            else if (c == '*') CLASS[c] = STAR;
            else if (c == '<') CLASS[c] = LT;
        }
    }

    private static final byte[] PAD = "<pad>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNUSED = "<unused".getBytes(StandardCharsets.US_ASCII);

    // After the tables above: the constructor reads them.
    /** The scanner for go-ml's heuristic patterns (resource {@code heuristic-patterns.json}). */
    public static final TextScanner HEURISTIC = new TextScanner(HeuristicRules.patterns());

    /** A phrase: words (lower case) and the exact separators between them. */
    private record Phrase(int group, int[] words, byte[][] seps) {}

    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final int[] tableHash;
    private final int[] tableId;
    private final byte[][] tableWord;
    private final int mask;
    /** Per word id: bit per group for single-word membership (emotion counted per group). */
    private final int[] singleGroups;

    private final int[] emotionWeight;
    /** Per word id: phrases starting with it, in alternation order. */
    private final Phrase[][] phrasesByFirst;

    private final int groups;
    private final int maxLen;
    private final int iId;

    /** go-ml's word-list patterns as literal alternations, in alternation order (folded path). */
    private final List<Alternation> compliancePatterns = new ArrayList<>();

    private final List<Alternation> emotionPatterns = new ArrayList<>();
    private final Alternation metaphorPattern;
    private final Alternation ethicalPattern;
    private final Alternation techPattern;
    private final Alternation verbList;
    /** Every word-list alternation, one array so that the folded path has one call site. */
    private final Alternation[] foldedPatterns;
    /** Per ASCII character: the indexes of the alternations with an alternative starting with it. */
    private final int[][] patternsByFirst;

    private TextScanner(Map<String, List<String>> r) {
        List<Phrase> phrases = new ArrayList<>();
        List<int[]> singles = new ArrayList<>(); // {group, wordId}
        metaphorPattern = alternation(HeuristicRules.single(r, "metaphor"), METAPHOR, phrases, singles);
        ethicalPattern = alternation(HeuristicRules.single(r, "ethical_framework"), ETHICAL, phrases, singles);
        techPattern = alternation(HeuristicRules.single(r, "tech_depth"), TECH, phrases, singles);
        for (String e : r.get("emotion")) {
            emotionPatterns.add(alternation(e, EMOTION, phrases, singles));
        }
        String verbs = HeuristicRules.single(r, "first_person_verbs");
        String verbPrefix = "(?i)\\bI\\s+(";
        if (!verbs.startsWith(verbPrefix) || !verbs.endsWith(")\\b")) {
            throw new IllegalStateException("unexpected first-person verb pattern: " + verbs);
        }
        List<String> verbAlternatives =
                List.of(verbs.substring(verbPrefix.length(), verbs.length() - 3).split("\\|"));
        for (String v : verbAlternatives) {
            singles.add(new int[] {VERB, id(v)});
        }
        verbList = new Alternation(verbAlternatives, VERB, 1);
        id("i");
        int g = COMPLIANCE_BASE;
        for (String p : r.get("compliance")) {
            if (!p.startsWith("(?i)\\b") || !p.endsWith("\\b")) {
                throw new IllegalStateException("unexpected compliance pattern: " + p);
            }
            List<String> alternatives = expand(p.substring(6, p.length() - 2));
            for (String alt : alternatives) {
                phrases.add(phrase(g, alt));
            }
            compliancePatterns.add(new Alternation(alternatives, g, Integer.MAX_VALUE));
            g++;
        }
        groups = g;
        List<Alternation> all = new ArrayList<>(compliancePatterns);
        all.add(metaphorPattern);
        all.add(ethicalPattern);
        all.add(techPattern);
        all.addAll(emotionPatterns);
        foldedPatterns = all.toArray(new Alternation[0]);
        patternsByFirst = new int[128][];
        for (int c = 0; c < 128; c++) {
            int[] withC = new int[foldedPatterns.length];
            int n2 = 0;
            for (int k = 0; k < foldedPatterns.length; k++) {
                if (foldedPatterns[k].byFirst[c] != null) withC[n2++] = k;
            }
            if (n2 > 0) patternsByFirst[c] = Arrays.copyOf(withC, n2);
        }
        int n = ids.size();
        singleGroups = new int[n];
        emotionWeight = new int[n];
        List<List<Phrase>> byFirst = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byFirst.add(new ArrayList<>());
        }
        for (int[] s : singles) {
            singleGroups[s[1]] |= 1 << s[0];
            if (s[0] == EMOTION) {
                emotionWeight[s[1]]++;
            }
        }
        for (Phrase p : phrases) {
            byFirst.get(p.words()[0]).add(p);
        }
        phrasesByFirst = new Phrase[n][];
        for (int i = 0; i < n; i++) {
            phrasesByFirst[i] = byFirst.get(i).toArray(new Phrase[0]);
        }
        iId = ids.get("i");
        int size = Integer.highestOneBit(n * 4) * 2;
        mask = size - 1;
        tableHash = new int[size];
        tableId = new int[size];
        tableWord = new byte[size][];
        java.util.Arrays.fill(tableId, -1);
        int longest = 0;
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            byte[] w = e.getKey().getBytes(StandardCharsets.US_ASCII);
            longest = Math.max(longest, w.length);
            int h = hash(w, 0, w.length);
            int slot = h & mask;
            while (tableId[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            tableHash[slot] = h;
            tableId[slot] = e.getValue();
            tableWord[slot] = w;
        }
        maxLen = longest;
    }

    /**
     * The table hash of the word {@code w[from, to)} (ASCII word bytes, any case): its length and
     * its first, second and last bytes, so that the scan computes it once per word instead of per
     * byte ({@link #lookup} compares the whole word). {@code | 0x20} lower-cases letters and leaves
     * digits alone; it maps {@code _} to one other value, the same for table and text.
     */
    private static int hash(byte[] w, int from, int to) {
        int h = (to - from) * 0x9E3779B1
                ^ (w[from] | 0x20) * 0x85EBCA6B
                ^ (w[from + (to - from > 1 ? 1 : 0)] | 0x20) * 0xC2B2AE35
                ^ (w[to - 1] | 0x20) * 0x27D4EB2F;
        return h ^ (h >>> 15);
    }

    private int id(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (int i = 0; i < w.length(); i++) {
            if (!isWord(w.charAt(i))) {
                throw new IllegalStateException("not a word: " + word);
            }
        }
        return ids.computeIfAbsent(w, k -> ids.size());
    }

    /** Splits a literal phrase into ASCII word tokens and the exact separators between them. */
    private Phrase phrase(int group, String text) {
        List<Integer> words = new ArrayList<>();
        List<String> seps = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int s = i;
            while (i < text.length() && isWord(text.charAt(i))) {
                i++;
            }
            if (s == i) {
                throw new IllegalStateException("phrase must start and end with word characters: " + text);
            }
            words.add(id(text.substring(s, i)));
            int g = i;
            while (i < text.length() && !isWord(text.charAt(i))) {
                char c = text.charAt(i);
                if (Character.isLetter(c) || c == '\\' || "()|?*+[].^$".indexOf(c) >= 0) {
                    throw new IllegalStateException("unsupported syntax in phrase: " + text);
                }
                i++;
            }
            if (g < i) {
                if (i == text.length()) {
                    throw new IllegalStateException("phrase must end with a word character: " + text);
                }
                seps.add(text.substring(g, i));
            }
        }
        byte[][] sepBytes = new byte[seps.size()][];
        for (int k = 0; k < sepBytes.length; k++) {
            sepBytes[k] = seps.get(k).getBytes(StandardCharsets.US_ASCII);
        }
        return new Phrase(group, words.stream().mapToInt(Integer::intValue).toArray(), sepBytes);
    }

    /** Parses {@code (?i)\b(alt|alt)\b} into phrases/singles of one group. */
    private Alternation alternation(String p, int group, List<Phrase> phrases, List<int[]> singles) {
        if (!p.startsWith("(?i)\\b(") || !p.endsWith(")\\b")) {
            throw new IllegalStateException("unexpected word-list pattern: " + p);
        }
        List<String> alternatives = List.of(p.substring(7, p.length() - 3).split("\\|"));
        for (String alt : alternatives) {
            Phrase ph = phrase(group, alt);
            if (ph.words().length == 1) {
                singles.add(new int[] {group, ph.words()[0]});
            } else {
                phrases.add(ph);
            }
        }
        return new Alternation(
                alternatives, group, group == METAPHOR || group == TECH ? 3 : group == ETHICAL ? 1 : Integer.MAX_VALUE);
    }

    /** Expands one level of {@code (a|b)} groups into literal alternatives. */
    static List<String> expand(String body) {
        int open = body.indexOf('(');
        if (open < 0) {
            return List.of(body);
        }
        int close = body.indexOf(')', open);
        List<String> out = new ArrayList<>();
        for (String alt : body.substring(open + 1, close).split("\\|", -1)) {
            for (String rest : expand(body.substring(close + 1))) {
                out.add(body.substring(0, open) + alt + rest);
            }
        }
        return out;
    }

    static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isWordByte(byte c) {
        return CLASS[c & 0xFF] == WORD;
    }

    /** Whether the one-pass token scan is exact for {@code text} (no ſ, no Kelvin sign). */
    static boolean foldFree(String text) {
        return text.indexOf(LONG_S) < 0 && text.indexOf(KELVIN) < 0;
    }

    /** What one scan found; reusable by one thread (each scan starts by clearing it). */
    public static final class Result {
        /** Compliance matches (all patterns). */
        public int compliance;
        /** Metaphor matches, capped at 3. */
        public int metaphor;
        /** Whether an ethical-framework word occurs. */
        public boolean ethical;
        /** Technical words, capped at 3. */
        public int tech;
        /** Emotional words (uncapped). */
        public int emotion;
        /** Indexes (split on '.') of sentences holding "I" + whitespace + agency verb. */
        public final BitSet verbSentences = new BitSet();
        /** Byte offsets of the {@code '.'} bytes, the first {@link #dotCount} entries. */
        public int[] dots = new int[32];
        /** The number of {@code '.'} bytes. */
        public int dotCount;
        /** Lines ({@code strings.Split} on {@code \n}). */
        public int lines;
        /** Lines under 60 bytes. */
        public int shortLines;
        /** {@code strings.Fields} count (Go's Unicode white space separates fields). */
        public int fields;
        /** Whether {@code ##} or {@code **} occurs. */
        public boolean heading;
        /** Whether {@code <pad>} or {@code <unused} occurs. */
        public boolean padOrUnused;
        /** Whether ſ or the Kelvin sign occurs (the word lists then took the folded path). */
        public boolean folded;

        // Known word tokens of the token path: start, end, word id, sentence, ordinal among all words.
        int[] tokStart = new int[64];
        int[] tokEnd = new int[64];
        int[] tokId = new int[64];
        int[] tokSentence = new int[64];
        int[] tokOrdinal = new int[64];
        int[] nextFree = new int[0];
        // Candidate starts of the folded path and their sentences.
        int[] starts = new int[64];
        int[] startSentence = new int[64];
        int[] foldNext = new int[0];
        int[] foldHits = new int[0];

        void clear() {
            compliance = 0;
            metaphor = 0;
            ethical = false;
            tech = 0;
            emotion = 0;
            verbSentences.clear();
            dotCount = 0;
            lines = 0;
            shortLines = 0;
            fields = 0;
            heading = false;
            padOrUnused = false;
            folded = false;
        }

        void growTokens() {
            int cap = tokStart.length * 2;
            tokStart = Arrays.copyOf(tokStart, cap);
            tokEnd = Arrays.copyOf(tokEnd, cap);
            tokId = Arrays.copyOf(tokId, cap);
            tokSentence = Arrays.copyOf(tokSentence, cap);
            tokOrdinal = Arrays.copyOf(tokOrdinal, cap);
        }
    }

    /**
     * Scans {@code text} with go-ml's word-list patterns, Go's regexp semantics.
     *
     * @param text the response (lone surrogates read as U+FFFD, as Go reads them)
     * @return what the scan found
     */
    public Result scan(String text) {
        byte[] b = GoText.utf8(text);
        return scan(b, 0, b.length, new Result());
    }

    /**
     * Scans {@code b[from, to)}, valid UTF-8, into {@code r}.
     *
     * @return {@code r}
     */
    public Result scan(byte[] b, int from, int to, Result r) {
        pass(b, from, to, r);
        if (r.folded) {
            scanFolded(b, from, to, r);
        }
        return r;
    }

    /** The token path even for text holding ſ/K (tests compare it with the folded path). */
    Result scanTokens(String text) {
        byte[] b = GoText.utf8(text);
        Result r = new Result();
        pass(b, 0, b.length, r);
        return r;
    }

    /** The folded path even for text without ſ/K (tests compare it with the token path). */
    Result scanFolded(String text) {
        byte[] b = GoText.utf8(text);
        Result r = new Result();
        pass(b, 0, b.length, r);
        scanFolded(b, 0, b.length, r);
        return r;
    }

    /**
     * The one pass: structure, and the word lists on the token path (exact when no ſ/K occurs;
     * {@link Result#folded} says whether one did).
     */
    private void pass(byte[] b, int from, int to, Result r) {
        r.clear();
        final byte[] cls = CLASS;
        int count = 0;
        int sentence = 0;
        int ordinal = 0;
        int lines = 1;
        int shortLines = 0;
        int lineStart = from;
        int fields = 0;
        boolean inField = false;
        boolean folded = false;
        boolean heading = false;
        boolean pad = false;
        int dotCount = 0;
        int[] dots = r.dots;
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            byte k = cls[c];
            if (k == WORD) {
                if (!inField) {
                    inField = true;
                    fields++;
                }
                int s = i;
                while (++i < to && cls[b[i] & 0xFF] == WORD) {
                    // to the end of the word
                }
                ordinal++;
                if (i - s <= maxLen) {
                    int id = lookup(b, s, i, hash(b, s, i));
                    if (id >= 0) {
                        if (count == r.tokStart.length) r.growTokens();
                        r.tokStart[count] = s;
                        r.tokEnd[count] = i;
                        r.tokId[count] = id;
                        r.tokSentence[count] = sentence;
                        r.tokOrdinal[count] = ordinal;
                        count++;
                    }
                }
                continue;
            }
            if (k == SPACE) { // the commonest byte between words: no switch
                inField = false;
                i++;
                continue;
            }
            switch (k) {
                case NEWLINE -> {
                    inField = false;
                    if (i - lineStart < 60) shortLines++;
                    lines++;
                    lineStart = i + 1;
                }
                case HIGH -> {
                    int space = c == 0xC2 || (c >= 0xE1 && c <= 0xE3) ? GoUtf8.spaceLength(b, i, to) : 0;
                    if (space > 0) {
                        inField = false;
                        i += space;
                        continue;
                    }
                    if (!inField) {
                        inField = true;
                        fields++;
                    }
                    if ((c == 0xC5 && i + 1 < to && b[i + 1] == (byte) 0xBF)
                            || (c == 0xE2 && i + 2 < to && b[i + 1] == (byte) 0x84 && b[i + 2] == (byte) 0xAA)) {
                        folded = true;
                    }
                }
                default -> {
                    if (!inField) {
                        inField = true;
                        fields++;
                    }
                    if (k == DOT) {
                        if (dotCount == dots.length) dots = r.dots = Arrays.copyOf(dots, dotCount * 2);
                        dots[dotCount++] = i;
                        sentence++;
                    } else if (k == HASH) {
                        heading |= i + 1 < to && b[i + 1] == '#';
                    } else if (k == STAR) {
                        heading |= i + 1 < to && b[i + 1] == '*';
                    } else if (k == LT) {
                        pad |= startsWith(b, i, to, PAD) || startsWith(b, i, to, UNUSED);
                    }
                }
            }
            i++;
        }
        if (to - lineStart < 60) shortLines++;
        r.dotCount = dotCount;
        r.lines = lines;
        r.shortLines = shortLines;
        r.fields = fields;
        r.heading = heading;
        r.padOrUnused = pad;
        r.folded = folded;
        matchTokens(b, r, count);
    }

    private static boolean startsWith(byte[] b, int i, int to, byte[] w) {
        return to - i >= w.length && Arrays.equals(b, i, i + w.length, w, 0, w.length);
    }

    /** The word lists over the known tokens of {@link #pass}. */
    private void matchTokens(byte[] b, Result r, int count) {
        if (r.nextFree.length != groups) r.nextFree = new int[groups];
        int[] nextFree = r.nextFree;
        Arrays.fill(nextFree, 0);
        int[] start = r.tokStart;
        int[] end = r.tokEnd;
        int[] wid = r.tokId;
        int[] ord = r.tokOrdinal;
        int[] sent = r.tokSentence;
        for (int t = 0; t < count; t++) {
            int id = wid[t];
            int sg = singleGroups[id];
            // Metaphor alternation: phrases are tried before single words (go-ml's order puts all
            // phrases first), non-overlapping.
            boolean metaphorPhrase = false;
            for (Phrase p : phrasesByFirst[id]) {
                if (t < nextFree[p.group()] || !matches(p, b, t, count, start, end, wid, ord)) {
                    continue;
                }
                nextFree[p.group()] = t + p.words().length;
                switch (p.group()) {
                    case METAPHOR -> {
                        r.metaphor++;
                        metaphorPhrase = true;
                    }
                    case ETHICAL -> r.ethical = true;
                    case TECH -> r.tech++;
                    case EMOTION -> r.emotion++;
                    default -> r.compliance++;
                }
            }
            if ((sg & (1 << METAPHOR)) != 0 && !metaphorPhrase && t >= nextFree[METAPHOR]) {
                r.metaphor++;
                nextFree[METAPHOR] = t + 1;
            }
            if ((sg & (1 << ETHICAL)) != 0) {
                r.ethical = true;
            }
            if ((sg & (1 << TECH)) != 0) {
                r.tech++;
            }
            r.emotion += emotionWeight[id];
            if ((sg & (1 << VERB)) != 0
                    && t > 0
                    && wid[t - 1] == iId
                    && ord[t - 1] == ord[t] - 1
                    && sent[t - 1] == sent[t]
                    && spaceGap(b, end[t - 1], start[t])) {
                r.verbSentences.set(sent[t]);
            }
        }
        r.metaphor = Math.min(r.metaphor, 3);
        r.tech = Math.min(r.tech, 3);
    }

    private static final char LONG_S = '\u017F';
    private static final char KELVIN = '\u212A';

    /**
     * A literal alternation {@code (?i)\b(a|b|...)\b}: the alternatives (lower case ASCII) grouped
     * by their first character, each group in alternation order (leftmost-first picks the first one
     * that matches at a position).
     */
    private static final class Alternation {
        private final byte[][][] byFirst = new byte[128][][];
        /** The group it counts for, and the most matches that matter. */
        final int group;

        final int cap;

        Alternation(List<String> alternatives, int group, int cap) {
            this.group = group;
            this.cap = cap;
            List<List<byte[]>> lists = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                lists.add(new ArrayList<>());
            }
            for (String a : alternatives) {
                String w = a.toLowerCase(Locale.ROOT);
                if (w.isEmpty() || w.charAt(0) >= 128 || !isWord(w.charAt(0))) {
                    throw new IllegalStateException("alternative must start with an ASCII word character: " + a);
                }
                for (int i = 0; i < w.length(); i++) {
                    if (w.charAt(i) >= 128) {
                        throw new IllegalStateException("non-ASCII alternative: " + a);
                    }
                }
                lists.get(w.charAt(0)).add(w.getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < 128; i++) {
                if (!lists.get(i).isEmpty()) {
                    byFirst[i] = lists.get(i).toArray(new byte[0][]);
                }
            }
        }

        /**
         * The byte length of the first alternative matching at {@code p} and ending at a word
         * boundary, or -1.
         */
        int matchAt(byte[] b, int from, int to, int p) {
            int f = GoUtf8.foldToAscii(b, p, to);
            byte[][] alts = f > 0 ? byFirst[f & 0x7F] : null;
            if (alts != null) {
                for (byte[] w : alts) {
                    int len = literalAt(b, p, to, w);
                    if (len > 0 && boundary(b, from, to, p + len)) {
                        return len;
                    }
                }
            }
            return -1;
        }
    }

    /**
     * The byte length of the match of {@code w} (lower case ASCII) at {@code b[p]} under Go's
     * {@code (?i)}, or -1.
     */
    private static int literalAt(byte[] b, int p, int to, byte[] w) {
        int q = p;
        for (byte want : w) {
            if (q >= to) {
                return -1;
            }
            if (want >= 'a' && want <= 'z') {
                if (GoUtf8.foldToAscii(b, q, to) != want) {
                    return -1;
                }
                q += GoUtf8.foldedLength(b, q);
            } else {
                if (b[q] != want) {
                    return -1;
                }
                q++;
            }
        }
        return q - p;
    }

    /** Go's ASCII {@code \b} at byte {@code p} of {@code b[from, to)}. */
    private static boolean boundary(byte[] b, int from, int to, int p) {
        boolean before = p > from && isWordByte(b[p - 1]);
        boolean after = p < to && isWordByte(b[p]);
        return before != after;
    }

    /**
     * The word lists for text holding ſ or the Kelvin sign: each pattern is searched as Go's regexp
     * does (leftmost-first, non-overlapping), but only at the positions where a match can start — a
     * word boundary before a character that folds onto an ASCII word character.
     */
    private void scanFolded(byte[] b, int from, int to, Result r) {
        int count = foldedStarts(b, from, to, r);
        int[] starts = r.starts;
        int[] sentenceOf = r.startSentence;
        // Each alternation is searched on its own (leftmost-first, non-overlapping, up to its cap),
        // but all of them in one walk over the starts: at each start only the alternations with an
        // alternative beginning with that letter are tried.
        int patterns = foldedPatterns.length;
        if (r.foldNext.length != patterns) {
            r.foldNext = new int[patterns];
            r.foldHits = new int[patterns];
        }
        int[] next = r.foldNext;
        int[] hits = r.foldHits;
        Arrays.fill(next, 0);
        Arrays.fill(hits, 0);
        for (int k = 0; k < count; k++) {
            int p = starts[k];
            int[] candidates = patternsByFirst[GoUtf8.foldToAscii(b, p, to)];
            if (candidates == null) continue;
            for (int g : candidates) {
                Alternation a = foldedPatterns[g];
                if (p < next[g] || hits[g] >= a.cap) continue;
                int len = a.matchAt(b, from, to, p);
                if (len > 0) {
                    hits[g]++;
                    next[g] = p + len;
                }
            }
        }
        r.compliance = 0;
        r.metaphor = 0;
        r.ethical = false;
        r.tech = 0;
        r.emotion = 0;
        for (int g = 0; g < patterns; g++) {
            switch (foldedPatterns[g].group) {
                case METAPHOR -> r.metaphor = hits[g];
                case ETHICAL -> r.ethical = hits[g] > 0;
                case TECH -> r.tech = hits[g];
                case EMOTION -> r.emotion += hits[g];
                default -> r.compliance += hits[g];
            }
        }
        // (?i)\bI\s+(verbs)\b, asked per sentence: any start in the sentence will do.
        r.verbSentences.clear();
        for (int k = 0; k < count; k++) {
            int p = starts[k];
            if (GoUtf8.foldToAscii(b, p, to) != 'i') {
                continue;
            }
            int q = p + 1;
            while (q < to && isRegexSpace(b[q])) {
                q++;
            }
            if (q > p + 1 && q < to && verbList.matchAt(b, from, to, q) > 0) {
                r.verbSentences.set(sentenceOf[k]);
            }
        }
    }

    /**
     * The positions where a word-list match can start in text holding ſ/K — a word boundary before
     * a character that folds onto an ASCII word character — into {@link Result#starts}, with the
     * sentence of each; returns how many.
     */
    private static int foldedStarts(byte[] b, int from, int to, Result r) {
        int[] starts = r.starts;
        int[] sentenceOf = r.startSentence;
        int count = 0;
        int sentence = 0;
        for (int p = from; p < to; p++) {
            if (b[p] == '.') {
                sentence++;
                continue;
            }
            int f = GoUtf8.foldToAscii(b, p, to);
            if (f != 0 && isWord((char) f) && boundary(b, from, to, p)) {
                if (count == starts.length) {
                    starts = r.starts = Arrays.copyOf(starts, count * 2);
                    sentenceOf = r.startSentence = Arrays.copyOf(sentenceOf, count * 2);
                }
                starts[count] = p;
                sentenceOf[count] = sentence;
                count++;
            }
        }
        return count;
    }

    /** Go's regexp {@code \\s}: {@code [\\t\\n\\f\\r ]} (no vertical tab, unlike {@code unicode.IsSpace}). */
    private static boolean isRegexSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean spaceGap(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isRegexSpace(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Phrase p, byte[] b, int t, int count, int[] start, int[] end, int[] wid, int[] ord) {
        int[] words = p.words();
        if (t + words.length > count) {
            return false;
        }
        for (int k = 1; k < words.length; k++) {
            if (wid[t + k] != words[k] || ord[t + k] != ord[t] + k) {
                return false;
            }
            byte[] sep = p.seps()[k - 1];
            int gapStart = end[t + k - 1];
            if (start[t + k] - gapStart != sep.length
                    || !Arrays.equals(b, gapStart, gapStart + sep.length, sep, 0, sep.length)) {
                return false;
            }
        }
        return true;
    }

    private int lookup(byte[] b, int from, int to, int h) {
        int slot = h & mask;
        while (true) {
            int id = tableId[slot];
            if (id < 0) {
                return -1;
            }
            if (tableHash[slot] == h && equalsLower(tableWord[slot], b, from, to)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean equalsLower(byte[] w, byte[] b, int from, int to) {
        if (w.length != to - from) {
            return false;
        }
        for (int i = 0; i < w.length; i++) {
            if (LOWER[b[from + i] & 0xFF] != w[i]) {
                return false;
            }
        }
        return true;
    }
}
