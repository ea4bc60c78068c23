package ai.lthn.ml.score.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One-pass scanner for go-ml's word-list heuristics ({@code (?i)\b(...)\b} patterns of words and
 * short phrases). Valid for any text without U+017F (ſ) or U+212A (Kelvin sign): then Go's
 * {@code (?i)} only folds ASCII letters, and a match is a run of whole ASCII word tokens with
 * exact separators between them. Immutable and thread-safe.
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

    private WordScanner(JsonNode r) {
        List<Phrase> phrases = new ArrayList<>();
        List<int[]> singles = new ArrayList<>(); // {group, wordId}
        alternation(r.get("metaphor").asText(), METAPHOR, phrases, singles);
        alternation(r.get("ethical_framework").asText(), ETHICAL, phrases, singles);
        alternation(r.get("tech_depth").asText(), TECH, phrases, singles);
        for (JsonNode e : r.get("emotion")) {
            alternation(e.asText(), EMOTION, phrases, singles);
        }
        String verbs = r.get("first_person_verbs").asText();
        String verbPrefix = "(?i)\\bI\\s+(";
        if (!verbs.startsWith(verbPrefix) || !verbs.endsWith(")\\b")) {
            throw new IllegalStateException("unexpected first-person verb pattern: " + verbs);
        }
        for (String v : verbs.substring(verbPrefix.length(), verbs.length() - 3).split("\\|")) {
            singles.add(new int[] {VERB, id(v)});
        }
        id("i");
        int g = COMPLIANCE_BASE;
        for (JsonNode c : r.get("compliance")) {
            String p = c.asText();
            if (!p.startsWith("(?i)\\b") || !p.endsWith("\\b")) {
                throw new IllegalStateException("unexpected compliance pattern: " + p);
            }
            for (String alt : expand(p.substring(6, p.length() - 2))) {
                phrases.add(phrase(g, alt));
            }
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
    private void alternation(String p, int group, List<Phrase> phrases, List<int[]> singles) {
        if (!p.startsWith("(?i)\\b(") || !p.endsWith(")\\b")) {
            throw new IllegalStateException("unexpected word-list pattern: " + p);
        }
        for (String alt : p.substring(7, p.length() - 3).split("\\|")) {
            Phrase ph = phrase(group, alt);
            if (ph.words().length == 1) {
                singles.add(new int[] {group, ph.words()[0]});
            } else {
                phrases.add(ph);
            }
        }
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

    /** Whether {@link #scan} is exact for {@code text}. */
    public static boolean applicable(String text) {
        return text.indexOf('\u017F') < 0 && text.indexOf('\u212A') < 0;
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

    /** Scans {@code text}; the caller must have checked {@link #applicable}. */
    public Result scan(String text) {
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

    private static boolean spaceGap(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\f' && c != '\r') {
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
