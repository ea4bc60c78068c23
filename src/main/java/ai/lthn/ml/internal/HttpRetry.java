package ai.lthn.ml.internal;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry loop of the library's HTTP clients: I/O failures and retryable statuses (408,
 * 429, 5xx) are tried again under a {@link RetryPolicy}, waiting the server's
 * {@code Retry-After} when it gives one, within the policy's time budget; anything else passes
 * straight through. Waits are interruptible.
 */
public final class HttpRetry {
    private HttpRetry() {}

    /** Sleeps between attempts; tests replace it to record the waits. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        /** {@link Thread#sleep}. */
        static Sleeper real() {
            return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    }

    /** One attempt; may throw an {@link IOException} or an {@link MlException}. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code attempt} under {@code policy}.
     *
     * @param what names the call in errors, e.g. {@code POST http://host/v1/chat/completions};
     *     credentials in a URL there are redacted ({@link Redact})
     * @throws MlException "exhausted N retries: ..." (go-ml's words after N attempts), "gave up
     *     after N attempts: ..." (the time budget), or "failed (the retry policy allows no retries): ..." with the last
     *     failure as cause and of its type: an {@link HttpStatusException} with {@link
     *     HttpStatusException#attempts()}, an {@link MlIOException}; or the failure itself when it
     *     is not retryable
     * @throws GenerationCancelledException if interrupted (flag restored)
     */
    public static <T> T run(RetryPolicy policy, Sleeper sleeper, String what, Attempt<T> attempt) {
        return run(policy, sleeper, Ticker.system(), what, attempt);
    }

    /**
     * Runs {@code attempt} under {@code policy}, measuring the retry budget on {@code ticker}.
     *
     * @param policy when to retry
     * @param sleeper waits between attempts
     * @param ticker measures the time spent against {@link RetryPolicy#maxElapsed()}
     * @param what names the call in errors
     * @param attempt one attempt
     * @param <T> the result
     * @return the first successful attempt's result
     */
    public static <T> T run(RetryPolicy policy, Sleeper sleeper, Ticker ticker, String what, Attempt<T> attempt) {
        String shown = Redact.urlsIn(what);
        long start = ticker.read();
        MlException last;
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (HttpStatusException e) {
                if (!e.isRetryable()) throw e;
                last = e;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted())
                    throw new GenerationCancelledException("request interrupted: " + shown, "", e);
                last = new MlIOException(shown + ": " + Redact.urlsIn(e.getMessage()), e);
            }
            if (n >= policy.maxAttempts())
                throw giveUp(
                        n == 1
                                ? "failed (the retry policy allows no retries): " + last.getMessage()
                                : "exhausted " + n + " retries: " + last.getMessage(),
                        last,
                        n);
            Duration wait = last instanceof HttpStatusException s
                            && s.retryAfter().isPresent()
                    ? s.retryAfter().get()
                    : policy.backoff(n, () -> ThreadLocalRandom.current().nextDouble());
            Duration spent = Duration.ofNanos(ticker.read() - start);
            if (spent.plus(wait).compareTo(policy.maxElapsed()) > 0)
                throw giveUp(
                        "gave up after " + n + (n == 1 ? " attempt" : " attempts") + ": waiting " + wait.toMillis()
                                + " ms more would pass the "
                                + policy.maxElapsed().toMillis()
                                + " ms retry budget: " + last.getMessage(),
                        last,
                        n);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationCancelledException("interrupted while waiting to retry " + shown, "", e);
            }
        }
    }

    /** The failure that ends the call: the last attempt's type, with what happened in its message. */
    private static MlException giveUp(String message, MlException last, int attempts) {
        if (last instanceof HttpStatusException s)
            return new HttpStatusException(
                    message, s.statusCode(), s.responseBody(), s.retryAfter().orElse(null), attempts, s);
        if (last instanceof MlIOException io) return new MlIOException(message, io);
        return new MlException(message, last);
    }

    /** A {@code Retry-After} value: seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) return null;
        String h = header.strip();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                java.time.ZonedDateTime at =
                        java.time.ZonedDateTime.parse(h, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
