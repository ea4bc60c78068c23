package ai.lthn.ml.backend.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.Inference;
import ai.lthn.ml.inference.LoadConfig;
import ai.lthn.ml.inference.LoadOption;
import ai.lthn.ml.inference.ModelLoadException;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "native" engine slot: chosen by a system property, loaded through the registry. */
class NativeEngineTest {
    @TempDir
    Path dir;

    @Test
    void memoryLimitsFoldIntoTheLoadConfig() {
        LoadConfig c = LoadConfig.of(List.of(LoadOption.engine("native"), LoadOption.memoryLimits(1 << 20, 2 << 20)));
        assertThat(c).isEqualTo(new LoadConfig("native", 0, 1 << 20, 2 << 20));
        assertThat(LoadConfig.defaults().cacheLimitBytes()).isZero(); // the engine's default
        assertThatThrownBy(() -> LoadOption.memoryLimits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutThePropertyTheEngineSaysWhatToSet() {
        String before = System.clearProperty(NativeEngine.PROPERTY);
        try {
            NativeEngine e = new NativeEngine();
            assertThat(e.isAvailable()).isFalse();
            assertThat(e.unavailableReason()).contains("-Dlthn.native.engine=");
            assertThatThrownBy(() -> e.loadModel(Path.of("m"), LoadConfig.defaults()))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("lthn.native.engine");
        } finally {
            if (before != null) System.setProperty(NativeEngine.PROPERTY, before);
        }
    }

    @Test
    void theRegistryLoadsANativeModelWithTheTestEngine() throws Exception {
        if (NativeLibrary.load("lthn_test") != null)
            Assumptions.abort("native test engine not built: install the Debian package gcc");
        String before = System.setProperty(NativeEngine.PROPERTY, "lthn_test");
        try {
            Path spec = Files.writeString(dir.resolve("m.spec"), "tokens=4\n");
            try (TextModel m = Inference.loadModel(
                            spec, LoadOption.engine("native"), LoadOption.memoryLimits(1L << 30, 2L << 30));
                    TokenStream s = m.generate("hi", GenerateConfig.defaults())) {
                assertThat(m).isInstanceOf(NativeTextModel.class);
                assertThat(s.stream().count()).isEqualTo(4);
            }
        } finally {
            if (before == null) System.clearProperty(NativeEngine.PROPERTY);
            else System.setProperty(NativeEngine.PROPERTY, before);
        }
    }
}
