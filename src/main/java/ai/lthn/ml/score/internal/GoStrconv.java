package ai.lthn.ml.score.internal;

import java.util.OptionalDouble;

/** Go's {@code strconv.ParseFloat(s, 64)}: its syntax, its range errors, correct rounding. */
public final class GoStrconv {
    private GoStrconv() {}

    /** The parsed value, or empty where Go returns an error (syntax or overflow). */
    public static OptionalDouble parseFloat(String s) {
        if (s.isEmpty()) {
            return OptionalDouble.empty();
        }
        OptionalDouble special = special(s);
        if (special != null) {
            return special;
        }
        int i = 0;
        int n = s.length();
        boolean neg = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            neg = s.charAt(0) == '-';
            i++;
        }
        int bodyStart = i;
        boolean hex = false;
        if (i + 2 <= n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            hex = true;
            i += 2;
        }
        boolean sawDot = false;
        boolean sawDigits = false;
        boolean underscores = false;
        StringBuilder mant = new StringBuilder();
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == '_') {
                underscores = true;
            } else if (c == '.') {
                if (sawDot) {
                    break;
                }
                sawDot = true;
                mant.append(c);
            } else if ((c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) {
                sawDigits = true;
                mant.append(c);
            } else {
                break;
            }
        }
        if (!sawDigits) {
            return OptionalDouble.empty();
        }
        String exp = "";
        boolean sawExp = false;
        if (i < n && Character.toLowerCase(s.charAt(i)) == (hex ? 'p' : 'e')) {
            sawExp = true;
            i++;
            if (i >= n) {
                return OptionalDouble.empty();
            }
            StringBuilder e = new StringBuilder();
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                e.append(s.charAt(i));
                i++;
            }
            if (i >= n || s.charAt(i) < '0' || s.charAt(i) > '9') {
                return OptionalDouble.empty();
            }
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c == '_') {
                    underscores = true;
                } else if (c >= '0' && c <= '9') {
                    e.append(c);
                } else {
                    break;
                }
            }
            exp = e.toString();
        }
        if (hex && !sawExp) {
            return OptionalDouble.empty();
        }
        if (i != n) {
            return OptionalDouble.empty();
        }
        if (underscores && !underscoreOk(s.substring(bodyStart))) {
            return OptionalDouble.empty();
        }
        String normalized = (hex ? "0x" : "") + mant + (sawExp ? (hex ? "p" : "e") + clampExponent(exp) : "");
        if (hex && normalized.startsWith("0x.") && normalized.length() == 3) {
            return OptionalDouble.empty();
        }
        double v;
        try {
            v = Double.parseDouble(normalized);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
        if (Double.isInfinite(v)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(neg ? -v : v);
    }

    private static String clampExponent(String exp) {
        // Java's parser copes with long exponents itself; strip leading zeros so huge zero-padded
        // exponents stay parseable.
        String sign = exp.startsWith("-") || exp.startsWith("+") ? exp.substring(0, 1) : "";
        String digits = exp.substring(sign.length()).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 9) {
            digits = "999999999";
        }
        return sign + digits;
    }

    private static OptionalDouble special(String s) {
        int i = 0;
        int sign = 1;
        char c0 = s.charAt(0);
        if (c0 == '+' || c0 == '-') {
            sign = c0 == '-' ? -1 : 1;
            i = 1;
            String rest = s.substring(1).toLowerCase(java.util.Locale.ROOT);
            return rest.equals("inf") || rest.equals("infinity")
                    ? OptionalDouble.of(sign * Double.POSITIVE_INFINITY)
                    : null;
        }
        String lower = s.substring(i);
        if (lower.equalsIgnoreCase("inf") || lower.equalsIgnoreCase("infinity")) {
            return OptionalDouble.of(Double.POSITIVE_INFINITY);
        }
        if (lower.equalsIgnoreCase("nan")) {
            return OptionalDouble.of(Double.NaN);
        }
        char f = Character.toLowerCase(c0);
        if (f == 'i' || f == 'n') {
            return OptionalDouble.empty();
        }
        return null;
    }

    /** Underscores only between digits, or between a base prefix and a digit. */
    private static boolean underscoreOk(String s) {
        char saw = '^';
        int i = 0;
        if (s.length() >= 2 && s.charAt(0) == '0' && Character.toLowerCase(s.charAt(1)) == 'x') {
            i = 2;
            saw = '0';
        }
        boolean hex = i == 2;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean digit = (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (digit) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }
}
