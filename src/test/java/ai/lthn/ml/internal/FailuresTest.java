package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.StreamFailedException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void anExceptionAlreadyCarryingThePartialTextIsKept() {
        var e = new StreamFailedException("x", "abc", null);
        assertThat(Failures.withPartialText(e, "abc")).isSameAs(e);
    }

    @Test
    void withNoPartialTextAnyMlExceptionKeepsItsType() {
        var e = new HttpStatusException("unexpected status 404", 404, "");
        assertThat(Failures.withPartialText(e, "")).isSameAs(e);
    }

    @Test
    void timeoutsAndCancellationsKeepTheirTypeWhenTextIsAdded() {
        var t = new MlTimeoutException("idle", Duration.ofSeconds(3), "", null);
        assertThat(Failures.withPartialText(t, "ab")).isInstanceOfSatisfying(MlTimeoutException.class, e -> {
            assertThat(e.partialText()).isEqualTo("ab");
            assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(e).hasCause(t);
        });
        assertThat(Failures.withPartialText(new GenerationCancelledException("c"), "ab"))
                .isInstanceOf(GenerationCancelledException.class)
                .extracting(MlException::partialText)
                .isEqualTo("ab");
    }

    @Test
    void otherFailuresBecomeStreamFailures() {
        assertThat(Failures.withPartialText(new IllegalStateException("oom"), "ab"))
                .isInstanceOf(StreamFailedException.class)
                .hasMessage("oom");
        assertThat(Failures.withPartialText(new IOException("reset"), "")).isInstanceOf(MlIOException.class);
        assertThat(Failures.withPartialText(new IOException("reset"), "x")).isInstanceOf(StreamFailedException.class);
    }
}
