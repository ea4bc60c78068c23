package ai.lthn.ml.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.GenerateOption;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationOptionsTest {

    @Test
    void convertOptsCountsAsGoMl() {
        assertThat(GenerationOptions.toOptions(GenOpts.builder()
                        .temperature(0.7)
                        .maxTokens(512)
                        .model("ignored")
                        .build()))
                .hasSize(2);
        assertThat(GenerationOptions.toOptions(GenOpts.builder().build())).isEmpty();
        assertThat(GenerationOptions.toOptions(
                        GenOpts.builder().temperature(0.5).build()))
                .hasSize(1);
        assertThat(GenerationOptions.toOptions(GenOpts.builder().maxTokens(100).build()))
                .hasSize(1);
    }

    @Test
    void convertOptsNewFieldsAndOrder() {
        assertThat(GenerationOptions.toOptions(GenOpts.builder().topK(40).build()))
                .containsExactly(GenerateOption.topK(40));
        assertThat(GenerationOptions.toOptions(GenOpts.builder().topP(0.9).build()))
                .containsExactly(GenerateOption.topP(0.9f));
        assertThat(GenerationOptions.toOptions(
                        GenOpts.builder().repeatPenalty(1.1).build()))
                .containsExactly(GenerateOption.repeatPenalty(1.1f));
        assertThat(GenerationOptions.toOptions(
                        GenOpts.builder().topK(40).topP(0.9).repeatPenalty(1.1).build()))
                .hasSize(3);
        GenOpts all = GenOpts.builder()
                .temperature(0.7)
                .maxTokens(512)
                .topK(40)
                .topP(0.9)
                .repeatPenalty(1.1)
                .build();
        assertThat(GenerationOptions.toOptions(all))
                .containsExactly(
                        GenerateOption.temperature(0.7f),
                        GenerateOption.maxTokens(512),
                        GenerateOption.topK(40),
                        GenerateOption.topP(0.9f),
                        GenerateOption.repeatPenalty(1.1f));
        assertThat(GenerationOptions.toOptions(
                        GenOpts.builder().temperature(0.5).build()))
                .hasSize(1);
    }

    @Test
    void negativeTemperatureIsPassedThroughAsGoMlDoes() {
        assertThat(GenerationOptions.toOptions(GenOpts.builder().temperature(-1).build()))
                .containsExactly(GenerateOption.temperature(-1f));
    }

    @Test
    void aConfigBecomesGenOptsWithTheRequestModel() {
        GenerateConfig config = GenerateConfig.builder()
                .temperature(0.5f)
                .maxTokens(64)
                .topK(40)
                .topP(0.5f)
                .repeatPenalty(1.5f)
                .stopTokens(List.of(7))
                .build();
        assertThat(GenerationOptions.toGenOpts(config, "m")).isEqualTo(new GenOpts(0.5, 64, "m", 40, 0.5, 1.5, false));
        assertThat(GenerationOptions.toConfig(GenerationOptions.toGenOpts(config, "")))
                .isEqualTo(config.toBuilder().stopTokens(List.of()).build());
    }

    @Test
    void theConfigsModelOverridesTheDefaultAndEmptyKeepsIt() {
        GenerateConfig named = GenerateConfig.of(GenerateOption.model("qwen"), GenerateOption.maxTokens(8));
        assertThat(named.model()).isEqualTo("qwen");
        assertThat(GenerationOptions.toGenOpts(named, "default").model()).isEqualTo("qwen");
        assertThat(GenerationOptions.toGenOpts(GenerateConfig.defaults(), "default")
                        .model())
                .isEqualTo("default");
        assertThat(GenerateConfig.defaults().model()).isEmpty();
        assertThat(named.toBuilder().build()).isEqualTo(named);
        // go-ml's convertOpts still drops the model (local engines do not route by name)
        assertThat(GenerationOptions.toOptions(GenOpts.builder().model("x").build()))
                .isEmpty();
    }

    @Test
    void aNullModelIsRefusedWithItsName() {
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> GenerateOption.model(null))
                .withMessageContaining("model");
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> GenerateConfig.builder().model(null))
                .withMessageContaining("model");
    }
}
