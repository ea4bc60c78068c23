package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.format.GgufType;
import ai.lthn.ml.format.GgufValue;
import ai.lthn.ml.format.GgufWriter;
import ai.lthn.ml.format.SafetensorsWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufCommandTest {
    @TempDir
    Path tmp;

    @Test
    void convertsThenInspects() throws IOException {
        Path in = tmp.resolve("adapters.safetensors");
        SafetensorsWriter.write(
                in,
                List.of(
                        new SafetensorsWriter.Entry(
                                "model.layers.0.self_attn.q_proj.lora_a",
                                "F32",
                                List.of(4L, 2L),
                                ByteBuffer.allocate(32)),
                        new SafetensorsWriter.Entry(
                                "model.layers.0.self_attn.q_proj.lora_b",
                                "BF16",
                                List.of(2L, 4L),
                                ByteBuffer.allocate(16))));
        Path cfg = tmp.resolve("adapter_config.json");
        Files.writeString(cfg, "{\"lora_parameters\":{\"rank\":2,\"scale\":10}}");
        Path out = tmp.resolve("a.gguf");
        CliRun r = CliRun.of("gguf", "--input", in.toString(), "--config", cfg.toString(), "--output", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("GGUF LoRA adapter written to " + out + " (2 tensors, alpha=20)");

        CliRun text = CliRun.of("gguf", "--inspect", out.toString());
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out())
                .startsWith("GGUF v3: 4 metadata, 2 tensors, alignment 32")
                .contains("general.architecture (string) = \"gemma3\"")
                .contains("adapter.lora.alpha (float32) = 20.0")
                .contains("blk.0.attn_q.weight.lora_a")
                .contains("BF16");

        CliRun js = CliRun.of("gguf", "--inspect", out.toString(), "--json");
        JsonNode root = new ObjectMapper().readTree(js.out());
        assertThat(root.get("version").asInt()).isEqualTo(3);
        assertThat(root.get("tensors").get(1).get("dims").toString()).isEqualTo("[2,4]");
        assertThat(root.at("/metadata/adapter.type/value").asText()).isEqualTo("lora");
    }

    @Test
    void longArraysAreSummarised() throws IOException {
        List<GgufValue> tokens = new ArrayList<>();
        for (int i = 0; i < 1000; i++) tokens.add(GgufValue.string("tok" + i));
        Path p = tmp.resolve("v.gguf");
        GgufWriter.write(
                p,
                List.of(new AbstractMap.SimpleImmutableEntry<>(
                        "tokenizer.ggml.tokens", GgufValue.array(GgufType.STRING, tokens))),
                List.of());
        CliRun text = CliRun.of("gguf", "--inspect", p.toString());
        assertThat(text.out())
                .contains("tokenizer.ggml.tokens (array of 1000 string) = [\"tok0\", \"tok1\"")
                .contains("… 992 more]")
                .doesNotContain("tok999");
        JsonNode root = new ObjectMapper()
                .readTree(CliRun.of("gguf", "--inspect", p.toString(), "--json").out());
        JsonNode t = root.at("/metadata/tokenizer.ggml.tokens");
        assertThat(t.get("count").asInt()).isEqualTo(1000);
        assertThat(t.get("values")).hasSize(8);
        assertThat(t.get("truncated").asBoolean()).isTrue();
    }

    @Test
    void badFilesAndMissingFlagsExitOne() throws IOException {
        Path bad = tmp.resolve("bad.gguf");
        Files.write(bad, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});
        CliRun r = CliRun.of("gguf", "--inspect", bad.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(bad.toString()).contains("truncated");
        CliRun m = CliRun.of("gguf", "--input", "x");
        assertThat(m.status()).isEqualTo(1);
        assertThat(m.err()).contains("--input, --config, and --output are required");
    }
}
