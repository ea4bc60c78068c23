package ai.lthn.ml.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry: {@code TestEngines.Declining} and {@code TestEngines.Unavailable} are found through
 * {@code META-INF/services} in the test resources; a third is registered by hand.
 */
class InferenceTest {

    @AfterEach
    void unregisterByHand() {
        Inference.unregister("scripted");
    }

    @Test
    void enginesAreDiscoveredWithServiceLoader() {
        assertThat(Inference.engines()).extracting(InferenceEngine::name).contains("declining", "offline");
        assertThat(Inference.engine("offline"))
                .get()
                .extracting(InferenceEngine::isAvailable)
                .isEqualTo(false);
        assertThat(Inference.engine("nope")).isEmpty();
    }

    @Test
    void whenNoEngineLoadsThePathTheErrorListsEveryEngineAndWhy() {
        assertThatThrownBy(() -> Inference.loadModel(Path.of("/models/x")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("/models/x")
                .hasMessageContaining("declining: not a declining-format model")
                .hasMessageContaining("offline: unavailable: unsupported platform (test)");
    }

    @Test
    void aRegisteredEngineLoadsAndLoadOptionsReachIt() {
        Inference.register(new TestEngines.Scripted());
        TextModel model = Inference.loadModel(Path.of("/models/y"), LoadOption.contextLength(4096));
        assertThat(model.modelType()).isEqualTo("ctx-4096");
        assertThat(model).isInstanceOf(ScriptedTextModel.class);
    }

    @Test
    void namingAnEngineUsesOnlyThatEngine() {
        Inference.register(new TestEngines.Scripted());
        assertThatThrownBy(() -> Inference.loadModel(Path.of("/m"), LoadOption.engine("declining")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("declining:")
                .hasMessageNotContaining("offline");
        assertThatThrownBy(() -> Inference.loadModel(Path.of("/m"), LoadOption.engine("nope")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no inference engine named \"nope\"");
    }
}
