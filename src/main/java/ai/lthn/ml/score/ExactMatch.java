package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoRegex;
import ai.lthn.ml.score.internal.GoStrconv;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * go-ml's GSM8K exact-match scorer: takes the number after {@code ####}, else the last number
 * preceded by start of text, whitespace or {@code =}; drops commas; parses both with Go's
 * {@code strconv.ParseFloat} rules; correct when they differ by less than 0.01. Thread-safe.
 */
public final class ExactMatch {
    private static final Pattern HASH_ANSWER = GoRegex.compile("####\\s*([\\d,.\\-]+)");
    private static final Pattern LAST_NUMBER = GoRegex.compile("(?:^|[\\s=])(-?[\\d,]+(?:\\.\\d+)?)");

    private ExactMatch() {}

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
        String extracted = "";
        Matcher hash = HASH_ANSWER.matcher(response);
        if (hash.find()) {
            extracted = hash.group(1);
        } else {
            Matcher last = LAST_NUMBER.matcher(response);
            while (last.find()) {
                extracted = last.group(1);
            }
        }
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
