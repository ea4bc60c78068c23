package ai.lthn.ml.score.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The statistics against published references and closed forms. */
class StatsTest {

    @Test
    void normalQuantilesMatchTheirTabulatedValues() {
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959963984540054, within(1e-14));
        assertThat(Normal.quantile(0.995)).isCloseTo(2.5758293035489004, within(1e-14));
        assertThat(Normal.quantile(0.5)).isZero();
        assertThat(Normal.quantile(0.05)).isCloseTo(-1.6448536269514722, within(1e-14));
        assertThat(Normal.quantile(1e-10)).isCloseTo(-6.361340902404056, within(1e-11)); // the far tail
    }

    @Test
    void wilsonIntervalsMatchNewcombesTable() {
        // Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (score, no correction)
        assertInterval(Stats.proportion(81, 263, 0.95), 0.2553, 0.3662);
        assertInterval(Stats.proportion(15, 148, 0.95), 0.0624, 0.1605);
        assertInterval(Stats.proportion(0, 20, 0.95), 0.0000, 0.1611);
        assertInterval(Stats.proportion(1, 29, 0.95), 0.0061, 0.1718);
        assertThat(Stats.proportion(20, 20, 0.95).interval().high()).isEqualTo(1.0);
    }

    private static void assertInterval(Estimate e, double low, double high) {
        assertThat(e.interval().low()).as("low").isCloseTo(low, within(0.00005));
        assertThat(e.interval().high()).as("high").isCloseTo(high, within(0.00005));
        assertThat(e.method()).isEqualTo("wilson");
    }

    @Test
    void mcNemarExactPValuesAreTheBinomialTails() {
        // two-sided: 2 * P(X <= min(b, c)), X ~ Bin(b + c, 1/2)
        assertThat(Stats.mcNemarExactP(1, 7)).isCloseTo(2 * (1 + 8) / 256.0, within(1e-15));
        assertThat(Stats.mcNemarExactP(0, 5)).isCloseTo(2 / 32.0, within(1e-15));
        assertThat(Stats.mcNemarExactP(5, 5)).isEqualTo(1.0);
        assertThat(Stats.mcNemarExactP(0, 0)).isEqualTo(1.0);
        // Agresti's approval example (Categorical Data Analysis, 2nd ed., Table 10.1): 150 vs 86
        // discordant pairs (his z = 4.17); the exact tail, 2 * sum C(236, i) / 2^236 for i <= 86,
        // computed in exact rational arithmetic, is 3.715936139571442e-05
        assertThat(Stats.mcNemarExactP(150, 86)).isCloseTo(3.715936139571442e-05, within(1e-15));
        // large counts stay finite and symmetric
        assertThat(Stats.mcNemarExactP(5000, 5100))
                .isEqualTo(Stats.mcNemarExactP(5100, 5000))
                .isBetween(0.0, 1.0);
    }

    @Test
    void theBootstrapStandardErrorMatchesItsClosedForm() {
        // The bootstrap distribution of the mean has variance (n-1)/n * s^2 / n exactly.
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[200];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() * 10;
        Estimate e = Stats.mean(x, 0.95, 42, 20_000);
        double n = x.length;
        double closedForm = Math.sqrt((n - 1) / n) * e.standardError();
        double width = e.interval().high() - e.interval().low();
        // a 95 % percentile interval of a near-normal bootstrap spans about 2 * 1.96 sd
        assertThat(width / (2 * 1.959963984540054 * closedForm)).isCloseTo(1.0, within(0.05));
        assertThat(e.interval().contains(e.mean())).isTrue();
        assertThat(Stats.mean(x, 0.95, 42, 20_000)).isEqualTo(e); // reproducible for a seed
    }

    @Test
    void clusteredStandardErrorsReduceToTheOrdinaryOneForSingletonsAndGrowWithCorrelation() {
        double[] x = {1, 4, 2, 8, 5, 7, 3, 6};
        String[] singletons = {"a", "b", "c", "d", "e", "f", "g", "h"};
        Estimate plain = Stats.mean(x, 0.95, 1, 100);
        Estimate clustered = Stats.clusteredMean(x, singletons, 0.95);
        assertThat(clustered.standardError()).isCloseTo(plain.standardError(), within(1e-12));
        double[] pairs = {1, 1, 8, 8, 2, 2, 7, 7}; // each value twice, in one group: half the information
        String[] groups = {"a", "a", "b", "b", "c", "c", "d", "d"};
        assertThat(Stats.clusteredMean(pairs, groups, 0.95).standardError())
                .isGreaterThan(Stats.mean(pairs, 0.95, 1, 100).standardError() * 1.3);
    }

    @Test
    void pairedPassFailUsesMcNemarAndAnIntervalAroundTheDifference() {
        boolean[] a = new boolean[40];
        boolean[] b = new boolean[40];
        for (int i = 0; i < 40; i++) {
            a[i] = i < 20; // 20 pass
            b[i] = i < 20 || i >= 32; // the same 20, plus 8 more: 8 flips to pass, none the other way
        }
        Comparison c = Stats.pairedPassFail(a, b, 0.95);
        assertThat(c.difference()).isCloseTo(0.2, within(1e-12));
        assertThat(c.pValue()).isCloseTo(2 / 256.0, within(1e-15)); // 2 * 0.5^8
        assertThat(c.interval().contains(0.2)).isTrue();
        assertThat(c.interval().low()).isGreaterThan(0);
        assertThat(c.verdict()).isEqualTo("B higher");
        assertThat(Stats.pairedPassFail(a, a, 0.95).verdict()).isEqualTo("within noise");
    }

    @Test
    void pairedScoresFindARealShiftAndNotNoise() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 300;
        double[] a = new double[n];
        double[] shifted = new double[n];
        double[] noisy = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble() * 10;
            shifted[i] = a[i] + 0.5 + (r.nextDouble() - 0.5); // +0.5 on average
            noisy[i] = a[i] + (r.nextDouble() - 0.5); // no shift
        }
        Comparison up = Stats.pairedScores(a, shifted, 0.95, 42, 5000);
        assertThat(up.verdict()).isEqualTo("B higher");
        assertThat(up.pValue()).isLessThan(0.001);
        assertThat(up.interval().contains(0.5)).isTrue();
        Comparison same = Stats.pairedScores(a, noisy, 0.95, 42, 5000);
        assertThat(same.verdict()).isEqualTo("within noise");
        assertThat(Stats.pairedScores(a, shifted, 0.95, 42, 5000)).isEqualTo(up);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> Stats.proportion(3, 2, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.mean(new double[0], 0.95, 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.pairedScores(new double[2], new double[3], 0.95, 1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.proportion(1, 2, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeSamplesUseTheNormalApproximationWhichAgreesWithResampling() {
        assertThat(Normal.twoSidedP(1.959963984540054)).isCloseTo(0.05, within(1e-7));
        assertThat(Normal.twoSidedP(0)).isCloseTo(1.0, within(1e-7));
        assertThat(Normal.twoSidedP(-3.2905267314918945)).isCloseTo(0.001, within(1e-9));
        SplittableRandom r = new SplittableRandom(5);
        int n = Stats.LARGE_SAMPLE;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble();
            b[i] = a[i] + 0.02 + (r.nextDouble() - 0.5) * 0.5;
        }
        Comparison big = Stats.pairedScores(a, b, 0.95, 1, 2000);
        assertThat(big.test()).isEqualTo("paired z (normal)");
        Comparison resampled =
                Stats.pairedScores(java.util.Arrays.copyOf(a, n - 1), java.util.Arrays.copyOf(b, n - 1), 0.95, 1, 2000);
        assertThat(resampled.test()).isEqualTo("sign-flip permutation");
        assertThat(big.interval().low()).isCloseTo(resampled.interval().low(), within(0.002));
        assertThat(big.interval().high()).isCloseTo(resampled.interval().high(), within(0.002));
        assertThat(big.verdict()).isEqualTo(resampled.verdict()).isEqualTo("B higher");
    }
}
