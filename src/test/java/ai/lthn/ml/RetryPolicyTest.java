package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void defaultsKeepGoMlsScheduleWithinTheJitter() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.backoff(1, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(1, () -> 0.0)).isEqualTo(Duration.ofMillis(80));
        assertThat(p.backoff(1, () -> 0.999999)).isBetween(Duration.ofMillis(119), Duration.ofMillis(120));
    }

    @Test
    void backoffIsCappedWithoutOverflow() {
        RetryPolicy p = RetryPolicy.defaults().withoutJitter();
        assertThat(p.backoff(8, () -> 0.5)).isEqualTo(Duration.ofMillis(10_000));
        assertThat(p.backoff(500, () -> 0.5)).isEqualTo(Duration.ofMillis(10_000));
    }

    @Test
    void invalidValuesAreRejected() {
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.5, Duration.ZERO))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxElapsed(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxElapsed");
        assertThatThrownBy(() -> RetryPolicy.defaults().backoff(0, () -> 0)).hasMessageContaining("retry");
    }

    @Test
    void noneMeansOneAttempt() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }
}
