package ai.lthn.ml.score;

import ai.lthn.ml.internal.GoFloats;
import ai.lthn.ml.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ScorerOutput} byte for byte as {@code Json.goWriter()} does (Go's {@code
 * MarshalIndent} layout, escapes and float format), but the {@code per_prompt} records — nearly
 * all of a score file — by hand: no data binding, no pretty printer, no map per {@code standard}
 * object. {@code metadata} and {@code model_averages} of the usual shape are written by hand too,
 * so that a heuristic run never starts Jackson's data binding; records with judge scores
 * (semantic, content) and other shapes are written by Jackson and indented to their depth.
 * One thread renders ~3.5 GB/s of records, so the file system, not the rendering, is what is
 * left (a pool rendering slices on two cores saved ~10 %, ~3 ms of p200k's 81 MB: not kept).
 */
final class ScoreFileWriter {
    /** The buffer is handed to the stream whenever it holds this much. */
    static final int DRAIN = 64 * 1024;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Bytes 0–127: 0 written as is, else the escape's second character, or 'u' for a six-character escape. */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) ESCAPE[c] = 'u';
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\f'] = 'f';
        ESCAPE['\r'] = 'r';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['<'] = 'u';
        ESCAPE['>'] = 'u';
        ESCAPE['&'] = 'u';
    }

    // a record's fixed text at depth 3, as bytes
    private static final byte[] FIRST_RECORD = ascii("\n      ");
    private static final byte[] NEXT_RECORD = ascii(",\n      ");
    private static final byte[] ID = ascii("{\n        \"id\": ");
    private static final byte[] MODEL = ascii(",\n        \"model\": ");
    private static final byte[][] HEURISTIC = {
        ascii(",\n        \"heuristic\": {\n          \"compliance_markers\": "),
        ascii(",\n          \"formulaic_preamble\": "),
        ascii(",\n          \"first_person\": "),
        ascii(",\n          \"creative_form\": "),
        ascii(",\n          \"engagement_depth\": "),
        ascii(",\n          \"emotional_register\": "),
        ascii(",\n          \"degeneration\": "),
        ascii(",\n          \"empty_broken\": "),
        ascii(",\n          \"lek_score\": ")
    };
    private static final byte[] HEURISTIC_END = ascii("\n        }");
    private static final byte[] STANDARD = ascii(",\n        \"standard\": ");
    private static final byte[] RECORD_END = ascii("\n      }");

    private ScoreFileWriter() {}

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes {@code doc} to {@code out} (not closed), in pieces of about {@link #DRAIN} bytes. */
    static void write(ScorerOutput doc, OutputStream out) throws IOException {
        Buf b = new Buf(DRAIN + 4096);
        b.ascii("{\n  \"metadata\": ");
        if (!metadata(b, doc.metadata())) b.jackson(Json.goWriter().writeValueAsBytes(doc.metadata()), 2);
        b.ascii(",\n  \"model_averages\": ");
        if (!averages(b, doc.modelAverages())) b.jackson(Json.goWriter().writeValueAsBytes(doc.modelAverages()), 2);
        b.ascii(",\n  \"per_prompt\": ");
        if (doc.perPrompt().isEmpty()) {
            b.ascii("{}\n}");
            b.drainTo(out);
            return;
        }
        b.ascii("{");
        boolean firstModel = true;
        for (Map.Entry<String, List<PromptScore>> e : doc.perPrompt().entrySet()) {
            b.ascii(firstModel ? "\n    " : ",\n    ");
            firstModel = false;
            b.string(e.getKey());
            List<PromptScore> list = e.getValue();
            if (list.isEmpty()) {
                b.ascii(": []");
                continue;
            }
            b.ascii(": [");
            if (list instanceof CompactScores compact) {
                records(b, compact, out);
            } else {
                for (int i = 0; i < list.size(); i++) {
                    b.raw(i == 0 ? FIRST_RECORD : NEXT_RECORD);
                    record(b, list.get(i));
                    if (b.size() >= DRAIN) b.drainTo(out);
                }
            }
            b.ascii("\n    ]");
        }
        b.ascii("\n  }\n}");
        b.drainTo(out);
    }

    /**
     * The metadata object at depth 1, by hand when it has the usual shape (every string set, the
     * suites null or named): then a score file is written without Jackson's data binding, whose
     * start-up a one-shot {@code ml score} would otherwise pay at its end.
     *
     * @return false, writing nothing, for another shape (Jackson writes it)
     */
    private static boolean metadata(Buf b, ScorerOutput.Metadata m) {
        if (m == null
                || m.judgeModel() == null
                || m.judgeUrl() == null
                || m.scoredAt() == null
                || m.scorerVersion() == null
                || (m.suites() != null && m.suites().isEmpty())) {
            return false;
        }
        if (m.suites() != null) {
            for (String suite : m.suites()) if (suite == null) return false;
        }
        b.ascii("{\n    \"judge_model\": ");
        b.string(m.judgeModel());
        b.ascii(",\n    \"judge_url\": ");
        b.string(m.judgeUrl());
        b.ascii(",\n    \"scored_at\": ");
        b.string(m.scoredAt());
        b.ascii(",\n    \"scorer_version\": ");
        b.string(m.scorerVersion());
        b.ascii(",\n    \"suites\": ");
        if (m.suites() == null) {
            b.ascii("null");
        } else {
            b.ascii("[");
            for (int i = 0; i < m.suites().size(); i++) {
                b.ascii(i == 0 ? "\n      " : ",\n      ");
                b.string(m.suites().get(i));
            }
            b.ascii("\n    ]");
        }
        b.ascii("\n  }");
        return true;
    }

    /**
     * {@code model_averages} at depth 1, by hand when every model has averages (Jackson writes an
     * empty map, or a null, its own way).
     *
     * @return false, writing nothing, for another shape
     */
    private static boolean averages(Buf b, Map<String, Map<String, Double>> averages) {
        if (averages == null || averages.isEmpty()) return false;
        for (Map.Entry<String, Map<String, Double>> e : averages.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getValue().isEmpty()) return false;
            for (Map.Entry<String, Double> f : e.getValue().entrySet()) {
                if (f.getKey() == null || f.getValue() == null) return false;
            }
        }
        b.ascii("{");
        boolean firstModel = true;
        for (Map.Entry<String, Map<String, Double>> e : averages.entrySet()) {
            b.ascii(firstModel ? "\n    " : ",\n    ");
            firstModel = false;
            b.string(e.getKey());
            b.ascii(": {");
            boolean firstField = true;
            for (Map.Entry<String, Double> f : e.getValue().entrySet()) {
                b.ascii(firstField ? "\n      " : ",\n      ");
                firstField = false;
                b.string(f.getKey());
                b.ascii(": ");
                b.decimal(f.getValue());
            }
            b.ascii("\n    }");
        }
        b.ascii("\n  }");
        return true;
    }

    /**
     * A compact list's records, read from its columns where they are held there (as {@link
     * #record} writes the {@link PromptScore} that {@link CompactScores#get} would make, without
     * making it: no objects, no map lookups while the maps are empty).
     */
    private static void records(Buf b, CompactScores list, OutputStream out) throws IOException {
        Buf name = new Buf(64);
        name.string(list.model());
        byte[] model = java.util.Arrays.copyOf(name.a, name.n);
        int chunkSize = CompactScores.chunkSize();
        for (int index = 0; index < list.size(); index++) {
            b.raw(index == 0 ? FIRST_RECORD : NEXT_RECORD);
            if (list.inColumns(index)) record(b, list.chunk(index), index % chunkSize, model);
            else record(b, list.get(index));
            if (b.size() >= DRAIN) b.drainTo(out);
        }
    }

    /**
     * Record {@code i} of a chunk, {@code model} its model's JSON string. A method of its own, so
     * that the JIT compiles it after a few hundred records (a loop is compiled only after tens of
     * thousands of turns).
     */
    private static void record(Buf b, CompactScores.Chunk c, int i, byte[] model) {
        b.raw(ID);
        b.latin1(c.ids, i == 0 ? 0 : c.idEnd[i - 1], c.idEnd[i]);
        b.raw(MODEL);
        b.raw(model);
        if (c.heuristic[i] == 1) heuristic(b, c.counts, i * 8);
        b.raw(RECORD_END);
    }

    /** The {@code heuristic} object of eight counts at {@code n[o, o + 8)}, with their LEK score. */
    private static void heuristic(Buf b, byte[] n, int o) {
        for (int k = 0; k < 8; k++) {
            b.raw(HEURISTIC[k]);
            b.integer(n[o + k]);
        }
        b.raw(HEURISTIC[8]);
        b.decimal(HeuristicScores.lek(n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], n[o + 5], n[o + 6], n[o + 7]));
        b.raw(HEURISTIC_END);
    }

    /** One {@link PromptScore} at depth 3, as Jackson writes it with {@code NON_NULL}. */
    private static void record(Buf b, PromptScore p) throws IOException {
        if (p.semantic() != null || p.content() != null) {
            b.jackson(Json.goWriter().writeValueAsBytes(p), 6);
            return;
        }
        b.raw(ID);
        b.string(p.id());
        b.raw(MODEL);
        b.string(p.model());
        HeuristicScores h = p.heuristic();
        if (h != null) {
            b.raw(HEURISTIC[0]);
            b.integer(h.complianceMarkers());
            b.raw(HEURISTIC[1]);
            b.integer(h.formulaicPreamble());
            b.raw(HEURISTIC[2]);
            b.integer(h.firstPerson());
            b.raw(HEURISTIC[3]);
            b.integer(h.creativeForm());
            b.raw(HEURISTIC[4]);
            b.integer(h.engagementDepth());
            b.raw(HEURISTIC[5]);
            b.integer(h.emotionalRegister());
            b.raw(HEURISTIC[6]);
            b.integer(h.degeneration());
            b.raw(HEURISTIC[7]);
            b.integer(h.emptyBroken());
            b.raw(HEURISTIC[8]);
            b.decimal(h.lekScore());
            b.raw(HEURISTIC_END);
        }
        StandardScores s = p.standard();
        if (s != null) {
            b.raw(STANDARD);
            standard(b, s);
        }
        b.raw(RECORD_END);
    }

    /** go-ml's {@code StandardScores}: every field {@code omitempty}, a false {@code correct} kept. */
    private static void standard(Buf b, StandardScores s) {
        int start = b.size();
        b.intField(start, "truthfulness", s.truthfulness());
        b.intField(start, "informativeness", s.informativeness());
        b.intField(start, "safety", s.safety());
        b.intField(start, "nuance", s.nuance());
        b.intField(start, "kindness", s.kindness());
        b.intField(start, "awareness", s.awareness());
        if (s.correct() != null) {
            b.fieldName(start, "correct");
            b.ascii(s.correct() ? "true" : "false");
        }
        b.stringField(start, "extracted", s.extracted());
        b.stringField(start, "expected", s.expected());
        b.stringField(start, "reasoning", s.reasoning());
        b.ascii(b.size() == start ? "{}" : "\n        }");
    }

    /** A growable byte buffer with Go's JSON text forms. */
    static final class Buf {
        private byte[] a;
        private int n;

        Buf(int capacity) {
            a = new byte[capacity];
        }

        int size() {
            return n;
        }

        void drainTo(OutputStream out) throws IOException {
            out.write(a, 0, n);
            n = 0;
        }

        private void ensure(int more) {
            if (n + more > a.length) a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + more));
        }

        /** Bytes as they are. */
        void raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, a, n, bytes.length);
            n += bytes.length;
        }

        /** ASCII text as is. */
        void ascii(String s) {
            int len = s.length();
            ensure(len);
            for (int i = 0; i < len; i++) a[n++] = (byte) s.charAt(i);
        }

        /**
         * Jackson's {@code goWriter} text of a value, each line after the first indented by {@code
         * depth} spaces more (a JSON string holds no raw line break, so every one is layout).
         */
        void jackson(byte[] json, int depth) {
            ensure(json.length);
            for (byte x : json) {
                a[n++] = x;
                if (x == '\n') {
                    ensure(depth + json.length);
                    for (int k = 0; k < depth; k++) a[n++] = ' ';
                }
            }
        }

        void integer(int v) {
            ensure(11);
            if (v >= 0 && v < 10) {
                a[n++] = (byte) ('0' + v);
                return;
            }
            digits(v);
        }

        /** The decimal digits of {@code v}, with its sign, written in place (no string made). */
        private void digits(long v) {
            ensure(20);
            if (v < 0) {
                if (v == Long.MIN_VALUE) {
                    ascii(Long.toString(v));
                    return;
                }
                a[n++] = '-';
                v = -v;
            }
            int len = 1;
            for (long t = v; t >= 10; t /= 10) len++;
            for (int k = n + len - 1; k >= n; k--) {
                a[k] = (byte) ('0' + (int) (v % 10));
                v /= 10;
            }
            n += len;
        }

        /** A float64 as Go writes it; the LEK score's halves and whole numbers without {@link GoFloats}. */
        void decimal(double v) {
            double twice = v * 2;
            if (twice == Math.rint(twice) && Math.abs(v) < 1e15 && v != 0) {
                long whole = (long) v; // truncates toward zero: the sign goes with the digits
                if (whole == 0 && v < 0) ascii("-");
                digits(whole);
                if (v != whole) ascii(".5");
            } else {
                ascii(GoFloats.format(v));
            }
        }

        void fieldName(int start, String name) {
            ascii(n == start ? "{\n          \"" : ",\n          \"");
            ascii(name);
            ascii("\": ");
        }

        void intField(int start, String name, int v) {
            if (v == 0) return;
            fieldName(start, name);
            integer(v);
        }

        void stringField(int start, String name, String v) {
            if (v.isEmpty()) return;
            fieldName(start, name);
            string(v);
        }

        /**
         * A JSON string as the Jackson path writes it: Go's escapes ({@code \n \r \t \b \f}, other
         * controls and {@code < > &} as six-character escapes with lower-case hex, U+2028/U+2029 escaped), the rest
         * in UTF-8. A lone surrogate (Go's strings cannot hold one; the reader should not make one)
         * is written as Jackson writes it, escaped with upper-case hex.
         */
        void string(String s) {
            int len = s.length();
            ensure(len * 6 + 2);
            a[n++] = '"';
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    byte e = ESCAPE[c];
                    if (e == 0) {
                        a[n++] = (byte) c;
                    } else if (e == 'u') {
                        escape(c);
                    } else {
                        a[n++] = '\\';
                        a[n++] = e;
                    }
                } else if (c < 0x800) {
                    a[n++] = (byte) (0xc0 | (c >> 6));
                    a[n++] = (byte) (0x80 | (c & 0x3f));
                } else if (c == 0x2028 || c == 0x2029) {
                    escape(c);
                } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    a[n++] = (byte) (0xf0 | (cp >> 18));
                    a[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    a[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    a[n++] = (byte) (0x80 | (cp & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    escape(c); // Jackson's escape for a lone surrogate, with its upper-case hex
                    for (int k = n - 4; k < n; k++) if (a[k] >= 'a') a[k] -= 'a' - 'A';
                } else {
                    a[n++] = (byte) (0xe0 | (c >> 12));
                    a[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    a[n++] = (byte) (0x80 | (c & 0x3f));
                }
            }
            a[n++] = '"';
        }

        /**
         * The JSON string of Latin-1 text {@code s[from, to)} (each byte one character), as
         * {@link #string} writes the same text.
         */
        void latin1(byte[] s, int from, int to) {
            ensure((to - from) * 6 + 2);
            a[n++] = '"';
            for (int i = from; i < to; i++) {
                int c = s[i] & 0xFF;
                if (c >= 0x80) {
                    a[n++] = (byte) (0xc0 | (c >> 6));
                    a[n++] = (byte) (0x80 | (c & 0x3f));
                    continue;
                }
                byte e = ESCAPE[c];
                if (e == 0) {
                    a[n++] = (byte) c;
                } else if (e == 'u') {
                    escape((char) c);
                } else {
                    a[n++] = '\\';
                    a[n++] = e;
                }
            }
            a[n++] = '"';
        }

        private void escape(char c) {
            a[n++] = '\\';
            a[n++] = 'u';
            a[n++] = HEX[c >> 12];
            a[n++] = HEX[(c >> 8) & 0xf];
            a[n++] = HEX[(c >> 4) & 0xf];
            a[n++] = HEX[c & 0xf];
        }
    }
}
