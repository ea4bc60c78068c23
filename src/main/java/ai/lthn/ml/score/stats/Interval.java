package ai.lthn.ml.score.stats;

/**
 * A confidence interval.
 *
 * @param low lower bound
 * @param high upper bound
 */
public record Interval(double low, double high) {
    /**
     * Checks the bounds are ordered.
     *
     * @param low lower bound
     * @param high upper bound; at least {@code low}
     * @throws IllegalArgumentException if {@code low > high} or either is NaN
     */
    public Interval {
        if (!(low <= high)) throw new IllegalArgumentException("interval bounds out of order: " + low + " > " + high);
    }

    /**
     * Whether the interval holds {@code x}.
     *
     * @param x a value
     * @return true if {@code low <= x <= high}
     */
    public boolean contains(double x) {
        return low <= x && x <= high;
    }
}
