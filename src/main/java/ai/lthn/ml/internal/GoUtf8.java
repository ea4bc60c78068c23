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
    private static final long HIGH_BITS = 0x8080808080808080L;

    private GoUtf8() {}

    /** Whether {@code b[from, to)} is valid UTF-8 as Go's {@code utf8.Valid} defines it. */
    public static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            // ASCII fast path: eight bytes at a time
            while (i + 8 <= to && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) i += 8;
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

    /**
     * Decodes {@code b[from, to)} as Go does: valid sequences as they are, each other byte as
     * U+FFFD.
     */
    public static String decode(byte[] b, int from, int to) {
        if (isValid(b, from, to)) return new String(b, from, to - from, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int size = validSequence(b, i, to);
            if (size == 0) {
                sb.append('\uFFFD');
                i++;
            } else {
                sb.append(new String(b, i, size, StandardCharsets.UTF_8));
                i += size;
            }
        }
        return sb.toString();
    }

    /**
     * The length of the valid multi-byte sequence starting at {@code b[i]} (a non-ASCII byte), or
     * 0 when none starts there: no overlong forms, no surrogates, nothing above U+10FFFF.
     */
    private static int validSequence(byte[] b, int i, int to) {
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

    private static boolean isCont(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
