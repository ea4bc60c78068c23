package ai.lthn.ml.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateConfigTest {

    @Test
    void defaultsAreAllZero() {
        GenerateConfig c = GenerateConfig.defaults();
        assertThat(c.temperature()).isZero();
        assertThat(c.maxTokens()).isZero();
        assertThat(c.topK()).isZero();
        assertThat(c.topP()).isZero();
        assertThat(c.stopTokens()).isEmpty();
        assertThat(c.repeatPenalty()).isZero();
        assertThat(c.returnLogits()).isFalse();
    }

    @Test
    void optionsFoldInOrderAndLaterOnesWin() {
        GenerateConfig c = GenerateConfig.of(
                GenerateOption.temperature(0.5f),
                GenerateOption.maxTokens(10),
                GenerateOption.temperature(0.9f),
                GenerateOption.topK(40),
                GenerateOption.topP(0.95f),
                GenerateOption.stopTokens(1, 2),
                GenerateOption.repeatPenalty(1.1f),
                GenerateOption.returnLogits(true));
        assertThat(c.temperature()).isEqualTo(0.9f);
        assertThat(c.maxTokens()).isEqualTo(10);
        assertThat(c.topK()).isEqualTo(40);
        assertThat(c.topP()).isEqualTo(0.95f);
        assertThat(c.stopTokens()).containsExactly(1, 2);
        assertThat(c.repeatPenalty()).isEqualTo(1.1f);
        assertThat(c.returnLogits()).isTrue();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void invalidValuesAreRejected() {
        assertThatThrownBy(() -> GenerateConfig.of(GenerateOption.maxTokens(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> GenerateConfig.of(GenerateOption.topP(1.5f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topP");
        assertThatThrownBy(() -> GenerateConfig.of(List.of(GenerateOption.temperature(Float.NaN))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAreValuesWithEquality() {
        assertThat(GenerateOption.stopTokens(3, 4)).isEqualTo(GenerateOption.stopTokens(3, 4));
        assertThat(GenerateOption.temperature(0.1f)).isNotEqualTo(GenerateOption.temperature(0.2f));
    }
}
