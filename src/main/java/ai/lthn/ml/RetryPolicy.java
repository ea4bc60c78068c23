package ai.lthn.ml;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When an HTTP backend tries a request again: connection failures, 408, 429 and 5xx, with
 * exponential backoff and jitter, the server's {@code Retry-After} honoured, and caps on attempts
 * and on the total time spent. Other statuses fail at once. Streams retry only before their first
 * token.
 *
 * <p>The defaults keep go-ml's schedule (3 attempts, 100 ms then 200 ms) with ±20 % jitter, so a
 * crowd of clients that failed together does not retry together.
 *
 * @param maxAttempts attempts in all, at least 1 (1 = no retry)
 * @param initialBackoff the wait before the second attempt; it doubles for each later one
 * @param maxBackoff the longest computed wait between attempts
 * @param jitter the fraction (0 to 1) by which each wait is randomly shortened or lengthened
 * @param maxElapsed the most time spent on one call across attempts and waits: no attempt starts,
 *     and no {@code Retry-After} is waited for, past it
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter, Duration maxElapsed) {

    private static final RetryPolicy DEFAULTS =
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), 0.2, Duration.ofMinutes(2));

    /**
     * Validates the fields.
     *
     * @param initialBackoff the wait before the second attempt; it doubles for each later one
     * @param jitter the fraction (0 to 1) by which each wait is randomly shortened or lengthened
     * @param maxAttempts attempts in all, at least 1 (1 = no retry)
     * @param maxBackoff the longest computed wait between attempts
     * @param maxElapsed the most time spent on one call across attempts and waits: no attempt starts, and no {@code Retry-After} is waited for, past it
     */
    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxElapsed, "maxElapsed");
        if (!(jitter >= 0 && jitter <= 1)) throw new IllegalArgumentException("jitter outside [0, 1]: " + jitter);
    }

    /**
     * 3 attempts, 100 ms doubling, at most 10 s apart, ±20 % jitter, 2 minutes in all.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * One attempt only.
     *
     * @return one attempt only
     */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
    }

    /**
     * These settings with another number of attempts.
     *
     * @param value attempts in all, at least 1
     * @return these settings with another number of attempts
     */
    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, initialBackoff, maxBackoff, jitter, maxElapsed);
    }

    /**
     * These settings without jitter (deterministic waits, for tests and reproductions).
     *
     * @return these settings without jitter (deterministic waits, for tests and reproductions)
     */
    public RetryPolicy withoutJitter() {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, 0, maxElapsed);
    }

    /**
     * These settings with another total time cap.
     *
     * @param value the most time spent on one call
     * @return these settings with another total time cap
     */
    public RetryPolicy withMaxElapsed(Duration value) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, value);
    }

    /**
     * The wait before retry number {@code retry} (1 = the second attempt).
     *
     * @param random a source of uniform values in [0, 1)
     * @param retry the retry number: 1 for the second attempt
     * @return the wait before retry number {@code retry} (1 = the second attempt)
     */
    public Duration backoff(int retry, DoubleSupplier random) {
        if (retry < 1) throw new IllegalArgumentException("retry < 1: " + retry);
        long base = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        long nanos = base;
        for (int i = 1; i < retry && nanos < cap; i++) nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
        nanos = Math.min(nanos, cap);
        if (jitter > 0) nanos = Math.round(nanos * (1 + jitter * (2 * random.getAsDouble() - 1)));
        return Duration.ofNanos(Math.max(0, nanos));
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) throw new IllegalArgumentException(name + " is negative: " + d);
    }
}
