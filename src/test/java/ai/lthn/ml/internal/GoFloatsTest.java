package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatsTest {
    /** Expected values are what Go's json.Marshal prints for the same float64. */
    @ParameterizedTest
    @CsvSource({
        "4.0, 4",
        "-3.0, -3",
        "12.5, 12.5",
        "0.1, 0.1",
        "160.0, 160",
        "1.0E20, 100000000000000000000",
        "1.0E21, 1e+21",
        "1.5E22, 1.5e+22",
        "1.0E-6, 0.000001",
        "1.0E-7, 1e-07",
        "2.5E-10, 2.5e-10",
        "0.0, 0",
        "33.333333333333336, 33.333333333333336",
        "-105.0, -105",
        "1.0E15, 1000000000000000",
        "9.007199254740991E15, 9007199254740991",
        "9.007199254740992E15, 9007199254740992"
    })
    void formatsLikeGo(double v, String go) {
        assertThat(GoFloats.format(v)).isEqualTo(go);
    }

    @Test
    void wholeNumbersTakeTheShortPathWithTheSameDigits() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(53);
        for (int i = 0; i < 20_000; i++) {
            double v = Math.rint((random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(1, 54)));
            if (v == 0) continue;
            String general = new java.math.BigDecimal(Double.toString(v))
                    .stripTrailingZeros()
                    .toPlainString();
            assertThat(GoFloats.format(v)).as("%s", v).isEqualTo(general);
        }
    }

    @Test
    void refusesNaN() {
        assertThatThrownBy(() -> GoFloats.format(Double.NaN)).hasMessageContaining("unsupported value");
    }
}
