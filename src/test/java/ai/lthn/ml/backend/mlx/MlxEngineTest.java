package ai.lthn.ml.backend.mlx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.MlException;
import ai.lthn.ml.inference.Inference;
import ai.lthn.ml.inference.InferenceEngine;
import ai.lthn.ml.inference.LoadConfig;
import ai.lthn.ml.inference.ModelLoadException;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MlxEngineTest {
    @Test
    void isDiscoveredAndOnLinuxSaysUnsupportedPlatform() {
        assertThat(Inference.engine("metal")).isPresent();
        MlxEngine linux = new MlxEngine("Linux", "amd64");
        assertThat(linux.isAvailable()).isFalse();
        assertThat(linux.unavailableReason())
                .startsWith("unsupported platform")
                .contains("macOS on arm64")
                .contains("Linux amd64");
        assertThatThrownBy(() -> linux.loadModel(Path.of("/m"), LoadConfig.defaults()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("unsupported platform");
    }

    @Test
    void onMacArmWithoutTheLibraryItSaysWhichLibrary() {
        MlxEngine mac = new MlxEngine("Mac OS X", "aarch64");
        assertThat(mac.isAvailable()).isFalse();
        assertThat(mac.unavailableReason()).contains("native library lthn_mlx not loaded");
        assertThat(new MlxEngine("Mac OS X", "x86_64").unavailableReason()).startsWith("unsupported platform");
    }

    @Test
    void mlxBackendWrapsTheErrorAsGoMlDoes() {
        if (System.getProperty("os.name").startsWith("Mac")
                && System.getProperty("os.arch").equals("aarch64")) return;
        assertThatThrownBy(() -> MlxBackend.load(Path.of("/models/gemma")))
                .isInstanceOf(MlException.class)
                .hasMessageStartingWith("mlx: ")
                .hasMessageContaining("unsupported platform");
    }

    @Test
    void mlxBackendUsesWhateverEngineIsRegisteredAsMetal() {
        InferenceEngine fake = new InferenceEngine() {
            @Override
            public String name() {
                return "metal";
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public String unavailableReason() {
                return "";
            }

            @Override
            public TextModel loadModel(Path path, LoadConfig config) {
                return ScriptedTextModel.builder().tokens("MLX ", "output").build();
            }
        };
        Inference.register(fake);
        try {
            var backend = MlxBackend.load(Path.of("/models/gemma"));
            assertThat(backend.name()).isEqualTo("mlx");
            assertThat(backend.generate("x", GenOpts.defaults())).isEqualTo("MLX output");
        } finally {
            Inference.unregister("metal");
            Inference.register(new MlxEngine());
        }
    }
}
