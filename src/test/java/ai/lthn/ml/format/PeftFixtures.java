package ai.lthn.ml.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic MLX LoRA adapters for the byte-identity tests: the same case always produces the
 * same input bytes (seeded pseudo-random tensor data), so go-ml's converter and ours can be run
 * on identical files. {@code main(dir)} writes every case under {@code dir/<case>/}.
 */
final class PeftFixtures {
    /**
     * One case.
     *
     * @param name directory name
     * @param layers how many layers
     * @param dtypes the dtype of each module's tensors, cycled over the modules
     * @param config the MLX adapter_config.json text
     * @param baseModel the --base-model value
     * @param extras whether to add a 1-D non-LoRA tensor and a 3-D one
     */
    record Case(String name, int layers, List<String> dtypes, String config, String baseModel, boolean extras) {}

    static final List<Case> CASES = List.of(
            new Case(
                    "f32-1layer",
                    1,
                    List.of("F32"),
                    "{\"lora_parameters\": {\"rank\": 8, \"scale\": 20.0, \"dropout\": 0.05}}",
                    "google/gemma-3-1b-it",
                    false),
            new Case(
                    "f16-3layers",
                    3,
                    List.of("F16"),
                    "{\"fine_tune_type\": \"lora\", \"lora_parameters\": {\"rank\": 16, \"scale\": 2.5, \"dropout\": 0.0}}",
                    "",
                    false),
            new Case("bf16-2layers-defaults", 2, List.of("BF16"), "{}", "base", false),
            new Case(
                    "mixed-4layers-rank-only",
                    4,
                    List.of("F32", "BF16", "F16"),
                    "{\"lora_parameters\": {\"rank\": 4, \"dropout\": 0.1}}",
                    "a&b <c> \"d\"",
                    true),
            new Case(
                    "f16-12layers-scale-only",
                    12,
                    List.of("F16", "F32"),
                    "{\"lora_parameters\": {\"scale\": 0.3333}}",
                    "x",
                    true),
            new Case(
                    "mixed-5layers",
                    5,
                    List.of("BF16", "F32", "F16", "F16"),
                    "{\"lora_parameters\": {\"rank\": 32, \"scale\": 0.7, \"dropout\": \"ignored by gguf\"}}",
                    "y",
                    false));

    private static final String[] MODULES = {"self_attn.q_proj", "self_attn.v_proj", "mlp.down_proj"};

    private PeftFixtures() {}

    /** Writes {@code c}'s adapters.safetensors and adapter_config.json into {@code dir}. */
    static void write(Case c, Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(c.name().hashCode());
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        int hidden = 12;
        int out = 10;
        int rank = 4;
        for (int layer = 0; layer < c.layers(); layer++) {
            for (int m = 0; m < MODULES.length; m++) {
                String dtype =
                        c.dtypes().get((layer * MODULES.length + m) % c.dtypes().size());
                String base = "model.layers." + layer + "." + MODULES[m];
                entries.add(entry(rnd, base + ".lora_a", dtype, hidden, rank));
                entries.add(entry(rnd, base + ".lora_b", dtype, rank, out));
            }
        }
        if (c.extras()) {
            entries.add(entry(rnd, "model.norm.weight", "F32", hidden));
            entries.add(entry(rnd, "model.layers.0.cube", "F16", 2, 3, 4));
        }
        SafetensorsWriter.write(dir.resolve("adapters.safetensors"), entries);
        Files.write(dir.resolve("adapter_config.json"), c.config().getBytes(StandardCharsets.UTF_8));
    }

    private static SafetensorsWriter.Entry entry(SplittableRandom rnd, String name, String dtype, int... shape) {
        long n = Dtypes.size(dtype);
        List<Long> dims = new ArrayList<>();
        for (int d : shape) {
            n *= d;
            dims.add((long) d);
        }
        byte[] bytes = new byte[(int) n];
        rnd.nextBytes(bytes);
        return new SafetensorsWriter.Entry(name, dtype, dims, ByteBuffer.wrap(bytes));
    }

    /** Writes every case under {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        for (Case c : CASES) write(c, Path.of(args[0], c.name()));
    }
}
