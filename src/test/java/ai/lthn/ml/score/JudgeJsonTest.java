package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** go-ml's extractJSON cases from judge_test.go, ported, plus fence and brace edge cases. */
class JudgeJsonTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{\"sovereignty\": 8}", "{\"sovereignty\": 8}"),
                Arguments.of("Here's my score: {\"score\": 5} done", "{\"score\": 5}"),
                Arguments.of("some text ```json\n{\"a\":1}\n``` more text", "{\"a\":1}"),
                Arguments.of("text ```\n{\"b\":2}\n``` end", "{\"b\":2}"),
                Arguments.of("no json here at all", ""),
                Arguments.of("", ""),
                Arguments.of(
                        "result: {\"outer\": {\"inner\": 1}, \"val\": 2}", "{\"outer\": {\"inner\": 1}, \"val\": 2}"),
                Arguments.of("{\"a\": \"}\"}", "{\"a\": \"}"),
                Arguments.of("{ never closed", ""),
                Arguments.of("x {\"a\":1} ```json\n{\"b\":2}\n```", "{\"b\":2}"),
                Arguments.of("{\"x\":1} ```json\u000B{\"c\":3}```", "{\"x\":1}"),
                Arguments.of("{\"x\":1} ```json\t{\"c\":3}```", "{\"c\":3}"),
                Arguments.of("```json {\"d\":\n4}\r\n```", "{\"d\":\n4}"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void extractsLikeGoMl(String input, String want) {
        assertThat(JudgeJson.extract(input)).isEqualTo(want);
    }
}
