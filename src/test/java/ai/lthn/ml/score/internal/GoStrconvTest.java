package ai.lthn.ml.score.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** strconv.ParseFloat syntax and range rules (go1.19). */
class GoStrconvTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1_000|1000",
                "Inf|Infinity",
                "+inf|Infinity",
                "-Infinity|-Infinity",
                "iNfInItY|Infinity",
                "NaN|NaN",
                "0x1.5p5|42",
                "0X1P-2|0.25",
                "5.|5",
                ".5|0.5",
                "-.5e1|-5",
                "1e-400|0",
                "0x_1p0|1",
                "1_0.5_0|10.5",
                "+5|5",
                "00012|12",
                "0e99999999999|0"
            })
    void accepts(String in, double want) {
        assertThat(GoStrconv.parseFloat(in)).hasValue(want);
    }

    @ParameterizedTest(name = "\"{0}\" is an error")
    @CsvSource(
            delimiter = '|',
            value = {
                "''", "' 42'", "'42 '", "42d", "42f", "1e400", "-1e400", "1.8e308", "_1", "1_", "1__0", "1_.5", "0x1",
                "0x1.8", "0xp1", "+nan", "-nan", "infin", "infx", "nana", ".", "-", "5e", "5e+", "1.2.3", "1,000",
                "0b101", "１２", "1e_5"
            })
    void rejects(String in) {
        assertThat(GoStrconv.parseFloat(in)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void fourHundredDigitsOverflow() {
        assertThat(GoStrconv.parseFloat("9".repeat(400))).isEmpty();
        assertThat(GoStrconv.parseFloat("0." + "0".repeat(400) + "1")).hasValue(0.0);
    }
}
