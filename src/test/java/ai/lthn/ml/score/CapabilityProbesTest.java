package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** go-ml's probes_test.go cases, ported, plus Go-semantics traps in the checks. */
class CapabilityProbesTest {
    private static final Map<String, CapabilityProbe> BY_ID =
            CapabilityProbes.all().stream().collect(Collectors.toMap(CapabilityProbe::id, Function.identity()));

    @Test
    void thereAre23ProbesInGoMlOrder() {
        assertThat(CapabilityProbes.all()).hasSize(23);
        assertThat(CapabilityProbes.all().get(0).id()).isEqualTo("math_01");
        assertThat(CapabilityProbes.all().get(22).id()).isEqualTo("word_02");
        assertThat(BY_ID.get("code_01").prompt())
                .isEqualTo("What does this Python code print?\nx = [1, 2, 3, 4, 5]\nprint(x[1:3])");
        assertThat(BY_ID.get("math_03").answer()).isEqualTo("-12");
    }

    @Test
    void categoriesInFirstAppearanceOrder() {
        assertThat(CapabilityProbes.categories())
                .containsExactly(
                        "arithmetic",
                        "algebra",
                        "probability",
                        "geometry",
                        "sequences",
                        "percentages",
                        "deduction",
                        "puzzles",
                        "sets",
                        "analogy",
                        "causal",
                        "spatial",
                        "temporal",
                        "pattern",
                        "code",
                        "word");
    }

    @Test
    void unknownIdIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CapabilityProbe("math_99", "x", "p", "a"));
    }

    @ParameterizedTest(name = "{0} on \"{1}\" -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "math_01|The answer is 10063.|true",
                "math_01|The answer is 10064.|false",
                "math_02|You'd get $28.75 in change.|true",
                "math_02|You'd get $29.75 in change.|false",
                "math_03|x = -12|true",
                "math_03|x = 12|false",
                "math_04|f(4) = 21|true",
                "math_04|f(4) = 22|false",
                "math_05|The probability is 1/2 or 0.5|true",
                "math_05|The probability is 1/3|false",
                "math_06|The area is 153.94 cm²|true",
                "math_06|The area is 100 cm²|false",
                "math_07|The next number is 162.|true",
                "math_07|The next number is 163.|false",
                "math_08|The final price is $612.|true",
                "math_08|The final price is $600.|false",
                "logic_01|Yes, a cat needs water.|true",
                "logic_01|Maybe.|false",
                "logic_02|No, we cannot conclude that. It's the fallacy of affirming the consequent.|true",
                "logic_02|Yes, it rained.|false",
                "logic_03|The minimum is 3 people.|true",
                "logic_03|The minimum is 2 people.|false",
                "logic_04|Take the chicken first.|true",
                "logic_04|Take the fox first.|false",
                "logic_05|5 students play neither.|true",
                "logic_05|10 students play neither.|false",
                "reason_01|eating|true",
                "reason_01|building|false",
                "reason_02|The starter motor is likely faulty.|true",
                "reason_02|The tires are flat.|false",
                "reason_03|You are facing south.|true",
                "reason_03|You are facing north.|false",
                "reason_04|Event C happened in 1991.|true",
                "reason_04|Event C happened in 1990.|false",
                "reason_05|CAT = 24|true",
                "reason_05|CAT = 25|false",
                "code_01|[2, 3]|true",
                "code_01|[1, 2, 3]|false",
                "code_02|The output is 8.|true",
                "code_02|The output is 7.|false",
                "code_03|Division by zero when the list is empty.|true",
                "code_03|There is no bug.|false",
                "word_01|It takes 3 hours.|true",
                "word_01|It takes 4 hours.|false",
                "word_02|There are 7 children.|true",
                "word_02|There are 6 children.|false",
            })
    void goMlCheckCases(String id, String response, boolean want) {
        assertThat(BY_ID.get(id).check(response)).isEqualTo(want);
    }

    @Test
    void logic03SlicesFiftyBytesAfterGoLowerCasing() {
        // Go lower-cases İ (2 bytes) to i (1 byte): "30" falls inside the first 50 bytes.
        assertThat(BY_ID.get("logic_03").check("İ".repeat(25) + " 30 three")).isFalse();
        // Kelvin sign (3 bytes) lower-cases to k (1 byte).
        assertThat(BY_ID.get("logic_03").check("\u212A".repeat(20) + " 30 three"))
                .isFalse();
        // Ⱥ (2 bytes) lower-cases to ⱥ (3 bytes): "30" is pushed out of the prefix.
        assertThat(BY_ID.get("logic_03").check("Ⱥ".repeat(16) + " 30 three")).isTrue();
        assertThat(BY_ID.get("logic_03").check("a".repeat(60) + " 30 three")).isTrue();
        assertThat(BY_ID.get("logic_03").check("In a room of 30 people, 3 must share."))
                .isFalse();
    }

    @Test
    void dotMatchesCarriageReturnButNotNewline() {
        assertThat(BY_ID.get("code_03").check("divis\rzero")).isTrue();
        assertThat(BY_ID.get("code_03").check("divis\u2028zero")).isTrue();
        assertThat(BY_ID.get("code_03").check("divis\nzero")).isFalse();
        assertThat(BY_ID.get("word_01").check("3 \u0085hours")).isTrue();
    }

    @Test
    void caseFoldingIsGoSimpleFolding() {
        assertThat(BY_ID.get("reason_03").check("ſouth")).isFalse(); // \b before ſ fails
        assertThat(BY_ID.get("reason_03").check("SOUTH")).isTrue();
        assertThat(BY_ID.get("reason_02").check("ſtarter")).isTrue();
        assertThat(BY_ID.get("logic_01").check("yeſ")).isFalse();
        assertThat(BY_ID.get("word_02").check("ſeven")).isTrue();
        assertThat(BY_ID.get("reason_01").check("EATıNG")).isFalse();
        assertThat(BY_ID.get("reason_01").check("EATİNG")).isFalse();
        assertThat(BY_ID.get("logic_04").check("\u212A")).isFalse();
    }

    @Test
    void wordBoundaryIsAscii() {
        assertThat(BY_ID.get("math_04").check("é21é")).isTrue();
        assertThat(BY_ID.get("math_04").check("_21")).isFalse();
        assertThat(BY_ID.get("math_06").check("49 π")).isTrue();
        assertThat(BY_ID.get("math_06").check("49\u000Bπ")).isFalse();
    }
}
