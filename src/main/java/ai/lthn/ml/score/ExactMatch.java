package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoRegex;
import ai.lthn.ml.score.internal.GoStrconv;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * go-ml's GSM8K exact-match scorer: takes the number after {@code ####}, else the last number
 * preceded by start of text, whitespace or {@code =}; drops commas; parses both with Go's
 * {@code strconv.ParseFloat} rules; correct when they differ by less than 0.01. Thread-safe.
 */
public final class ExactMatch {
    /** go-ml's first choice; {@link #extract} scans for it by hand (the test's oracle). */
    static final Pattern HASH_ANSWER = GoRegex.compile("####\\s*([\\d,.\\-]+)");

    /** go-ml's second choice, its last match; {@link #extract} scans for it by hand (the test's oracle). */
    static final Pattern LAST_NUMBER = GoRegex.compile("(?:^|[\\s=])(-?[\\d,]+(?:\\.\\d+)?)");

    private ExactMatch() {}

    /**
     * The number go-ml takes from {@code response}: {@link #HASH_ANSWER}'s group in its first match,
     * else {@link #LAST_NUMBER}'s in its last, else "". Scanned by hand with the patterns' exact
     * meaning (Go's leftmost-first matching, ASCII {@code \s} and {@code \d}): a regex engine
     * trying {@code LAST_NUMBER} at every character cost ~30 µs for a 2 KB response, a fifth of
     * {@code ml score}'s default run. {@code ExactMatchTest} holds the scan to the patterns.
     */
    static String extract(String response) {
        int n = response.length();
        // HASH_ANSWER: the first "####" followed by white space and at least one of [\d,.\-]
        for (int p = response.indexOf("####"); p >= 0; p = response.indexOf("####", p + 1)) {
            int q = p + 4;
            while (q < n && isSpace(response.charAt(q))) q++;
            int e = q;
            while (e < n && isHashAnswerChar(response.charAt(e))) e++;
            if (e > q) return response.substring(q, e);
        }
        // LAST_NUMBER: successive non-overlapping matches; the last one's group
        int from = -1;
        int to = -1;
        int p = 0;
        while (p < n) {
            int end = -1;
            int q = -1;
            if (p == 0) { // the first alternative: ^ (nothing consumed)
                q = 0;
                end = number(response, q);
            }
            if (end < 0 && isPrefix(response.charAt(p))) { // the second: one of [\s=]
                q = p + 1;
                end = number(response, q);
            }
            if (end < 0) {
                p++;
                continue;
            }
            from = q;
            to = end;
            p = end; // the next search starts where this match ended (it is never empty)
        }
        return from < 0 ? "" : response.substring(from, to);
    }

    /** The end of {@code -?[\d,]+(?:\.\d+)?} matched greedily at {@code q}, or -1. */
    private static int number(String s, int q) {
        int n = s.length();
        int i = q < n && s.charAt(q) == '-' ? q + 1 : q; // without the '-', [\d,] cannot match it
        int e = i;
        while (e < n && isDigitOrComma(s.charAt(e))) e++;
        if (e == i) return -1;
        if (e + 1 < n && s.charAt(e) == '.' && isDigit(s.charAt(e + 1))) {
            e += 2;
            while (e < n && isDigit(s.charAt(e))) e++;
        }
        return e;
    }

    /** Go's {@code \s}: ASCII white space without the vertical tab. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean isPrefix(char c) {
        return isSpace(c) || c == '=';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigitOrComma(char c) {
        return isDigit(c) || c == ',';
    }

    private static boolean isHashAnswerChar(char c) {
        return isDigitOrComma(c) || c == '.' || c == '-';
    }

    /**
     * The outcome of one comparison.
     *
     * @param correct whether the extracted number equals the expected one within 0.01
     * @param extracted the number text taken from the response, commas kept; "" when none
     * @param expected the expected answer as given
     */
    public record Result(boolean correct, String extracted, String expected) {
        /**
         * Validates.
         *
         * @param correct whether the extracted number equals the expected one within 0.01
         * @param expected the expected answer as given
         * @param extracted the number text taken from the response, commas kept; "" when none
         */
        public Result {
            Objects.requireNonNull(extracted, "extracted");
            Objects.requireNonNull(expected, "expected");
        }
    }

    /**
     * Scores a response against the correct answer.
     *
     *
     * @param response the model's reply
     * @param correctAnswer the correct answer
     * @return the extracted and expected answers, and whether they match
     * @throws NullPointerException if an argument is null
     */
    public static Result score(String response, String correctAnswer) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(correctAnswer, "correctAnswer");
        if (response.isEmpty() || response.startsWith("ERROR")) {
            return new Result(false, "", correctAnswer);
        }
        String extracted = extract(response);
        if (extracted.isEmpty()) {
            return new Result(false, "", correctAnswer);
        }
        OptionalDouble got = GoStrconv.parseFloat(extracted.replace(",", ""));
        OptionalDouble want = GoStrconv.parseFloat(correctAnswer.replace(",", ""));
        boolean correct =
                got.isPresent() && want.isPresent() && Math.abs(want.getAsDouble() - got.getAsDouble()) < 0.01;
        return new Result(correct, extracted, correctAnswer);
    }
}
