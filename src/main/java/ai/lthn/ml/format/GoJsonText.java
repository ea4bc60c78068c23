package ai.lthn.ml.format;

import ai.lthn.ml.internal.GoFloats;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The pieces of Go's {@code encoding/json} output that the converters need to match byte for
 * byte: string quoting (HTML-safe, {@code \b} and {@code \f} as Go 1.22+ writes them, lone
 * surrogates as U+FFFD), float64 numbers, and the byte order Go sorts map keys and strings in.
 */
final class GoJsonText {
    /** Go's {@code sort.Strings} order: by UTF-8 bytes, unsigned. */
    static final Comparator<String> BYTE_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJsonText() {}

    /** Appends {@code s} as a quoted JSON string the way Go marshals it. */
    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(out, c);
                default -> {
                    if (c < 0x20) {
                        unicode(out, c);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 15])
                .append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
    }

    /** A float64 as Go's JSON encoder writes it ({@code 160}, {@code 0.05}, {@code -0}, {@code 1e-07}). */
    static String number(double v) {
        if (v == 0 && Double.doubleToRawLongBits(v) != 0) return "-0";
        return GoFloats.format(v);
    }
}
