package ai.lthn.ml.cli;

/** Text from input files made safe to print on a terminal. */
final class Terminal {
    private Terminal() {}

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
            if (isControl(c)) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
