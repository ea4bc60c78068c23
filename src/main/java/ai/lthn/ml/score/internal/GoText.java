package ai.lthn.ml.score.internal;

import java.nio.charset.StandardCharsets;

/** Text helpers that reproduce Go's byte-oriented string functions on Java strings. */
public final class GoText {
    private GoText() {}

    /** Go's {@code unicode.IsSpace}: Unicode White_Space. */
    public static boolean isSpace(int c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r');
        }
        if (c < 0x85) {
            return false;
        }
        switch (c) {
            case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                return true;
            default:
                return c >= 0x2000 && c <= 0x200A;
        }
    }

    /** Go's {@code strings.TrimSpace}. */
    public static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int c = s.codePointAt(start);
            if (!isSpace(c)) {
                break;
            }
            start += Character.charCount(c);
        }
        while (end > start) {
            int c = s.codePointBefore(end);
            if (!isSpace(c)) {
                break;
            }
            end -= Character.charCount(c);
        }
        return s.substring(start, end);
    }

    /** Number of fields {@code strings.Fields} would return. */
    public static int countFields(String s) {
        return countFields(s, Integer.MAX_VALUE);
    }

    /**
     * Number of fields {@code strings.Fields} would return, counting stopped once it exceeds
     * {@code atMost} (then {@code atMost + 1}).
     */
    public static int countFields(String s, int atMost) {
        // Every Go space is one BMP char that is not a surrogate, so testing chars is testing runes.
        int n = 0;
        boolean inField = false;
        for (int i = 0, len = s.length(); i < len; i++) {
            if (isSpace(s.charAt(i))) {
                inField = false;
            } else if (!inField) {
                inField = true;
                n++;
                if (n > atMost) {
                    return n;
                }
            }
        }
        return n;
    }

    /** UTF-8 byte length of the chars {@code [from, to)}; a lone surrogate counts as U+FFFD (3 bytes). */
    public static int utf8Length(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** UTF-8 byte length of {@code s}. */
    public static int utf8Length(CharSequence s) {
        return utf8Length(s, 0, s.length());
    }

    /**
     * Go's {@code strings.ToLower}: per-rune simple lower-case mapping; a lone surrogate (invalid
     * in Go) becomes U+FFFD.
     */
    public static String toLower(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            int l = Character.isSurrogate((char) c) && n == 1 ? 0xFFFD : Character.toLowerCase(c);
            if (l != c && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                b.appendCodePoint(l);
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }

    /**
     * Go's {@code s[:maxBytes]} decoded back the way Go's JSON encoder shows it: whole runes
     * kept, each byte of a rune cut in half becomes one U+FFFD.
     */
    public static String prefixBytes(String s, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            int len = utf8Length(s, i, i + n);
            if (bytes + len > maxBytes) {
                return s.substring(0, i) + "\uFFFD".repeat(maxBytes - bytes);
            }
            bytes += len;
            i += n;
        }
        return s;
    }

    /**
     * The string Go would hold: lone surrogates (which a Go JSON decoder or UTF-8 conversion turns
     * into U+FFFD) replaced by U+FFFD. Returns {@code s} itself when it has none.
     */
    public static String goString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired =
                        Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return replaceLoneSurrogates(s);
                }
                i++;
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** Go's {@code []byte(s)}: UTF-8 with lone surrogates as U+FFFD. */
    public static byte[] utf8(String s) {
        return goString(s).getBytes(StandardCharsets.UTF_8);
    }
}
