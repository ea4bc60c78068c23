package ai.lthn.ml.inference;

import java.time.Duration;
import java.util.Objects;

/**
 * What one generation cost. A zero value ({@link #ZERO}) is valid and means "not measured":
 * engines fill what they can (HTTP servers report token counts, local engines also timings and
 * memory).
 *
 * @param promptTokens tokens in the prompt
 * @param generatedTokens tokens generated
 * @param prefillDuration time to process the prompt (until the first token)
 * @param decodeDuration time spent generating after the first token
 * @param totalDuration wall time of the whole call
 * @param prefillTokensPerSec prompt tokens per second of prefill
 * @param decodeTokensPerSec generated tokens per second of decode
 * @param peakMemoryBytes peak accelerator memory, 0 when unknown
 * @param activeMemoryBytes accelerator memory in use at the end, 0 when unknown
 */
public record GenerateMetrics(
        int promptTokens,
        int generatedTokens,
        Duration prefillDuration,
        Duration decodeDuration,
        Duration totalDuration,
        double prefillTokensPerSec,
        double decodeTokensPerSec,
        long peakMemoryBytes,
        long activeMemoryBytes) {

    /** Nothing measured. */
    public static final GenerateMetrics ZERO =
            new GenerateMetrics(0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0);

    /**
     * Validates the fields.
     *
     * @param activeMemoryBytes accelerator memory in use at the end, 0 when unknown
     * @param decodeDuration time spent generating after the first token
     * @param decodeTokensPerSec generated tokens per second of decode
     * @param generatedTokens tokens generated
     * @param peakMemoryBytes peak accelerator memory, 0 when unknown
     * @param prefillDuration time to process the prompt (until the first token)
     * @param prefillTokensPerSec prompt tokens per second of prefill
     * @param promptTokens tokens in the prompt
     * @param totalDuration wall time of the whole call
     */
    public GenerateMetrics {
        Objects.requireNonNull(prefillDuration, "prefillDuration");
        Objects.requireNonNull(decodeDuration, "decodeDuration");
        Objects.requireNonNull(totalDuration, "totalDuration");
        if (promptTokens < 0 || generatedTokens < 0) throw new IllegalArgumentException("negative token count");
    }

    /**
     * Metrics from token counts and the two phase durations; rates are derived (0 when a
     * duration is zero).
     *
     * @param promptTokens the prompt tokens
     * @param generatedTokens the generated tokens
     * @param prefill the time to the first token
     * @param decode the decode
     * @return the metrics, with the derived rates
     */
    public static GenerateMetrics of(int promptTokens, int generatedTokens, Duration prefill, Duration decode) {
        return new GenerateMetrics(
                promptTokens,
                generatedTokens,
                prefill,
                decode,
                prefill.plus(decode),
                rate(promptTokens, prefill),
                rate(generatedTokens, decode),
                0,
                0);
    }

    /**
     * Just the token counts, as HTTP servers report them in {@code usage}.
     *
     * @param promptTokens the prompt tokens
     * @param generatedTokens the generated tokens
     * @return the metrics, with zero durations
     */
    public static GenerateMetrics ofUsage(int promptTokens, int generatedTokens) {
        return new GenerateMetrics(
                promptTokens, generatedTokens, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0);
    }

    private static double rate(int tokens, Duration d) {
        long nanos = d.toNanos();
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
