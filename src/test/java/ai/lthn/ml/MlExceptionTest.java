package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MlExceptionTest {

    @Test
    void anExceptionAlreadyCarryingThePartialTextIsKept() {
        var e = new StreamFailedException("x", "abc", null);
        assertThat(MlException.withPartialText(e, "abc")).isSameAs(e);
    }

    @Test
    void withNoPartialTextAnyMlExceptionKeepsItsType() {
        var e = new HttpStatusException("unexpected status 404", 404, "");
        assertThat(MlException.withPartialText(e, "")).isSameAs(e);
    }

    @Test
    void timeoutsAndCancellationsKeepTheirTypeWhenTextIsAdded() {
        var t = new MlTimeoutException("idle", Duration.ofSeconds(3), "", null);
        assertThat(MlException.withPartialText(t, "ab")).isInstanceOfSatisfying(MlTimeoutException.class, e -> {
            assertThat(e.partialText()).isEqualTo("ab");
            assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(e).hasCause(t);
        });
        assertThat(MlException.withPartialText(new GenerationCancelledException("c"), "ab"))
                .isInstanceOf(GenerationCancelledException.class)
                .extracting(MlException::partialText)
                .isEqualTo("ab");
    }

    @Test
    void otherFailuresBecomeStreamFailures() {
        assertThat(MlException.withPartialText(new IllegalStateException("oom"), "ab"))
                .isInstanceOf(StreamFailedException.class)
                .hasMessage("oom");
        assertThat(MlException.withPartialText(new IOException("reset"), "")).isInstanceOf(MlIOException.class);
        assertThat(MlException.withPartialText(new IOException("reset"), "x"))
                .isInstanceOf(StreamFailedException.class);
    }

    @Test
    void retryableStatuses() {
        assertThat(HttpStatusException.isRetryableStatus(408)).isTrue();
        assertThat(HttpStatusException.isRetryableStatus(429)).isTrue();
        assertThat(HttpStatusException.isRetryableStatus(500)).isTrue();
        assertThat(HttpStatusException.isRetryableStatus(503)).isTrue();
        assertThat(HttpStatusException.isRetryableStatus(400)).isFalse();
        assertThat(HttpStatusException.isRetryableStatus(404)).isFalse();
    }

    @Test
    void invalidInputNamesSourceAndLine() {
        var e = new InvalidInputException("in.jsonl", 12, "malformed JSON");
        assertThat(e).hasMessage("in.jsonl:12: malformed JSON");
        assertThat(e.source()).isEqualTo("in.jsonl");
        assertThat(e.location()).isEqualTo(12);
        assertThat(new InvalidInputException("x.gguf", 0, "bad magic")).hasMessage("x.gguf: bad magic");
    }
}
