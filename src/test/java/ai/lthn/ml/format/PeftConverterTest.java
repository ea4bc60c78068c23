package ai.lthn.ml.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeftConverterTest {
    @TempDir
    Path tmp;

    /**
     * Expected SHA-256 of (input adapters.safetensors, output adapter_model.safetensors, output
     * adapter_config.json) for each {@link PeftFixtures} case.
     *
     * <p>Derivation: the inputs were written by {@code PeftFixtures.main(dir)}; go-ml's own
     * {@code convert.go} at commit 3918051 (taken with {@code git archive}, its package renamed to
     * main, and — because this machine's Go is 1.19 — its four {@code for x := range n} loops
     * written as counted loops, which changes no behaviour) was compiled OUTSIDE this repository
     * with a ten-line main that calls {@code ConvertMLXtoPEFT(in, cfg, out, baseModel)} and prints
     * the digests. No Go code is committed. The fixtures contain no {@code \b} or {@code \f}
     * characters, the one place Go 1.19's JSON strings differ from Go 1.25's.
     */
    static Stream<Arguments> goDigests() {
        return Stream.of(
                Arguments.of(
                        "f32-1layer",
                        "99bf4817dd852d9b54ec5a0f76dc8cf248998a1ee2b6d913d741af8bf5ee223b",
                        "0f1d2d41a757fd580c8fc15f363f0df3dccdde1fd31890a6a0316c2e39ef5825",
                        "a8af01c1f0d51508caa59ccb8229320c9d76497a0d81d972466fd34fe7719230"),
                Arguments.of(
                        "f16-3layers",
                        "7a5e3adb7b14361fb4877cad15b7770997c11bdc6630d50d39a78c0e11e1dbc3",
                        "d0ffaa8ee8ec7c563f58c5ae800503dadfa8bb4af75e9d66336c679646a8fad6",
                        "b02577f9a200347a1e34399f346c28b3fd364a1cc4931430839d6a9d869a6100"),
                Arguments.of(
                        "bf16-2layers-defaults",
                        "3a1f24b7081f3b86cdbae09009ffbcc602c498b02b727b4386d3b90f280043c0",
                        "1b108a86f69d54cd95502ef03d4deabc5befa95e27242fcf744776a268fa6af4",
                        "2d274cd70137cb29fe71946314e9d0e0aca060ff80a41b5a38971dce3a3dd516"),
                Arguments.of(
                        "mixed-4layers-rank-only",
                        "b5f5702df19c44e019d67dad6f95df161f5f09afb78b04d9dee7ad724bbcca09",
                        "55e3158ee987d98d023f83686d0ac11df8c1f16c2d4e94be9f8a9cacbfe3307c",
                        "90d69adf098dd742d86b744776b80a008eddda08ebc13e40ff40fc23a9870feb"),
                Arguments.of(
                        "f16-12layers-scale-only",
                        "67361e804f45c9512b60e6bf2072876d88fe55b0c53a598f0cee856349d3fe31",
                        "f407eae41822b78e4f3cc6cc608b657aa1233a29b02acc603b7b0af584bb97c6",
                        "b12ccea9e47d88f94fab56586100878a8797e57f32389d9f9daeb8a1cbd53401"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goDigests")
    void writesWhatGoMlWritesByteForByte(String name, String inSha, String modelSha, String configSha)
            throws IOException {
        PeftFixtures.Case c = PeftFixtures.CASES.stream()
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow();
        Path dir = tmp.resolve(name);
        PeftFixtures.write(c, dir);
        assertThat(sha256(dir.resolve("adapters.safetensors")))
                .as("fixture input")
                .isEqualTo(inSha);

        PeftConversion r = PeftConverter.convert(
                dir.resolve("adapters.safetensors"),
                dir.resolve("adapter_config.json"),
                dir.resolve("out"),
                c.baseModel());

        assertThat(sha256(r.modelFile())).as("adapter_model.safetensors").isEqualTo(modelSha);
        assertThat(sha256(r.configFile())).as("adapter_config.json").isEqualTo(configSha);
        assertThat(r.tensors()).isEqualTo(c.layers() * 6 + (c.extras() ? 2 : 0));
        assertThat(r.layers()).hasSize(c.layers());
        try (Stream<Path> left = Files.list(dir.resolve("out"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("adapter_model.safetensors", "adapter_config.json");
        }
    }

    @Test
    void configHasGoFormAndDefaults() throws IOException {
        Path dir = tmp.resolve("c");
        PeftFixtures.write(PeftFixtures.CASES.get(0), dir);
        PeftConversion r = PeftConverter.convert(
                dir.resolve("adapters.safetensors"), dir.resolve("adapter_config.json"), dir.resolve("out"), "m");
        String json = Files.readString(r.configFile());
        assertThat(json).contains("\"lora_alpha\": 160,\n").contains("\"lora_dropout\": 0.05,\n");
        assertThat(json).contains("\"r\": 8,\n").endsWith("\n}").doesNotEndWith("\n\n}");
        assertThat(json).contains("\"layers_to_transform\": [\n    0\n  ],");
        assertThat(r.targetModules()).containsExactly("down_proj", "q_proj", "v_proj");
    }

    @Test
    void transposesAndRenames() throws IOException {
        Path in = tmp.resolve("in.safetensors");
        // 2x3 F32 [[1,2,3],[4,5,6]] -> 3x2 [[1,4],[2,5],[3,6]]
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {1, 2, 3, 4, 5, 6}) b.putFloat(f);
        b.flip();
        SafetensorsWriter.write(
                in,
                List.of(new SafetensorsWriter.Entry("model.layers.7.mlp.up_proj.lora_b", "F32", List.of(2L, 3L), b)));
        Path cfg = tmp.resolve("cfg.json");
        Files.writeString(cfg, "null");
        PeftConversion r = PeftConverter.convert(in, cfg, tmp.resolve("o"), "");
        try (SafetensorsFile f = SafetensorsFile.open(r.modelFile())) {
            SafetensorsTensor t = f.tensors().get("base_model.model.model.layers.7.mlp.up_proj.lora_B.default.weight");
            assertThat(t.shape()).containsExactly(3L, 2L);
            ByteBuffer d = f.data(t.name());
            float[] got = new float[6];
            for (int i = 0; i < 6; i++) got[i] = d.getFloat(i * 4);
            assertThat(got).containsExactly(1, 4, 2, 5, 3, 6);
        }
        assertThat(r.layers()).containsExactly(7L);
        assertThat(Files.readString(r.configFile())).contains("\"lora_alpha\": 160,");
    }

    @Test
    void renameFollowsGoMl() {
        assertThat(PeftConverter.renameMlxKey("model.layers.0.self_attn.q_proj.lora_a"))
                .isEqualTo("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight");
        assertThat(PeftConverter.renameMlxKey("x.lora_b")).isEqualTo("base_model.model.x.lora_B.default.weight");
        assertThat(PeftConverter.renameMlxKey("x.lora_a\n")).isEqualTo("base_model.model.x.lora_a\n");
        assertThat(PeftConverter.renameMlxKey("norm")).isEqualTo("base_model.model.norm");
    }

    @Test
    void goRoundIsHalfAwayFromZero() {
        assertThat(PeftConverter.goRound(2.5)).isEqualTo(3.0);
        assertThat(PeftConverter.goRound(-2.5)).isEqualTo(-3.0);
        assertThat(PeftConverter.goRound(0.49999999999999994)).isEqualTo(0.0);
        assertThat(PeftConverter.goRound(5.3328)).isEqualTo(5.0);
    }

    @Test
    void badConfigFailsBeforeAnythingIsWritten() throws IOException {
        Path dir = tmp.resolve("bad");
        PeftFixtures.write(PeftFixtures.CASES.get(0), dir);
        for (String cfg : List.of(
                "{\"lora_parameters\": {\"rank\": 8.5}}",
                "{\"lora_parameters\": {\"scale\": \"x\"}}",
                "[1]",
                "{",
                "")) {
            Files.writeString(dir.resolve("adapter_config.json"), cfg);
            Path out = dir.resolve("out");
            assertThatThrownBy(() -> PeftConverter.convert(
                            dir.resolve("adapters.safetensors"), dir.resolve("adapter_config.json"), out, ""))
                    .as(cfg)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("adapter_config.json");
            try (Stream<Path> left = Files.list(out)) {
                assertThat(left).as("nothing written for " + cfg).isEmpty();
            }
        }
    }

    @Test
    void dropoutOfTheWrongTypeFailsPeftButNotGguf() throws IOException {
        Path dir = tmp.resolve("m5");
        PeftFixtures.write(
                PeftFixtures.CASES.stream()
                        .filter(x -> x.name().equals("mixed-5layers"))
                        .findFirst()
                        .orElseThrow(),
                dir);
        assertThatThrownBy(() -> PeftConverter.convert(
                        dir.resolve("adapters.safetensors"),
                        dir.resolve("adapter_config.json"),
                        dir.resolve("out"),
                        ""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lora_parameters.dropout");
        assertThat(dir.resolve("out/adapter_model.safetensors")).doesNotExist();
    }

    @Test
    void keysThatCollideAreRejected() throws IOException {
        Path in = tmp.resolve("c.safetensors");
        ByteBuffer z = ByteBuffer.allocate(4);
        SafetensorsWriter.write(
                in,
                List.of(
                        new SafetensorsWriter.Entry("a.lora_a", "F32", List.of(1L), z),
                        new SafetensorsWriter.Entry("a.lora_A.default.weight", "F32", List.of(1L), z)));
        Path cfg = tmp.resolve("cfg.json");
        Files.writeString(cfg, "{}");
        assertThatThrownBy(() -> PeftConverter.convert(in, cfg, tmp.resolve("o"), ""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("both become base_model.model.a.lora_A.default.weight");
    }

    @Test
    void unknownDtypeIsCarriedUntouched() throws IOException {
        Path in = tmp.resolve("u.safetensors");
        byte[] raw = "abcdef".getBytes(StandardCharsets.US_ASCII);
        SafetensorsWriter.write(
                in, List.of(new SafetensorsWriter.Entry("q.lora_a", "Q4_X", List.of(2L, 3L), ByteBuffer.wrap(raw))));
        Path cfg = tmp.resolve("cfg.json");
        Files.writeString(cfg, "{}");
        PeftConversion r = PeftConverter.convert(in, cfg, tmp.resolve("o"), "");
        try (SafetensorsFile f = SafetensorsFile.open(r.modelFile())) {
            Map<String, SafetensorsTensor> t = f.tensors();
            SafetensorsTensor only = t.values().iterator().next();
            assertThat(only.shape()).containsExactly(2L, 3L);
            ByteBuffer d = f.data(only.name());
            byte[] got = new byte[d.remaining()];
            d.get(got);
            assertThat(got).isEqualTo(raw);
        }
    }

    static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
