package ai.lthn.ml.internal;

/**
 * UTF-8 bytes as the characters a {@link java.util.regex.Matcher} reads, decoded into a buffer
 * this object keeps from one text to the next: matching a pattern against a stretch of a byte
 * array needs no {@code String} per stretch. Decodes as Go does (each byte of an invalid sequence
 * is U+FFFD; the library's one such decoder, {@link GoUtf8#decode} uses it); for valid UTF-8 the
 * characters are {@code new String(b, from, to - from, UTF_8)}'s. Not thread-safe: one per thread, and a text is valid until the next
 * {@link #set}.
 */
public final class Utf8Chars implements CharSequence {
    private char[] chars = new char[128];
    private int length;

    /**
     * Decodes {@code b[from, to)} into this sequence, replacing what it held.
     *
     * @return this
     */
    public Utf8Chars set(byte[] b, int from, int to) {
        if (chars.length < to - from) chars = new char[Math.max(to - from, chars.length * 2)];
        char[] c = chars;
        int n = 0;
        int i = from;
        while (i < to) {
            int c0 = b[i];
            if (c0 >= 0) {
                c[n++] = (char) c0;
                i++;
                continue;
            }
            int size = GoUtf8.validSequence(b, i, to);
            switch (size) {
                case 2 -> c[n++] = (char) (((c0 & 0x1F) << 6) | (b[i + 1] & 0x3F));
                case 3 -> c[n++] = (char) (((c0 & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                case 4 -> {
                    int cp = ((c0 & 0x07) << 18)
                            | ((b[i + 1] & 0x3F) << 12)
                            | ((b[i + 2] & 0x3F) << 6)
                            | (b[i + 3] & 0x3F);
                    c[n++] = Character.highSurrogate(cp);
                    c[n++] = Character.lowSurrogate(cp);
                }
                default -> {
                    c[n++] = '\uFFFD';
                    size = 1;
                }
            }
            i += size;
        }
        length = n;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) throw new IndexOutOfBoundsException(index);
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        java.util.Objects.checkFromToIndex(start, end, length);
        return new String(chars, start, end - start);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
