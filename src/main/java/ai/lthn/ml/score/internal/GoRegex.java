package ai.lthn.ml.score.internal;

import java.util.regex.Pattern;

/**
 * Translates the subset of Go RE2 syntax go-ml's scorers use into a {@link Pattern} that matches
 * exactly what Go matches: ASCII {@code \b \s \d}, {@code .} excluding only {@code \n}, {@code ^}
 * at text start, and {@code (?i)} as Unicode simple case folding of ASCII letters (so {@code ſ}
 * matches {@code s} and the Kelvin sign matches {@code k}, but {@code ı}/{@code İ} do not match
 * {@code i}, unlike Java's {@code UNICODE_CASE}).
 */
public final class GoRegex {
    private GoRegex() {}

    private static final String W = "[A-Za-z0-9_]";
    private static final String WORD_BOUNDARY = "(?:(?<=" + W + ")(?!" + W + ")|(?<!" + W + ")(?=" + W + "))";
    private static final String SPACE_CLASS = "\\t\\n\\f\\r ";

    /** Compiles a Go pattern. */
    public static Pattern compile(String go) {
        return Pattern.compile(translate(go));
    }

    /** Translates a Go pattern to an equivalent Java pattern string. */
    public static String translate(String go) {
        boolean fold = false;
        boolean dotAll = false;
        int i = 0;
        while (go.startsWith("(?", i)
                && go.indexOf(')', i) > 0
                && go.substring(i + 2, go.indexOf(')', i)).matches("[is]+")) {
            String flags = go.substring(i + 2, go.indexOf(')', i));
            fold |= flags.contains("i");
            dotAll |= flags.contains("s");
            i = go.indexOf(')', i) + 1;
        }
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        for (; i < go.length(); i++) {
            char c = go.charAt(i);
            if (c == '\\') {
                char e = go.charAt(++i);
                switch (e) {
                    case 'b' -> {
                        if (inClass) {
                            throw new IllegalArgumentException("\\b in class: " + go);
                        }
                        out.append(WORD_BOUNDARY);
                    }
                    case 's' -> out.append(inClass ? SPACE_CLASS : "[" + SPACE_CLASS + "]");
                    case 'd' -> out.append(inClass ? "0-9" : "[0-9]");
                    case 'n', 't', 'r', 'f' -> out.append('\\').append(e);
                    default -> {
                        if (Character.isLetterOrDigit(e)) {
                            throw new IllegalArgumentException("unsupported escape \\" + e + " in " + go);
                        }
                        out.append('\\').append(e);
                    }
                }
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (fold && Character.isLetter(c)) {
                    throw new IllegalArgumentException("case-folded class unsupported: " + go);
                }
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < go.length() && go.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
            } else if (c == '.') {
                out.append(dotAll ? "(?s:.)" : "[^\\n]");
            } else if (c == '^') {
                out.append("\\A");
            } else if (c == '$') {
                out.append("\\z");
            } else if (fold && Character.isLetter(c)) {
                if (c > 0x7F) {
                    throw new IllegalArgumentException("case-folded non-ASCII letter unsupported: " + go);
                }
                char lo = Character.toLowerCase(c);
                char up = Character.toUpperCase(c);
                out.append('[').append(lo).append(up);
                if (lo == 's') {
                    out.append('\u017F');
                } else if (lo == 'k') {
                    out.append('\u212A');
                }
                out.append(']');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
