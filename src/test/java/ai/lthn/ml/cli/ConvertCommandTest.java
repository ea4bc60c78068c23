package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.format.SafetensorsFile;
import ai.lthn.ml.format.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path tmp;

    @Test
    void convertsAndSaysWhere() throws IOException {
        Path in = tmp.resolve("adapters.safetensors");
        SafetensorsWriter.write(
                in,
                List.of(new SafetensorsWriter.Entry(
                        "model.layers.3.self_attn.o_proj.lora_a", "F16", List.of(2L, 2L), ByteBuffer.allocate(8))));
        Path cfg = tmp.resolve("adapter_config.json");
        Files.writeString(cfg, "{\"lora_parameters\":{\"rank\":2,\"scale\":10}}");
        Path out = tmp.resolve("peft");
        CliRun r = CliRun.of(
                "convert",
                "--input",
                in.toString(),
                "--config",
                cfg.toString(),
                "--output-dir",
                out.toString(),
                "--base-model",
                "gemma");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("PEFT adapter written to " + out);
        assertThat(Files.readString(out.resolve("adapter_config.json")))
                .contains("\"base_model_name_or_path\": \"gemma\"")
                .contains("\"lora_alpha\": 20,")
                .contains("\"target_modules\": [\n    \"o_proj\"\n  ]");
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("adapter_model.safetensors"))) {
            assertThat(f.tensors())
                    .containsOnlyKeys("base_model.model.model.layers.3.self_attn.o_proj.lora_A.default.weight");
        }
    }

    @Test
    void missingFlagsAndBadInputExitOne() throws IOException {
        CliRun r = CliRun.of("convert", "--input", "x");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("--input, --config, and --output-dir are required");

        Path in = tmp.resolve("bad.safetensors");
        Files.write(in, new byte[] {1, 2});
        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{}");
        CliRun bad = CliRun.of(
                "convert",
                "--input",
                in.toString(),
                "--config",
                cfg.toString(),
                "--output-dir",
                tmp.resolve("o").toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err())
                .contains("convert to PEFT")
                .contains(in.toString())
                .contains("file too small");
        try (var s = Files.list(tmp.resolve("o"))) {
            assertThat(s).isEmpty();
        }
    }
}
