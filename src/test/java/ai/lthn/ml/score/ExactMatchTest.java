package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** go-ml's exact_test.go cases, ported, plus Go strconv.ParseFloat and extraction traps. */
class ExactMatchTest {

    static Stream<Arguments> goMlCases() {
        return Stream.of(
                Arguments.of("The answer is #### 42", "42", true, "42"),
                Arguments.of("Let me calculate... the result is 42.0", "42", true, "42.0"),
                Arguments.of("I think it's 43", "42", false, "43"),
                Arguments.of("#### 1,234", "1234", true, "1,234"),
                Arguments.of("No numbers here", "5", false, ""),
                Arguments.of("", "5", false, ""),
                Arguments.of("ERROR: model timeout", "10", false, ""),
                Arguments.of("First 10, then 20, finally 30", "30", true, "30"),
                Arguments.of("The answer is #### -5", "-5", true, "-5"),
                Arguments.of("Result = 3.14", "3.14", true, "3.14"),
                Arguments.of("Steps: 10 + 20 = 30 #### 30 and some trailing 99", "30", true, "30"));
    }

    @ParameterizedTest
    @MethodSource("goMlCases")
    void goMlCases(String response, String answer, boolean correct, String extracted) {
        assertThat(ExactMatch.score(response, answer)).isEqualTo(new ExactMatch.Result(correct, extracted, answer));
    }

    @ParameterizedTest(name = "expected \"{0}\" against #### {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1_000|1000|true", "Inf|5|false", "0x1.5p5|42|true", "5.|5|true", ".5|0.5|true", "' 5'|5|false",
                "'5 '|5|false", "5d|5|false", "5f|5|false", "1e400|5|false", "+5|5|true", "1e-400|0|true"
            })
    void expectedAnswerUsesGoParseFloat(String expected, String got, boolean correct) {
        assertThat(ExactMatch.score("#### " + got, expected).correct()).isEqualTo(correct);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"41.99|42|true", "0.1|0.11|true", "1.01|1|false", "1000|1_000|true", "33|0x1.08p5|true"})
    void toleranceIsStrictlyLessThanOneHundredthInDouble(String got, String expected, boolean correct) {
        assertThat(ExactMatch.score("#### " + got, expected).correct()).isEqualTo(correct);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"$15", "**42**", "(42)", "answer:42", "\\boxed{42}"})
    void lastNumberNeedsStartWhitespaceOrEquals(String response) {
        assertThat(ExactMatch.score(response, "42").extracted()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void verticalTabIsNotGoWhitespace() {
        assertThat(ExactMatch.score("answer:\u000B42", "42").extracted()).isEmpty();
        assertThat(ExactMatch.score("answer:\t42", "42").extracted()).isEqualTo("42");
        assertThat(ExactMatch.score("x=42", "42").correct()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void overflowingNumberIsIncorrect() {
        String big = "9".repeat(400);
        assertThat(ExactMatch.score("#### " + big, big)).isEqualTo(new ExactMatch.Result(false, big, big));
    }

    @org.junit.jupiter.api.Test
    void hashExtractionKeepsOddTextThatFailsToParse() {
        assertThat(ExactMatch.score("#### 1.2.3", "1.2")).isEqualTo(new ExactMatch.Result(false, "1.2.3", "1.2"));
        assertThat(ExactMatch.score("#### -", "0").correct()).isFalse();
    }

    /** What the patterns give, as go-ml took it: the oracle for the hand scan. */
    private static String byRegex(String response) {
        java.util.regex.Matcher hash = ExactMatch.HASH_ANSWER.matcher(response);
        if (hash.find()) return hash.group(1);
        String extracted = "";
        java.util.regex.Matcher last = ExactMatch.LAST_NUMBER.matcher(response);
        while (last.find()) extracted = last.group(1);
        return extracted;
    }

    @org.junit.jupiter.api.Test
    void theHandScanTakesWhatThePatternsTake() {
        String[] pieces = {
            "0",
            "7",
            "42",
            ",",
            ".",
            "-",
            "#",
            "##",
            "####",
            " ",
            "\t",
            "\n",
            "\u000b",
            "\f",
            "\r",
            "=",
            "a",
            "x=",
            "\u00a0",
            "\u2028",
            "\uff15",
            "\u0663",
            "-.",
            "1.",
            ".5",
            "1,2.3",
            "#### ",
            "== -",
            "\ud83d\ude00"
        };
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        int withHash = 0;
        int withNumber = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder();
            int len = rnd.nextInt(12);
            for (int k = 0; k < len; k++) b.append(pieces[rnd.nextInt(pieces.length)]);
            String text = b.toString();
            String want = byRegex(text);
            assertThat(ExactMatch.extract(text)).as("%s", text).isEqualTo(want);
            if (ExactMatch.HASH_ANSWER.matcher(text).find()) withHash++;
            if (!want.isEmpty()) withNumber++;
        }
        assertThat(withHash).as("cases with a #### answer").isGreaterThan(10_000);
        assertThat(withNumber).as("cases with a number").isGreaterThan(50_000);
    }
}
