package ai.lthn.ml.score.internal;

/** Test text shown in assertion messages: printable ASCII as is, every other code point as its hex number in braces. */
public final class Escapes {
    private Escapes() {}

    /**
     * The text with every code point outside printable ASCII as backslash, u and its hex number in
     * braces.
     *
     * @param s the text
     * @return the escaped text
     */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= 32 && c < 127) {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("\\u{%X}", c));
            }
        });
        return b.toString();
    }
}
