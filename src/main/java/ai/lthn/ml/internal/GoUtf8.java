package ai.lthn.ml.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Go's view of UTF-8 bytes: {@code utf8.Valid}, and decoding in which every byte that does not
 * start a valid sequence becomes one U+FFFD, as Go's {@code encoding/json} and {@code for range}
 * read invalid text. The JDK's decoder replaces a maximal ill-formed subpart with one U+FFFD
 * instead ({@code E2 82 41} gives one replacement in Java, two in Go), so byte-for-byte parity
 * with go-ml needs this.
 */
public final class GoUtf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** 0x01 in every byte of a long: with {@link #HIGH_BITS}, the eight-bytes-at-a-time tests. */
    public static final long ONES = 0x0101010101010101L;

    /** 0x80 in every byte of a long. */
    public static final long HIGH_BITS = 0x8080808080808080L;

    private GoUtf8() {}

    /** Whether {@code b[from, to)} is valid UTF-8 as Go's {@code utf8.Valid} defines it. */
    public static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            // ASCII fast path: eight bytes at a time
            while (i + 8 <= to && (word(b, i) & HIGH_BITS) == 0) i += 8;
            if (i >= to) return true;
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int size = validSequence(b, i, to);
            if (size == 0) return false;
            i += size;
        }
        return true;
    }

    /** The eight bytes at {@code b[i]} as a long, the first in the low byte. */
    public static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /**
     * Go's case-insensitive fold onto ASCII lower case of the character at {@code b[p]}, as its
     * {@code (?i)} and {@code encoding/json}'s key matching apply it: A–Z to a–z, ſ (U+017F) to
     * {@code s}, the Kelvin sign (U+212A) to {@code k}, other ASCII as it is; 0 for any other
     * character (or a byte inside one). The character's length is {@link #foldedLength}.
     */
    public static int foldToAscii(byte[] b, int p, int to) {
        int c = b[p] & 0xFF;
        if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
        if (c == 0xC5 && p + 1 < to && b[p + 1] == (byte) 0xBF) return 's';
        if (c == 0xE2 && p + 2 < to && b[p + 1] == (byte) 0x84 && b[p + 2] == (byte) 0xAA) return 'k';
        return 0;
    }

    /** The byte length of a character {@link #foldToAscii} folded: 1, 2 (ſ) or 3 (Kelvin sign). */
    public static int foldedLength(byte[] b, int p) {
        int c = b[p] & 0xFF;
        return c < 0x80 ? 1 : c == 0xC5 ? 2 : 3;
    }

    /**
     * The index of the first {@code c} in {@code b[from, to)}, or -1; eight bytes at a time.
     */
    public static int indexOf(byte[] b, int from, int to, byte c) {
        long pattern = (c & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = word(b, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGH_BITS;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    /**
     * Decodes {@code b[from, to)} as Go does: valid sequences as they are, each other byte as
     * U+FFFD.
     */
    public static String decode(byte[] b, int from, int to) {
        if (isValid(b, from, to)) return new String(b, from, to - from, StandardCharsets.UTF_8);
        return new Utf8Chars().set(b, from, to).toString();
    }

    /**
     * The length of the valid multi-byte sequence starting at {@code b[i]} (a non-ASCII byte), or
     * 0 when none starts there: no overlong forms, no surrogates, nothing above U+10FFFF.
     */
    public static int validSequence(byte[] b, int i, int to) {
        int c0 = b[i] & 0xFF;
        if (c0 >= 0xC2 && c0 <= 0xDF) {
            return i + 1 < to && isCont(b[i + 1]) ? 2 : 0;
        }
        if (c0 >= 0xE0 && c0 <= 0xEF) {
            if (i + 2 >= to) return 0;
            int c1 = b[i + 1] & 0xFF;
            int lo = c0 == 0xE0 ? 0xA0 : 0x80;
            int hi = c0 == 0xED ? 0x9F : 0xBF;
            return c1 >= lo && c1 <= hi && isCont(b[i + 2]) ? 3 : 0;
        }
        if (c0 >= 0xF0 && c0 <= 0xF4) {
            if (i + 3 >= to) return 0;
            int c1 = b[i + 1] & 0xFF;
            int lo = c0 == 0xF0 ? 0x90 : 0x80;
            int hi = c0 == 0xF4 ? 0x8F : 0xBF;
            return c1 >= lo && c1 <= hi && isCont(b[i + 2]) && isCont(b[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    /**
     * The byte length of the Unicode white space (Go's {@code unicode.IsSpace}) that starts at
     * {@code b[i]}, or 0 when none starts there.
     */
    public static int spaceLength(byte[] b, int i, int to) {
        int c0 = b[i] & 0xFF;
        if (c0 < 0x80) return isAsciiSpace(c0) ? 1 : 0;
        if (c0 == 0xC2) { // U+0085, U+00A0
            return i + 1 < to && (b[i + 1] == (byte) 0x85 || b[i + 1] == (byte) 0xA0) ? 2 : 0;
        }
        if (c0 < 0xE1 || c0 > 0xE3 || i + 2 >= to) return 0;
        int c1 = b[i + 1] & 0xFF;
        int c2 = b[i + 2] & 0xFF;
        boolean space = switch (c0) {
            case 0xE1 -> c1 == 0x9A && c2 == 0x80; // U+1680
            case 0xE2 ->
                (c1 == 0x80
                                && (c2 <= 0x8A && c2 >= 0x80 // U+2000..U+200A
                                        || c2 == 0xA8
                                        || c2 == 0xA9
                                        || c2 == 0xAF)) // U+2028, U+2029, U+202F
                        || (c1 == 0x81 && c2 == 0x9F); // U+205F
            default -> c1 == 0x80 && c2 == 0x80; // U+3000
        };
        return space ? 3 : 0;
    }

    /** Go's {@code strings.TrimSpace}, leading half, on UTF-8 bytes: the first index not trimmed. */
    public static int trimStart(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int n = spaceLength(b, i, to);
            if (n == 0) break;
            i += n;
        }
        return i;
    }

    /** Go's {@code strings.TrimSpace}, trailing half, on UTF-8 bytes: the end of what is kept. */
    public static int trimEnd(byte[] b, int from, int to) {
        int i = to;
        while (i > from) {
            int c = b[i - 1] & 0xFF;
            if (c < 0x80) {
                if (!isAsciiSpace(c)) break;
                i--;
            } else if (i - 2 >= from && spaceLength(b, i - 2, i) == 2) {
                i -= 2;
            } else if (i - 3 >= from && spaceLength(b, i - 3, i) == 3) {
                i -= 3;
            } else {
                break;
            }
        }
        return i;
    }

    /** Go's ASCII white space ({@code \t \n \v \f \r} and space), as {@code unicode.IsSpace} has it below 0x80. */
    public static boolean isAsciiSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isCont(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
