package ai.lthn.ml.cli;

/** Text from input files made safe to print on a terminal, and the command line's columns. */
final class Terminal {
    private Terminal() {}

    /**
     * {@code w} with every {@code printf}/{@code format} in {@link java.util.Locale#ROOT}, so the
     * command line prints go-ml's numbers ({@code 1.50}, ASCII digits) whatever the user's locale
     * (under a German one {@code %.2f} printed {@code 1,50}). It flushes at each line, as the
     * writers of {@link Main#main} do, and reports their errors ({@code checkError}).
     */
    static java.io.PrintWriter rootLocale(java.io.PrintWriter w) {
        return new java.io.PrintWriter(w, true) {
            @Override
            public java.io.PrintWriter format(String format, Object... args) {
                return super.format(java.util.Locale.ROOT, format, args);
            }
        };
    }

    /** {@code s} padded with spaces on the right to {@code width} chars ({@code %-<width>s}). */
    static String left(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code s} padded with spaces on the left to {@code width} chars ({@code %<width>s}). */
    static String right(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /**
     * {@code s} with control characters (C0, DEL, C1: ANSI escape sequences among them) shown as
     * {@code \\uXXXX}, so a model name or id from a file cannot move the cursor, clear the screen
     * or forge output lines.
     */
    static String safe(String s) {
        int i = 0;
        while (i < s.length() && !isControl(s.charAt(i))) i++;
        if (i == s.length()) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
