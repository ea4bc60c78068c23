package ai.lthn.ml.score.stats;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Means with confidence intervals and paired comparisons. Static and thread-safe; the bootstrap
 * and permutation methods take a seed, so the same input gives the same numbers on every run and
 * machine.
 *
 * <pre>{@code
 * Estimate pass = Stats.proportion(20, 23, 0.95);                 // Wilson interval
 * Estimate lek = Stats.mean(lekScores, 0.95, 42, 2000);           // bootstrap interval
 * Comparison c = Stats.pairedScores(oldLek, newLek, 0.95, 42, 10_000);
 * Comparison e = Stats.pairedPassFail(oldCorrect, newCorrect, 0.95);   // McNemar's exact test
 * }</pre>
 */
public final class Stats {
    /** Below this p-value (and with an interval that excludes 0) a difference is reported. */
    public static final double ALPHA = 0.05;

    /**
     * From this many pairs on, {@link #pairedScores} uses the normal approximation instead of
     * resampling (the bootstrap and permutation distributions are normal well within their own
     * noise there, and resampling 100k pairs 10,000 times would take minutes).
     */
    public static final int LARGE_SAMPLE = 5000;

    private Stats() {}

    /**
     * A pass rate with the Wilson score interval (Wilson 1927; good for small n and rates near 0
     * or 1, where the normal interval fails).
     *
     * @param successes items passed
     * @param n items
     * @param confidence e.g. 0.95
     * @return the rate, its standard error and interval
     */
    public static Estimate proportion(long successes, long n, double confidence) {
        if (n <= 0 || successes < 0 || successes > n)
            throw new IllegalArgumentException("need 0 <= successes <= n and n > 0: " + successes + "/" + n);
        double z = z(confidence);
        double p = (double) successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Estimate(
                n,
                p,
                Math.sqrt(p * (1 - p) / n),
                new Interval(Math.max(0, centre - half), Math.min(1, centre + half)),
                "wilson");
    }

