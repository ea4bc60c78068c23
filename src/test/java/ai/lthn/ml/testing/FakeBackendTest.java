package ai.lthn.ml.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeBackendTest {

    @Test
    void answersAndRecords() {
        var backend = FakeBackend.answering(p -> "echo:" + p);
        assertThat(backend.generate("x", GenOpts.defaults())).isEqualTo("echo:x");
        assertThat(backend.chat(List.of(Message.system("s"), Message.user("y")), GenOpts.defaults()))
                .isEqualTo("echo:y");
        assertThat(backend.prompts()).containsExactly("x", "y");
        assertThat(backend.calls().get(1).messages()).hasSize(2);
        assertThat(backend.calls().get(0).opts()).isEqualTo(GenOpts.defaults());
        assertThat(backend.name()).isEqualTo("fake");
    }

    @Test
    void unavailableBackendThrows() {
        var backend = FakeBackend.builder().name("judge").available(false).build();
        assertThat(backend.isAvailable()).isFalse();
        assertThatThrownBy(() -> backend.generate("p")).isInstanceOf(BackendUnavailableException.class);
        backend.setAvailable(true);
        assertThat(backend.generate("p")).isEmpty();
    }

    @Test
    void latencyIsInterruptible() throws Exception {
        var backend = FakeBackend.builder().latency(Duration.ofMinutes(1)).build();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                backend.generate("p");
            } catch (RuntimeException e) {
                failure.complete(e);
            }
        });
        t.start();
        Thread.sleep(50);
        t.interrupt();
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(GenerationCancelledException.class);
    }
}
