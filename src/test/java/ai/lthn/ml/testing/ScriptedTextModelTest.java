package ai.lthn.ml.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import ai.lthn.ml.inference.BatchResult;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateOption;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.ScriptedTextModel.Script;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedTextModelTest {

    @Test
    void playsTokensAndRecordsTheCall() {
        var model = ScriptedTextModel.of("a", "b");
        try (TokenStream s = model.generate("hello world", GenerateOption.temperature(0.3f))) {
            assertThat(s.stream().map(Token::text).toList()).containsExactly("a", "b");
            assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(s.metrics().promptTokens()).isEqualTo(2);
            assertThat(s.metrics().generatedTokens()).isEqualTo(2);
        }
        assertThat(model.calls()).singleElement().satisfies(c -> {
            assertThat(c.prompt()).isEqualTo("hello world");
            assertThat(c.config().temperature()).isEqualTo(0.3f);
        });
        assertThat(model.streamsOpened()).isEqualTo(1);
        assertThat(model.streamsClosed()).isEqualTo(1);
        assertThat(model.metrics().generatedTokens()).isEqualTo(2);
    }

    @Test
    void maxTokensEndsWithLength() {
        var model = ScriptedTextModel.of("a", "b", "c");
        try (TokenStream s = model.generate("p", GenerateOption.maxTokens(2))) {
            assertThat(s.remainingText()).isEqualTo("ab");
            assertThat(s.finishReason()).isEqualTo(FinishReason.LENGTH);
        }
    }

    @Test
    void scriptsPerCallAndBatchKeepsFailuresPerItem() {
        var model = ScriptedTextModel.builder()
                .script(c -> c.prompt().equals("bad")
                        ? Script.of("x").failingAfter(1, new MlException("nope"))
                        : Script.of("ok:" + c.prompt()))
                .build();
        List<BatchResult> results = model.batchGenerate(List.of("a", "bad", "c"), GenerateConfig.defaults());
        assertThat(results).extracting(BatchResult::isSuccess).containsExactly(true, false, true);
        assertThat(results.get(0).text()).isEqualTo("ok:a");
        assertThat(results.get(1).text()).isEqualTo("x");
        assertThat(results.get(1).error())
                .get()
                .extracting(Throwable::getMessage)
                .isEqualTo("nope");
        assertThat(model.classify(List.of("a"), GenerateConfig.defaults())
                        .get(0)
                        .token()
                        .text())
                .isEqualTo("ok:a");
    }

    @Test
    void awaitsClosingFromAnotherThread() throws Exception {
        var model = ScriptedTextModel.builder()
                .tokens("a", "b")
                .tokenDelay(Duration.ofMinutes(1))
                .build();
        TokenStream s = model.generate("p");
        new Thread(s::close).start();
        assertThat(model.awaitStreamsClosed(1, Duration.ofSeconds(10))).isTrue();
        assertThat(model.awaitStreamsClosed(2, Duration.ofMillis(20))).isFalse();
    }

    @Test
    void aClosedModelRefusesNewCalls() {
        var model = ScriptedTextModel.of("a");
        model.close();
        assertThatThrownBy(() -> model.generate("p")).isInstanceOf(IllegalStateException.class);
    }
}
