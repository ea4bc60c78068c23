package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MlExceptionTest {

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
