package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenOptsTest {

    @Test
    void defaultsMatchGoMlDefaultGenOpts() {
        GenOpts d = GenOpts.defaults();
        assertThat(d.temperature()).isEqualTo(0.1);
        assertThat(d.maxTokens()).isZero();
        assertThat(d.model()).isEmpty();
        assertThat(d.topK()).isZero();
        assertThat(d.topP()).isZero();
        assertThat(d.repeatPenalty()).isZero();
    }

    @Test
    void builderAndWithersDeriveNewValues() {
        GenOpts o =
                GenOpts.builder().temperature(0.7).maxTokens(512).model("qwen3").build();
        assertThat(o.withMaxTokens(10).maxTokens()).isEqualTo(10);
        assertThat(o.maxTokens()).isEqualTo(512);
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.withModel("").model()).isEmpty();
        assertThat(o.withTemperature(0).temperature()).isZero();
    }

    @Test
    void outOfRangeValuesNameTheField() {
        assertThatThrownBy(() -> GenOpts.builder().maxTokens(-1).build()).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> GenOpts.builder().topK(-5).build()).hasMessageContaining("topK");
        assertThatThrownBy(() -> GenOpts.builder().topP(2).build()).hasMessageContaining("topP");
        assertThatThrownBy(() -> GenOpts.builder().repeatPenalty(-1).build()).hasMessageContaining("repeatPenalty");
        assertThatThrownBy(() -> GenOpts.builder().temperature(Double.NaN).build())
                .hasMessageContaining("temperature");
    }
}
