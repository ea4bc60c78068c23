package ai.lthn.ml.spark;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.score.AdaptiveLimit;
import ai.lthn.ml.score.Judge;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How executors reach the judge: everything {@code ml score}'s judge options say, as a value sent
 * to each task, where the judge client is built (clients are never serialized).
 *
 * @param url the OpenAI-compatible base URL
 * @param model the judge model
 * @param timeout one judge call's limit
 * @param temperature the judge's temperature (go-ml's 0.1 by default)
 * @param jsonMode ask for JSON mode
 * @param reask ask once more for the JSON alone when a reply cannot be read
 * @param attempts HTTP attempts per call (retries honour {@code Retry-After})
 */
public record JudgeSettings(
        String url, String model, Duration timeout, double temperature, boolean jsonMode, boolean reask, int attempts)
        implements Serializable {

    /**
     * Validates.
     *
     * @param url the OpenAI-compatible base URL
     * @param model the judge model
     * @param timeout one judge call's limit
     * @param temperature the judge's temperature
     * @param jsonMode ask for JSON mode
     * @param reask ask again for the JSON alone
     * @param attempts HTTP attempts per call, at least 1
     */
    public JudgeSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timeout, "timeout");
        if (url.isBlank()) throw new IllegalArgumentException("judge url is blank");
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("judge timeout must be positive: " + timeout);
        if (attempts < 1) throw new IllegalArgumentException("judge attempts < 1: " + attempts);
    }

    /**
     * {@code ml score}'s defaults: 300 s per call, temperature 0.1, no JSON mode, no re-ask, the
     * HTTP client's default attempts (3).
     *
     * @param url the base URL
     * @param model the model
     * @return the settings
     */
    public static JudgeSettings of(String url, String model) {
        return new JudgeSettings(url, model, Duration.ofSeconds(300), 0.1, false, false, 3);
    }

    /**
     * The same settings with another number of HTTP attempts per call.
     *
     * @param value attempts, at least 1 (1 = no retry)
     * @return new settings
     */
    public JudgeSettings withAttempts(int value) {
        return new JudgeSettings(url, model, timeout, temperature, jsonMode, reask, value);
    }

    /**
     * The same settings with another temperature.
     *
     * @param value the temperature
     * @return new settings
     */
    public JudgeSettings withTemperature(double value) {
        return new JudgeSettings(url, model, timeout, value, jsonMode, reask, attempts);
    }

    /** Builds the judge on an executor; the limit sees every call's outcome (it slows on 429s). */
    Judge build(AdaptiveLimit limit) {
        HttpBackend backend = HttpBackend.builder(url, model)
                .timeout(timeout)
                .retries(attempts, Duration.ofSeconds(1))
                .observer(limit)
                .build();
        return Judge.builder(backend)
                .temperature(temperature)
                .jsonMode(jsonMode)
                .reask(reask)
                .describedAs(model, backend.baseUrl())
                .build();
    }
}
