package ai.lthn.ml.server;

/** Client-supplied text made safe for a log line or an error message. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {}

    /**
     * {@code s} with control characters shown as {@code %XX} (so {@code %0d%0a} in a path cannot
     * forge a log line) and cut to 200 characters.
     */
    static String clip(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (sb.length() >= MAX) {
                sb.append("...(").append(s.length()).append(" chars)");
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029')
                sb.append(String.format("%%%02X", (int) c & 0xFF));
            else sb.append(c);
        }
        return sb.toString();
    }
}
