package ai.lthn.ml.backend.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.backend.InferenceAdapter;
import ai.lthn.ml.inference.GenerateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InferenceAdapter (TextModel → Backend) over the native model, through the real JNI path. */
class NativeAdapterTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void loadLibrary() {
        String why = NativeLibrary.load("lthn_test");
        if (why != null && !Files.isExecutable(Path.of("/usr/bin/gcc")))
            Assumptions.abort("native test engine not built (" + why + "): install the Debian package gcc");
        assertThat(why).isNull();
    }

    private NativeTextModel model(String spec) throws Exception {
        Path p = Files.writeString(Files.createTempFile(dir, "model", ".txt"), spec);
        return NativeTextModel.load(p, 0, 0);
    }

    @Test
    void generateStreamAndChatMatchTheModelsOwnTokens() throws Exception {
        try (NativeTextModel m = model("tokens=12")) {
            InferenceAdapter adapter =
                    InferenceAdapter.builder(m).name("native").build();
            StringBuilder direct = new StringBuilder();
            try (var s = m.generate("hi there", GenerateConfig.defaults())) {
                s.forEachRemaining(t -> direct.append(t.text()));
            }
            assertThat(adapter.generate("hi there", GenOpts.defaults())).isEqualTo(direct.toString());
            List<String> streamed = new ArrayList<>();
            adapter.generateStream("hi there", GenOpts.defaults(), streamed::add);
            assertThat(streamed).hasSize(12);
            assertThat(String.join("", streamed)).isEqualTo(direct.toString());
            assertThat(adapter.generate(
                                    "hi there", GenOpts.builder().maxTokens(3).build())
                            .split(" "))
                    .hasSize(3);
            assertThat(adapter.chat(List.of(Message.user("hi there")), GenOpts.defaults()))
                    .isNotBlank()
                    .isNotEqualTo(direct.toString());
        }
    }

    @Test
    void aNativeFailureReachesTheBackendCallerWithThePartialText() throws Exception {
        try (NativeTextModel m = model("fail_after=4")) {
            InferenceAdapter adapter =
                    InferenceAdapter.builder(m).name("native").build();
            assertThatThrownBy(() -> adapter.generate("x", GenOpts.defaults()))
                    .isInstanceOf(StreamFailedException.class)
                    .hasMessageContaining("injected failure after 4 tokens");
        }
    }
}
