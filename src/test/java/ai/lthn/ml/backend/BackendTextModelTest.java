package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.Message;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateOption;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.FakeBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendTextModelTest {
    @Test
    void theReplyIsOneTokenAndOptionsAreMapped() {
        FakeBackend backend = FakeBackend.answering(p -> "reply to " + p);
        BackendTextModel m = new BackendTextModel(backend);
        TokenStream s = m.generate("x", GenerateOption.maxTokens(7), GenerateOption.temperature(0.5f));
        assertThat(backend.calls()).isEmpty(); // lazy
        assertThat(s.next().text()).isEqualTo("reply to x");
        assertThat(s.hasNext()).isFalse();
        assertThat(backend.calls().get(0).opts().maxTokens()).isEqualTo(7);
        assertThat(backend.calls().get(0).opts().temperature()).isEqualTo(0.5);
        assertThat(m.modelType()).isEqualTo("fake");
        try (TokenStream c = m.chat(List.of(Message.user("hi")), GenerateConfig.defaults())) {
            assertThat(c.remainingText()).isEqualTo("reply to hi");
        }
    }

    @Test
    void failuresComeFromTheStreamAndBatchKeepsThem() {
        FakeBackend down = FakeBackend.builder().available(false).build();
        BackendTextModel m = new BackendTextModel(down);
        assertThatThrownBy(() -> m.generate("x").hasNext()).isInstanceOf(BackendUnavailableException.class);
        assertThat(m.batchGenerate(List.of("a", "b"), GenerateConfig.defaults()))
                .allMatch(r -> !r.isSuccess());
        assertThatThrownBy(() -> m.classify(List.of("a"), GenerateConfig.defaults()))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
