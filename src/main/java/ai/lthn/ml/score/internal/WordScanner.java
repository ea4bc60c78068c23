package ai.lthn.ml.score.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scanner for go-ml's word-list heuristics ({@code (?i)\b(...)\b} patterns of words and short
 * phrases) with Go's regexp results for every text. Text without U+017F (ſ) or U+212A (Kelvin
 * sign) takes one pass over ASCII word tokens: there Go's {@code (?i)} only folds ASCII letters,
 * and a match is a run of whole ASCII word tokens with exact separators between them. Text with
 * either takes {@link #scanFolded}: Go's {@code (?i)} folds ſ to {@code s} and K to {@code k} inside
 * a pattern, while its {@code \b} stays ASCII (both are non-word characters), so a match may start
 * or end inside a run of letters. Immutable and thread-safe.
 */
public final class WordScanner {
    /** The scanner for go-ml's heuristic patterns (resource {@code heuristic-patterns.json}). */
    public static final WordScanner HEURISTIC = new WordScanner(HeuristicRules.resource());

    /** Group ids. */
    private static final int METAPHOR = 0;

    private static final int ETHICAL = 1;
    private static final int TECH = 2;
    private static final int EMOTION = 3;
    private static final int VERB = 4;
    private static final int COMPLIANCE_BASE = 5;

    /** A phrase: words (lower case) and the exact separators between them. */
    private record Phrase(int group, int[] words, String[] seps) {}

    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final int[] tableHash;
    private final int[] tableId;
    private final char[][] tableWord;
    private final int mask;
    /** Per word id: bit per group for single-word membership (emotion counted per group). */
    private final int[] singleGroups;

    private final int[] emotionWeight;
    /** Per word id: phrases starting with it, in alternation order. */
    private final List<List<Phrase>> phrasesByFirst;

    private final int groups;
    private final int maxLen;

    /** go-ml's word-list patterns as literal alternations, in alternation order (folded path). */
    private final List<Alternation> compliancePatterns = new ArrayList<>();

    private final List<Alternation> emotionPatterns = new ArrayList<>();
    private final Alternation metaphorPattern;
    private final Alternation ethicalPattern;
    private final Alternation techPattern;
    private final Alternation verbList;

    private WordScanner(JsonNode r) {
        List<Phrase> phrases = new ArrayList<>();
        List<int[]> singles = new ArrayList<>(); // {group, wordId}
        metaphorPattern = alternation(r.get("metaphor").asText(), METAPHOR, phrases, singles);
        ethicalPattern = alternation(r.get("ethical_framework").asText(), ETHICAL, phrases, singles);
        techPattern = alternation(r.get("tech_depth").asText(), TECH, phrases, singles);
        for (JsonNode e : r.get("emotion")) {
            emotionPatterns.add(alternation(e.asText(), EMOTION, phrases, singles));
        }
        String verbs = r.get("first_person_verbs").asText();
        String verbPrefix = "(?i)\\bI\\s+(";
        if (!verbs.startsWith(verbPrefix) || !verbs.endsWith(")\\b")) {
            throw new IllegalStateException("unexpected first-person verb pattern: " + verbs);
        }
        List<String> verbAlternatives =
                List.of(verbs.substring(verbPrefix.length(), verbs.length() - 3).split("\\|"));
        for (String v : verbAlternatives) {
            singles.add(new int[] {VERB, id(v)});
        }
        verbList = new Alternation(verbAlternatives);
        id("i");
        int g = COMPLIANCE_BASE;
        for (JsonNode c : r.get("compliance")) {
            String p = c.asText();
            if (!p.startsWith("(?i)\\b") || !p.endsWith("\\b")) {
                throw new IllegalStateException("unexpected compliance pattern: " + p);
            }
            List<String> alternatives = expand(p.substring(6, p.length() - 2));
            for (String alt : alternatives) {
                phrases.add(phrase(g, alt));
            }
            compliancePatterns.add(new Alternation(alternatives));
            g++;
        }
        groups = g;
        int n = ids.size();
        singleGroups = new int[n];
        emotionWeight = new int[n];
        phrasesByFirst = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            phrasesByFirst.add(new ArrayList<>());
        }
        for (int[] s : singles) {
            singleGroups[s[1]] |= 1 << s[0];
            if (s[0] == EMOTION) {
                emotionWeight[s[1]]++;
            }
        }
        for (Phrase p : phrases) {
            phrasesByFirst.get(p.words()[0]).add(p);
        }
        int size = Integer.highestOneBit(n * 4) * 2;
        mask = size - 1;
        tableHash = new int[size];
        tableId = new int[size];
        tableWord = new char[size][];
        java.util.Arrays.fill(tableId, -1);
        int longest = 0;
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            char[] w = e.getKey().toCharArray();
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

    private static int hash(char[] w, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = h * 31 + w[i];
        }
        return mix(h);
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
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
        return new Phrase(group, words.stream().mapToInt(Integer::intValue).toArray(), seps.toArray(new String[0]));
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
        return new Alternation(alternatives);
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

    /** Whether the one-pass token scan is exact for {@code text} (no ſ, no Kelvin sign). */
    static boolean foldFree(String text) {
        return text.indexOf(LONG_S) < 0 && text.indexOf(KELVIN) < 0;
    }

    /** Results of one scan. */
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
    }

    /**
     * Scans {@code text} with go-ml's word-list patterns, Go's regexp semantics.
     *
     * @param text the response (a Go string: no unpaired surrogates)
     * @return the counts of every word-list heuristic
     */
    public Result scan(String text) {
        return foldFree(text) ? scanTokens(text) : scanFolded(text);
    }

    /** One pass over ASCII word tokens; exact only when {@link #foldFree}. */
    Result scanTokens(String text) {
        int n = text.length();
        // Tokenise: ASCII word runs; record start, end, word id (-1 unknown), sentence index.
        int cap = 64;
        int[] start = new int[cap];
        int[] end = new int[cap];
        int[] wid = new int[cap];
        int[] sent = new int[cap];
        int count = 0;
        int sentence = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!isWord(c)) {
                if (c == '.') {
                    sentence++;
                }
                i++;
                continue;
            }
            int s = i;
            int h = 0;
            do {
                h = h * 31 + (c >= 'A' && c <= 'Z' ? c + 32 : c);
                i++;
            } while (i < n && isWord(c = text.charAt(i)));
            int id = -1;
            if (i - s <= maxLen) {
                id = lookup(text, s, i, mix(h));
            }
            if (count == cap) {
                cap *= 2;
                start = java.util.Arrays.copyOf(start, cap);
                end = java.util.Arrays.copyOf(end, cap);
                wid = java.util.Arrays.copyOf(wid, cap);
                sent = java.util.Arrays.copyOf(sent, cap);
            }
            start[count] = s;
            end[count] = i;
            wid[count] = id;
            sent[count] = sentence;
            count++;
        }

        Result r = new Result();
        int[] nextFree = new int[groups];
        int iId = ids.get("i");
        for (int t = 0; t < count; t++) {
            int id = wid[t];
            if (id < 0) {
                continue;
            }
            int sg = singleGroups[id];
            // Metaphor alternation: phrases are tried before single words (go-ml's order puts all
            // phrases first), non-overlapping.
            boolean metaphorPhrase = false;
            for (Phrase p : phrasesByFirst.get(id)) {
                if (t < nextFree[p.group()] || !matches(p, text, t, count, start, end, wid)) {
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
                    && sent[t - 1] == sent[t]
                    && spaceGap(text, end[t - 1], start[t])) {
                r.verbSentences.set(sent[t]);
            }
        }
        r.metaphor = Math.min(r.metaphor, 3);
        r.tech = Math.min(r.tech, 3);
        return r;
    }

    private static final char LONG_S = '\u017F';
    private static final char KELVIN = '\u212A';

    /**
     * A literal alternation {@code (?i)\b(a|b|...)\b}: the alternatives (lower case) grouped by
     * their first character, each group in alternation order (leftmost-first picks the first one
     * that matches at a position).
     */
    private static final class Alternation {
        private final char[][][] byFirst = new char[128][][];

        Alternation(List<String> alternatives) {
            List<List<char[]>> lists = new ArrayList<>();
            for (int i = 0; i < 128; i++) {
                lists.add(new ArrayList<>());
            }
            for (String a : alternatives) {
                char[] w = a.toLowerCase(Locale.ROOT).toCharArray();
                if (w.length == 0 || w[0] >= 128 || !isWord(w[0])) {
                    throw new IllegalStateException("alternative must start with an ASCII word character: " + a);
                }
                for (char c : w) {
                    if (c >= 128) {
                        throw new IllegalStateException("non-ASCII alternative: " + a);
                    }
                }
                lists.get(w[0]).add(w);
            }
            for (int i = 0; i < 128; i++) {
                if (!lists.get(i).isEmpty()) {
                    byFirst[i] = lists.get(i).toArray(new char[0][]);
                }
            }
        }

        /**
         * The length of the first alternative matching at {@code p} and ending at a word boundary,
         * or -1.
         */
        int matchAt(String text, int p) {
            char[][] alts = byFirst[fold(text.charAt(p))];
            if (alts != null) {
                for (char[] w : alts) {
                    if (literalAt(text, p, w) && boundary(text, p + w.length)) {
                        return w.length;
                    }
                }
            }
            return -1;
        }

        /** Go's {@code FindAllString} count, at most {@code cap}, over the candidate starts. */
        int count(String text, int[] starts, int n, int cap) {
            int hits = 0;
            int next = 0;
            for (int k = 0; k < n && hits < cap; k++) {
                int p = starts[k];
                if (p < next) {
                    continue;
                }
                int len = matchAt(text, p);
                if (len > 0) {
                    hits++;
                    next = p + len;
                }
            }
            return hits;
        }
    }

    /**
     * Go's {@code (?i)} fold onto ASCII lower case: A–Z, ſ → s, Kelvin sign → k; every other
     * character maps to itself (and 0 when it is outside ASCII, which starts no alternative).
     */
    private static char fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return c == LONG_S ? 's' : c == KELVIN ? 'k' : 0;
    }

    /** Whether {@code w} (lower case) matches {@code text} at {@code p} under Go's {@code (?i)}. */
    private static boolean literalAt(String text, int p, char[] w) {
        if (p + w.length > text.length()) {
            return false;
        }
        for (int i = 0; i < w.length; i++) {
            char c = text.charAt(p + i);
            char want = w[i];
            if (want >= 'a' && want <= 'z' ? fold(c) != want : c != want) {
                return false;
            }
        }
        return true;
    }

    /** Go's ASCII {@code \b} at position {@code p}. */
    private static boolean boundary(String text, int p) {
        boolean before = p > 0 && isWord(text.charAt(p - 1));
        boolean after = p < text.length() && isWord(text.charAt(p));
        return before != after;
    }

    /**
     * The general path, for text holding ſ or the Kelvin sign: each pattern is searched as Go's
     * regexp does (leftmost-first, non-overlapping), but only at the positions where a match can
     * start — a word boundary before a character that folds onto an ASCII word character.
     */
    Result scanFolded(String text) {
        int n = text.length();
        int[] starts = new int[64];
        int[] sentenceOf = new int[64];
        int count = 0;
        int sentence = 0;
        for (int p = 0; p < n; p++) {
            char c = text.charAt(p);
            if (c == '.') {
                sentence++;
                continue;
            }
            char f = fold(c);
            if (f != 0 && isWord(f) && boundary(text, p)) {
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                    sentenceOf = java.util.Arrays.copyOf(sentenceOf, count * 2);
                }
                starts[count] = p;
                sentenceOf[count] = sentence;
                count++;
            }
        }
        Result r = new Result();
        for (Alternation a : compliancePatterns) {
            r.compliance += a.count(text, starts, count, Integer.MAX_VALUE);
        }
        r.metaphor = metaphorPattern.count(text, starts, count, 3);
        r.ethical = ethicalPattern.count(text, starts, count, 1) > 0;
        r.tech = techPattern.count(text, starts, count, 3);
        for (Alternation a : emotionPatterns) {
            r.emotion += a.count(text, starts, count, Integer.MAX_VALUE);
        }
        // (?i)\bI\s+(verbs)\b, asked per sentence: any start in the sentence will do.
        for (int k = 0; k < count; k++) {
            int p = starts[k];
            if (fold(text.charAt(p)) != 'i') {
                continue;
            }
            int q = p + 1;
            while (q < n && isAsciiSpace(text.charAt(q))) {
                q++;
            }
            if (q > p + 1 && q < n && verbList.matchAt(text, q) > 0) {
                r.verbSentences.set(sentenceOf[k]);
            }
        }
        return r;
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean spaceGap(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isAsciiSpace(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Phrase p, String text, int t, int count, int[] start, int[] end, int[] wid) {
        int[] words = p.words();
        if (t + words.length > count) {
            return false;
        }
        for (int k = 1; k < words.length; k++) {
            if (wid[t + k] != words[k]) {
                return false;
            }
            String sep = p.seps()[k - 1];
            int gapStart = end[t + k - 1];
            if (start[t + k] - gapStart != sep.length() || !text.startsWith(sep, gapStart)) {
                return false;
            }
        }
        return true;
    }

    private int lookup(String text, int from, int to, int h) {
        int slot = h & mask;
        while (true) {
            int id = tableId[slot];
            if (id < 0) {
                return -1;
            }
            if (tableHash[slot] == h && equalsLower(tableWord[slot], text, from, to)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean equalsLower(char[] w, String text, int from, int to) {
        if (w.length != to - from) {
            return false;
        }
        for (int i = 0; i < w.length; i++) {
            char c = text.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != w[i]) {
                return false;
            }
        }
        return true;
    }
}
