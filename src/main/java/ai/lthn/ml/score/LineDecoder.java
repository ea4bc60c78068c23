package ai.lthn.ml.score;

import ai.lthn.ml.internal.GoUtf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link ResponseReader}: one pass over a line's bytes that finds the fields of a
 * response without building anything, so that the heuristic scorer can read the response text
 * where it lies (or, when it holds escapes, from one reused buffer) and only the strings a caller
 * asks for are made. It accepts only the plain shape — one object; known fields (keys without
 * escapes) holding strings or {@code null}, a number or {@code null} for {@code elapsed_seconds}; unknown fields holding any JSON value, which is checked and skipped; valid
 * UTF-8; nothing after the object — and declines everything else (a syntax error, a wrong type, an
 * escaped key, another root value, invalid UTF-8, nesting deeper than {@value #MAX_DEPTH}), so that
 * the data-binding path decides those lines with today's rules and wording. Keys are matched as Go
 * matches them (any case, ſ for s, K for k), a repeated field keeps its last value and {@code null}
 * changes nothing — where data binding differs (it ignores a ſ/K key and lets {@code null} clear a
 * field), this path has Go's answer. On every other line it accepts both give equal responses
 * ({@code LineDecoderTest} compares them). Escapes are read as Go reads them: a {@code \\u} surrogate that is not the first half of
 * a pair followed by its second half is U+FFFD.
 *
 * <p>Not thread-safe: one per thread, reused line after line.
 */
final class LineDecoder {
    /** Field names, lower case, in the order of {@link Response}'s components. */
    private static final byte[][] NAMES = {
        ascii("id"),
        ascii("domain"),
        ascii("prompt"),
        ascii("response"),
        ascii("model"),
        ascii("elapsed_seconds"),
        ascii("correct_answer"),
        ascii("best_answer"),
        ascii("risk_area")
    };

    static final int ID = 0;
    static final int DOMAIN = 1;
    static final int PROMPT = 2;
    static final int RESPONSE = 3;
    static final int MODEL = 4;
    static final int ELAPSED = 5;
    static final int CORRECT_ANSWER = 6;
    static final int BEST_ANSWER = 7;
    static final int RISK_AREA = 8;

    private static final int MAX_DEPTH = 64;

    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    /** Thrown inside a decode for a line that is not of the plain shape; never escapes. */
    private static final class Decline extends RuntimeException {
        Decline() {
            super(null, null, false, false);
        }
    }

    private static final Decline DECLINE = new Decline();

    private byte[] line;
    private int end;
    private int pos;
    private final int[] valueFrom = new int[NAMES.length];
    private final int[] valueTo = new int[NAMES.length];
    /** Bit per field holding a string; bit per field whose string holds a backslash. */
    private int strings;

    private int escaped;
    private double elapsed;

    private byte[] unescaped = new byte[4096];

    /** Where the last {@link #utf8} put the text: {@code bytes()[bytesFrom(), bytesTo())}. */
    private byte[] textBytes;

    private int textFrom;
    private int textTo;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the line {@code b[from, to)} (Go-trimmed, not blank).
     *
     * @return whether it is of the plain shape; when not, nothing may be read from this decoder
     *     until the next successful decode
     */
    boolean decode(byte[] b, int from, int to) {
        line = b;
        end = to;
        pos = from;
        strings = 0;
        escaped = 0;
        elapsed = 0;
        try {
            object();
            return true;
        } catch (Decline e) {
            return false;
        }
    }

    private void object() {
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                member();
                skipSpace();
                byte c = next();
                if (c == '}') break;
                if (c != ',') throw DECLINE;
                skipSpace();
            }
        }
        skipSpace();
        if (pos != end) throw DECLINE;
    }

    private void member() {
        expect('"');
        int keyFrom = pos;
        while (true) {
            byte c = next();
            if (c == '"') break;
            if (c == '\\' || (c >= 0 && c < 0x20)) throw DECLINE; // escaped keys: data binding
            if (c < 0) {
                int n = GoUtf8.validSequence(line, pos - 1, end);
                if (n == 0) throw DECLINE;
                pos += n - 1;
            }
        }
        int field = field(keyFrom, pos - 1);
        skipSpace();
        expect(':');
        skipSpace();
        if (field < 0) {
            skipValue(0);
            return;
        }
        // A repeated field: the last value wins, and null changes nothing (Go's rules).
        byte c = peek();
        if (c == 'n') {
            literal("null");
        } else if (field == ELAPSED) {
            int f = pos;
            number();
            elapsed = elapsedValue(f, pos);
        } else if (c == '"') {
            pos++;
            valueFrom[field] = pos;
            if (string()) escaped |= 1 << field;
            else escaped &= ~(1 << field);
            valueTo[field] = pos - 1;
            strings |= 1 << field;
        } else {
            throw DECLINE;
        }
    }

    /**
     * The known field the key bytes {@code [from, to)} name, or -1. As Go's {@code encoding/json}
     * matches keys: ASCII letters in any case, and ſ (U+017F) for {@code s} and the Kelvin sign
     * (U+212A) for {@code k} (the two non-ASCII characters that fold onto ASCII letters).
     */
    private int field(int from, int to) {
        for (int f = 0; f < NAMES.length; f++) {
            byte[] name = NAMES[f];
            int k = from;
            int i = 0;
            while (i < name.length && k < to && GoUtf8.foldToAscii(line, k, to) == name[i]) {
                k += GoUtf8.foldedLength(line, k);
                i++;
            }
            if (i == name.length && k == to) return f;
        }
        return -1;
    }

    /**
     * Reads a string's contents after its opening quote, up to and past its closing quote,
     * checking escapes and UTF-8.
     *
     * @return whether it holds a backslash escape
     */
    private boolean string() {
        byte[] b = line;
        int to = end;
        boolean esc = false;
        int i = pos;
        while (true) {
            // Eight bytes at a time while none is a quote, a backslash, a control byte or non-ASCII.
            while (i + 8 <= to) {
                long x = GoUtf8.word(b, i);
                long q = x ^ QUOTES;
                long e = x ^ BACKSLASHES;
                if (((((q - GoUtf8.ONES) & ~q) | ((e - GoUtf8.ONES) & ~e) | ((x - SPACES) & ~x) | x) & GoUtf8.HIGH_BITS)
                        != 0) break;
                i += 8;
            }
            if (i >= to) throw DECLINE;
            byte c = b[i];
            if (c == '"') {
                pos = i + 1;
                return esc;
            }
            if (c == '\\') {
                esc = true;
                if (i + 1 >= to) throw DECLINE;
                byte e = b[i + 1];
                if (e == 'u') {
                    if (i + 6 > to) throw DECLINE;
                    for (int k = 2; k < 6; k++) {
                        if (hex(b[i + k]) < 0) throw DECLINE;
                    }
                    i += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                        || e == 't') {
                    i += 2;
                } else {
                    throw DECLINE;
                }
            } else if (c >= 0x20) {
                i++;
            } else if (c < 0) {
                int n = GoUtf8.validSequence(b, i, to);
                if (n == 0) throw DECLINE;
                i += n;
            } else {
                throw DECLINE; // a control character: not JSON
            }
        }
    }

    private void skipValue(int depth) {
        byte c = peek();
        switch (c) {
            case '"' -> {
                pos++;
                string();
            }
            case '{' -> {
                if (depth >= MAX_DEPTH) throw DECLINE;
                pos++;
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return;
                }
                while (true) {
                    expect('"');
                    string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    skipValue(depth + 1);
                    skipSpace();
                    byte d = next();
                    if (d == '}') return;
                    if (d != ',') throw DECLINE;
                    skipSpace();
                }
            }
            case '[' -> {
                if (depth >= MAX_DEPTH) throw DECLINE;
                pos++;
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    skipValue(depth + 1);
                    skipSpace();
                    byte d = next();
                    if (d == ']') return;
                    if (d != ',') throw DECLINE;
                    skipSpace();
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /** JSON's number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void number() {
        if (peek() == '-') pos++;
        byte c = next();
        if (c == '0') {
            // no leading zeros
        } else if (c >= '1' && c <= '9') {
            digits();
        } else {
            throw DECLINE;
        }
        if (pos < end && line[pos] == '.') {
            pos++;
            if (!isDigit(next())) throw DECLINE;
            digits();
        }
        if (pos < end && (line[pos] == 'e' || line[pos] == 'E')) {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(next())) throw DECLINE;
            digits();
        }
    }

    private void digits() {
        while (pos < end && isDigit(line[pos])) pos++;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * {@code elapsed_seconds} as Go's {@code strconv.ParseFloat} reads it (both round correctly);
     * out of range (Go's error), underflow and {@code -0} are left to data binding.
     */
    private double elapsedValue(int from, int to) {
        double v = Double.parseDouble(new String(line, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(v)) throw DECLINE;
        if (v == 0) {
            if (Double.doubleToRawLongBits(v) != 0) throw DECLINE; // -0: data binding reads it as 0
            for (int i = from; i < to && line[i] != 'e' && line[i] != 'E'; i++) {
                if (line[i] >= '1' && line[i] <= '9') throw DECLINE;
            }
        }
        return v;
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) throw DECLINE;
        }
    }

    private void skipSpace() {
        while (pos < end) {
            byte c = line[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) throw DECLINE;
        return line[pos];
    }

    private byte next() {
        if (pos >= end) throw DECLINE;
        return line[pos++];
    }

    private void expect(char c) {
        if (next() != c) throw DECLINE;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** Whether field {@code f} held a string (not absent, not null). */
    boolean has(int f) {
        return (strings & (1 << f)) != 0;
    }

    /** {@code elapsed_seconds}, 0 when absent. */
    double elapsed() {
        return elapsed;
    }

    /** Field {@code f} as a string, "" when absent or null. */
    String string(int f) {
        if (!has(f)) return "";
        utf8(f);
        return new String(textBytes, textFrom, textTo - textFrom, StandardCharsets.UTF_8);
    }

    /**
     * Puts field {@code f}'s text, as the UTF-8 bytes of the Go string, at {@link #bytes()}
     * {@code [}{@link #bytesFrom()}{@code , }{@link #bytesTo()}{@code )}: the line itself when it
     * holds no escape, else a buffer this decoder reuses (valid until the next call of this method
     * or of {@link #string}).
     */
    void utf8(int f) {
        if (!has(f)) {
            textBytes = line;
            textFrom = textTo = 0;
        } else if ((escaped & (1 << f)) == 0) {
            textBytes = line;
            textFrom = valueFrom[f];
            textTo = valueTo[f];
        } else {
            textTo = unescape(valueFrom[f], valueTo[f]);
            textBytes = unescaped; // after the unescape, which may grow the array
            textFrom = 0;
        }
    }

    byte[] bytes() {
        return textBytes;
    }

    int bytesFrom() {
        return textFrom;
    }

    int bytesTo() {
        return textTo;
    }

    /** Unescapes {@code line[from, to)} (checked by {@link #string}) into {@link #unescaped}. */
    private int unescape(int from, int to) {
        // Each escape is at least as long as its UTF-8 (\\uXXXX: 6 bytes for at most 3; a pair: 12 for 4).
        if (unescaped.length < to - from) unescaped = new byte[Math.max(to - from, unescaped.length * 2)];
        byte[] b = line;
        byte[] out = unescaped;
        int w = 0;
        int i = from;
        while (i < to) {
            int run = i;
            while (i < to && b[i] != '\\') i++;
            System.arraycopy(b, run, out, w, i - run);
            w += i - run;
            if (i >= to) break;
            byte e = b[i + 1];
            if (e != 'u') {
                out[w++] = switch (e) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e; // '"', '\\', '/'
                };
                i += 2;
                continue;
            }
            int u = hex4(b, i + 2);
            i += 6;
            if (u >= 0xD800 && u <= 0xDFFF) {
                int low = i + 6 <= to && b[i] == '\\' && b[i + 1] == 'u' ? hex4(b, i + 2) : -1;
                if (u <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                } else {
                    u = 0xFFFD; // Go: a surrogate that is not a pair's first half before its second
                }
            }
            w = putUtf8(out, w, u);
        }
        return w;
    }

    private static int hex4(byte[] b, int i) {
        return hex(b[i]) << 12 | hex(b[i + 1]) << 8 | hex(b[i + 2]) << 4 | hex(b[i + 3]);
    }

    private static int putUtf8(byte[] out, int w, int c) {
        if (c < 0x80) {
            out[w++] = (byte) c;
        } else if (c < 0x800) {
            out[w++] = (byte) (0xC0 | c >> 6);
            out[w++] = (byte) (0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[w++] = (byte) (0xE0 | c >> 12);
            out[w++] = (byte) (0x80 | (c >> 6 & 0x3F));
            out[w++] = (byte) (0x80 | (c & 0x3F));
        } else {
            out[w++] = (byte) (0xF0 | c >> 18);
            out[w++] = (byte) (0x80 | (c >> 12 & 0x3F));
            out[w++] = (byte) (0x80 | (c >> 6 & 0x3F));
            out[w++] = (byte) (0x80 | (c & 0x3F));
        }
        return w;
    }

    /** The whole response, as data binding would give it. */
    Response response() {
        return new Response(
                string(ID),
                string(DOMAIN),
                string(PROMPT),
                string(RESPONSE),
                string(MODEL),
                elapsed,
                string(CORRECT_ANSWER),
                string(BEST_ANSWER),
                string(RISK_AREA));
    }

    /** The UTF-8 bytes of field {@code f}, a copy (tests). */
    byte[] copyUtf8(int f) {
        utf8(f);
        return Arrays.copyOfRange(textBytes, textFrom, textTo);
    }
}
