package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.testing.FakeBackend;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeRunnerTest {

    @Test
    void aFailedCallFailsItsProbeAndTheRunGoesOn() {
        AtomicInteger n = new AtomicInteger();
        FakeBackend backend = FakeBackend.builder()
                .answer(c -> {
                    if (n.getAndIncrement() == 0) throw new HttpStatusException("server error 500: down", 500, "down");
                    return "no idea";
                })
                .build();
        ProbeResult result = ProbeRunner.run(backend);
        assertThat(backend.calls()).hasSize(23);
        assertThat(result.total()).isEqualTo(23);
        String first = CapabilityProbes.all().get(0).id();
        assertThat(result.probes().get(first).passed()).isFalse();
        assertThat(result.probes().get(first).response()).isEqualTo("server error 500: down");
        assertThat(backend.calls().get(0).opts().temperature()).isEqualTo(0.1);
        assertThat(backend.calls().get(0).opts().maxTokens()).isEqualTo(500);
    }

    @Test
    void aCancelledCallStopsTheRun() {
        FakeBackend backend = FakeBackend.builder()
                .answer(c -> {
                    throw new GenerationCancelledException("interrupted");
                })
                .build();
        assertThatThrownBy(() -> ProbeRunner.run(backend)).isInstanceOf(GenerationCancelledException.class);
        assertThat(backend.calls()).hasSize(1);
    }
}
