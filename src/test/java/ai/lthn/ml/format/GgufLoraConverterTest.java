package ai.lthn.ml.format;

import static ai.lthn.ml.format.PeftConverterTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GgufLoraConverterTest {
    @TempDir
    Path tmp;

    /**
     * Expected SHA-256 of the GGUF file for {@link PeftFixtures} cases. Derived exactly as in
     * {@link PeftConverterTest#goDigests()}: go-ml 3918051's own {@code gguf.go} + {@code convert.go}
     * compiled outside this repository (Go 1.19; only {@code for x := range n} loops rewritten as
     * counted loops) and run as {@code ConvertMLXtoGGUFLoRA(in, cfg, out, arch)} on the same input
     * files (whose digests {@code PeftConverterTest} checks). No Go code is committed.
     */
    static Stream<Arguments> goDigests() {
        return Stream.of(
                Arguments.of(
                        "f32-1layer", "gemma3", "f0d15171e97969953848ad28e8f6bd81313d959f010a8289fe64813647f5f521"),
                Arguments.of(
                        "f16-3layers", "gemma3", "9063c4f088f127935ed75b161a1141777bc96b701f2064e423389eed3003d12e"),
                Arguments.of(
                        "bf16-2layers-defaults",
                        "gemma3",
                        "cdf4d591444ed5074deee2fe79635ecc92bbe1b9f7238487cf13d6e4b6a63630"),
                Arguments.of(
                        "mixed-5layers", "gemma3", "6bc667a5a590fa386c45317b344b6330ef97000c13cd779d9fb946d910b47363"),
                Arguments.of(
                        "mixed-5layers", "llama", "ea3f011aeae3be3b3bf988f9703e9153652678accd1bef479738a7cbdcbd3c92"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goDigests")
    void writesWhatGoMlWritesByteForByte(String name, String arch, String sha) throws IOException {
        Path dir = fixture(name);
        Path out = dir.resolve("adapter.gguf");
        GgufLoraConverter.Result r = GgufLoraConverter.convert(
                dir.resolve("adapters.safetensors"), dir.resolve("adapter_config.json"), out, arch);
        assertThat(sha256(out)).isEqualTo(sha);
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.metadata().keySet())
                    .containsExactly("general.type", "general.architecture", "adapter.type", "adapter.lora.alpha");
            assertThat(g.metadata().get("general.architecture").value()).isEqualTo(arch);
            assertThat(g.metadata().get("adapter.lora.alpha").value()).isEqualTo(r.alpha());
            assertThat(g.tensors()).hasSize(r.tensors());
            assertThat(g.tensors().get(0).name()).startsWith("blk.0.");
        }
    }

    @Test
    void dimsKeepTheSourceOrderWhileTheDataIsTransposed() throws IOException {
        Path in = tmp.resolve("a.safetensors");
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0});
        SafetensorsWriter.write(
                in,
                List.of(new SafetensorsWriter.Entry("model.layers.2.mlp.up_proj.lora_b", "F16", List.of(2L, 3L), b)));
        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{}");
        Path out = tmp.resolve("o.gguf");
        GgufLoraConverter.convert(in, cfg, out, "gemma3");
        try (GgufFile g = GgufFile.open(out)) {
            GgufTensorInfo t = g.tensors().get(0);
            assertThat(t.name()).isEqualTo("blk.2.ffn_up.weight.lora_b");
            assertThat(t.dims()).containsExactly(2L, 3L);
            assertThat(t.typeName()).isEqualTo("F16");
            ByteBuffer d = g.data(t);
            byte[] got = new byte[d.remaining()];
            d.get(got);
            assertThat(got).containsExactly(1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6, 0);
            assertThat(g.dataStart() % 32).isZero();
        }
    }

    @Test
    void goMlErrorsForUnmappableKeysAndDtypes() throws IOException {
        Path dir = fixture("mixed-4layers-rank-only");
        assertThatThrownBy(() -> GgufLoraConverter.convert(
                        dir.resolve("adapters.safetensors"),
                        dir.resolve("adapter_config.json"),
                        tmp.resolve("x.gguf"),
                        "gemma3"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unrecognised MLX LoRA key: model.layers.0.cube");
        assertThat(tmp.resolve("x.gguf")).doesNotExist();

        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{}");
        Path in = tmp.resolve("m.safetensors");
        SafetensorsWriter.write(
                in,
                List.of(new SafetensorsWriter.Entry(
                        "model.layers.0.self_attn.x_proj.lora_a", "F32", List.of(1L), ByteBuffer.allocate(4))));
        assertThatThrownBy(() -> GgufLoraConverter.convert(in, cfg, tmp.resolve("x.gguf"), "gemma3"))
                .hasMessageContaining("unknown module \"self_attn.x_proj\" in model.layers.0.self_attn.x_proj.lora_a");
        SafetensorsWriter.write(
                in,
                List.of(new SafetensorsWriter.Entry(
                        "model.layers.0.self_attn.q_proj.lora_a", "I32", List.of(1L), ByteBuffer.allocate(4))));
        assertThatThrownBy(() -> GgufLoraConverter.convert(in, cfg, tmp.resolve("x.gguf"), "gemma3"))
                .hasMessageContaining(
                        "tensor model.layers.0.self_attn.q_proj.lora_a: unsupported dtype \"I32\" for GGUF");
        assertThat(tmp.resolve("x.gguf")).doesNotExist();
    }

    private Path fixture(String name) throws IOException {
        PeftFixtures.Case c = PeftFixtures.CASES.stream()
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow();
        Path dir = tmp.resolve(name);
        PeftFixtures.write(c, dir);
        return dir;
    }
}