    /**
     * A mean with a percentile bootstrap interval.
     *
     * @param values the observations
     * @param confidence e.g. 0.95
     * @param seed the resampling seed
     * @param resamples bootstrap resamples, e.g. 2000
     * @return the mean, its standard error (sample sd / √n) and interval
     */
    public static Estimate mean(double[] values, double confidence, long seed, int resamples) {
        int n = requireValues(values);
        double mean = mean(values);
        double[] means = new double[resamples];
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[random.nextInt(n)];
            means[b] = sum / n;
        }
        return new Estimate(n, mean, sd(values, mean) / Math.sqrt(n), percentile(means, confidence), "bootstrap");
    }

    /**
     * A mean whose standard error allows for correlation within groups (prompts of one domain or
     * category): the cluster-robust (CR1) estimator, with a normal interval. With every item in a
     * group of its own it equals the ordinary standard error.
     *
     * @param values the observations
     * @param clusters each observation's group
     * @param confidence e.g. 0.95
     * @return the mean, its clustered standard error and interval
     */
    public static Estimate clusteredMean(double[] values, String[] clusters, double confidence) {
        int n = requireValues(values);
        if (clusters.length != n) throw new IllegalArgumentException("one cluster per value needed");
        double mean = mean(values);
        Map<String, double[]> sums = new HashMap<>();
        for (int i = 0; i < n; i++)
            sums.computeIfAbsent(Objects.requireNonNull(clusters[i], "cluster"), k -> new double[1])[0] +=
                    values[i] - mean;
        int g = sums.size();
        if (g < 2) throw new IllegalArgumentException("clustered standard errors need at least 2 clusters");
        double ss = 0;
        for (double[] s : sums.values()) ss += s[0] * s[0];
        double se = Math.sqrt(ss * g / (g - 1)) / n;
        double z = z(confidence);
        return new Estimate(n, mean, se, new Interval(mean - z * se, mean + z * se), "clustered");
    }

    /**
     * McNemar's exact test: the two-sided binomial p-value for {@code b} items that passed only in
     * the first run and {@code c} that passed only in the second.
     *
     * @param b discordant pairs one way
     * @param c discordant pairs the other way
     * @return the p-value (1 when there are no discordant pairs)
     */
    public static double mcNemarExactP(long b, long c) {
        if (b < 0 || c < 0) throw new IllegalArgumentException("negative counts");
        long n = b + c;
        if (n == 0) return 1;
        long k = Math.min(b, c);
        // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space
        double logHalfN = n * Math.log(0.5);
        double tail = 0;
        double logChoose = 0; // log C(n, 0)
        for (long i = 0; i <= k; i++) {
            if (i > 0) logChoose += Math.log((double) (n - i + 1) / i);
            tail += Math.exp(logChoose + logHalfN);
        }
        return Math.min(1, 2 * tail);
    }

    /**
     * Two runs' pass/fail results on the same items: the difference in pass rate with a paired
     * interval (Newcombe's method 10, from the two Wilson intervals and their correlation) and
     * McNemar's exact p-value.
     *
     * @param a the first run, item by item
     * @param b the second run, the same items in the same order
     * @param confidence e.g. 0.95
     * @return the comparison
     */
    public static Comparison pairedPassFail(boolean[] a, boolean[] b, double confidence) {
        if (a.length != b.length || a.length == 0)
            throw new IllegalArgumentException("need the same, non-zero number of items in both runs");
        int n = a.length;
        long both = 0;
        long onlyA = 0;
        long onlyB = 0;
        long neither = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] && b[i]) both++;
            else if (a[i]) onlyA++;
            else if (b[i]) onlyB++;
            else neither++;
        }
        long passA = both + onlyA;
        long passB = both + onlyB;
        double p1 = (double) passA / n;
        double p2 = (double) passB / n;
        Interval w1 = proportion(passA, n, confidence).interval();
        Interval w2 = proportion(passB, n, confidence).interval();
        // Newcombe (1998) method 10: phi from the 2x2 table, 0 when a margin is empty
        double margins = (double) (both + onlyA) * (neither + onlyB) * (both + onlyB) * (neither + onlyA);
        double phi = margins == 0 ? 0 : (both * neither - onlyA * onlyB) / Math.sqrt(margins);
        double d = p2 - p1;
        double dl = Math.sqrt(sq(p2 - w2.low()) - 2 * phi * (p2 - w2.low()) * (w1.high() - p1) + sq(w1.high() - p1));
        double du = Math.sqrt(sq(w2.high() - p2) - 2 * phi * (w2.high() - p2) * (p1 - w1.low()) + sq(p1 - w1.low()));
        Interval ci = new Interval(Math.max(-1, d - dl), Math.min(1, d + du));
        double p = mcNemarExactP(onlyA, onlyB);
        return new Comparison(n, p1, p2, d, ci, p, "mcnemar-exact", verdict(d, ci, p));
    }

    /**
     * Two runs' scores on the same items: the mean difference with a paired bootstrap interval,
     * and a sign-flip permutation test of "no difference" ({@link #LARGE_SAMPLE} pairs or more:
     * the paired z interval and test).
     *
     * @param a the first run, item by item
     * @param b the second run, the same items in the same order
     * @param confidence e.g. 0.95
     * @param seed the resampling seed
     * @param resamples resamples for both the interval and the test, e.g. 10000
     * @return the comparison
     */
    public static Comparison pairedScores(double[] a, double[] b, double confidence, long seed, int resamples) {
        if (a.length != b.length || a.length == 0)
            throw new IllegalArgumentException("need the same, non-zero number of items in both runs");
        int n = a.length;
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) diff[i] = b[i] - a[i];
        double observed = mean(diff);
        if (n >= LARGE_SAMPLE) { // the resampling distributions are normal to well within their noise
            double se = sd(diff, observed) / Math.sqrt(n);
            double z = z(confidence);
            Interval ci = new Interval(observed - z * se, observed + z * se);
            double p = se == 0 ? (observed == 0 ? 1 : 0) : Normal.twoSidedP(observed / se);
            return new Comparison(n, mean(a), mean(b), observed, ci, p, "paired z (normal)", verdict(observed, ci, p));
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += diff[random.nextInt(n)];
            means[r] = sum / n;
        }
        Interval ci = percentile(means, confidence);
        // sign flips: under "no difference" each item's difference is as likely negated
        long extreme = 0;
        double tolerance = 1e-12 * Math.max(1, Math.abs(observed));
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += random.nextBoolean() ? diff[i] : -diff[i];
            if (Math.abs(sum / n) >= Math.abs(observed) - tolerance) extreme++;
        }
        double p = (extreme + 1.0) / (resamples + 1.0);
        return new Comparison(n, mean(a), mean(b), observed, ci, p, "sign-flip permutation", verdict(observed, ci, p));
    }

    private static String verdict(double difference, Interval ci, double p) {
        if (p >= ALPHA || ci.contains(0)) return "within noise";
        return difference > 0 ? "B higher" : "B lower";
    }

    private static Interval percentile(double[] sorted, double confidence) {
        Arrays.sort(sorted);
        double tail = (1 - confidence) / 2;
        return new Interval(at(sorted, tail), at(sorted, 1 - tail));
    }

    /** The {@code q} quantile of sorted values, interpolating linearly (Hyndman and Fan's type 7). */
    private static double at(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double z(double confidence) {
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence outside (0, 1)");
        return Normal.quantile(1 - (1 - confidence) / 2);
    }

    private static int requireValues(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("no values");
        return values.length;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    private static double sd(double[] values, double mean) {
        if (values.length < 2) return 0;
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        return Math.sqrt(ss / (values.length - 1));
    }

    private static double sq(double x) {
        return x * x;
    }
}
