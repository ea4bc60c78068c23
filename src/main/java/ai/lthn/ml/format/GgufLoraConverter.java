package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts an MLX LoRA adapter to a GGUF v3 LoRA adapter for llama.cpp, byte for byte as go-ml's
 * {@code ConvertMLXtoGGUFLoRA} (3918051) writes it: every tensor must be
 * {@code model.layers.N.<module>.lora_a|lora_b} with a module go-ml maps (q/k/v/o projections and
 * gate/up/down) and dtype F32, F16 or BF16; names become {@code blk.N.<gguf module>.weight.lora_a};
 * 2-D tensors are transposed with their dims written as the original (rows, cols); tensors sorted
 * by name; metadata {@code general.type}, {@code general.architecture}, {@code adapter.type},
 * {@code adapter.lora.alpha} (float32 of round(scale × rank)) in that order; alignment 32.
 *
 * <p>Unlike go-ml, keys are checked in sorted order so the error reported for a file with several
 * bad keys is always the same one, the input is fully validated first, alpha must be finite, and
 * the output is written atomically.
 */
public final class GgufLoraConverter {
    private static final Logger LOG = LoggerFactory.getLogger(GgufLoraConverter.class);

    private static final Pattern KEY = Pattern.compile("^model\\.layers\\.([0-9]+)\\.(.*?)\\.(lora_[ab])\\z");

    private static final Map<String, String> GEMMA3_MODULES = Map.of(
            "self_attn.q_proj", "attn_q",
            "self_attn.k_proj", "attn_k",
            "self_attn.v_proj", "attn_v",
            "self_attn.o_proj", "attn_output",
            "mlp.gate_proj", "ffn_gate",
            "mlp.up_proj", "ffn_up",
            "mlp.down_proj", "ffn_down");

    /**
     * What was written.
     *
     * @param file the GGUF file
     * @param tensors how many tensors it holds
     * @param alpha the LoRA alpha recorded
     */
    public record Result(Path file, int tensors, float alpha) {}

    private GgufLoraConverter() {}

    /**
     * Converts {@code safetensorsIn} + {@code adapterConfigIn} into {@code output}.
     *
     * @param safetensorsIn the MLX LoRA adapter weights
     * @param adapterConfigIn the MLX {@code adapter_config.json}; its scale × rank is the alpha
     * @param output the GGUF LoRA file to create or replace (written atomically)
     * @param architecture written as {@code general.architecture} (go-ml's default is gemma3)
     * @return the file written, its tensor count and the alpha recorded
     * @throws InvalidInputException for a malformed input, an unmappable key or an unsupported dtype
     * @throws ai.lthn.ml.MlIOException when a file cannot be read or written
     */
    public static Result convert(Path safetensorsIn, Path adapterConfigIn, Path output, String architecture) {
        Objects.requireNonNull(safetensorsIn, "safetensorsIn");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(architecture, "architecture");
        MlxLoraConfig cfg = MlxLoraConfig.read(adapterConfigIn, false);
        double rounded = PeftConverter.goRound(cfg.scale() * (double) cfg.rank());
        float alpha = (float) rounded;
        if (!Float.isFinite(alpha)) {
            throw new InvalidInputException(
                    adapterConfigIn.toString(),
                    0,
                    "lora alpha = scale " + cfg.scale() + " × rank " + cfg.rank() + " does not fit a float32");
        }
        try (SafetensorsFile in = SafetensorsFile.open(safetensorsIn);
                AtomicOutput out = new AtomicOutput()) {
            LOG.info("loaded {} tensors from {}", in.tensors().size(), safetensorsIn);
            List<String> keys = new ArrayList<>(in.tensors().keySet());
            keys.sort(GoJsonText.BYTE_ORDER);
            List<GgufWriter.Tensor> tensors = new ArrayList<>();
            for (String key : keys) {
                SafetensorsTensor t = in.tensors().get(key);
                String name = ggufName(in.path().toString(), key);
                int type = ggmlType(in.path().toString(), t);
                ByteBuffer data = in.data(key);
                if (t.shape().size() == 2 && t.byteLength() > 0) {
                    data = ByteBuffer.wrap(Transpose.transpose(
                            data,
                            (int) (long) t.shape().get(0),
                            (int) (long) t.shape().get(1),
                            t.elementSize()));
                }
                tensors.add(new GgufWriter.Tensor(name, t.shape(), type, data));
            }
            tensors.sort((a, b) -> GoJsonText.BYTE_ORDER.compare(a.name(), b.name()));
            List<Map.Entry<String, GgufValue>> metadata = List.of(
                    kv("general.type", GgufValue.string("adapter")),
                    kv("general.architecture", GgufValue.string(architecture)),
                    kv("adapter.type", GgufValue.string("lora")),
                    kv("adapter.lora.alpha", GgufValue.float32(alpha)));
            GgufWriter.write(out, output, metadata, tensors);
            out.commit();
            LOG.info("wrote GGUF LoRA: {} ({} tensors, alpha={})", output, tensors.size(), Math.round(alpha));
            return new Result(output, tensors.size(), alpha);
        }
    }

    private static Map.Entry<String, GgufValue> kv(String k, GgufValue v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v);
    }

    /** go-ml's MLXTensorToGGUF, with its two error messages. */
    static String ggufName(String src, String mlxKey) {
        Matcher m = KEY.matcher(mlxKey);
        if (!m.find()) throw new InvalidInputException(src, 0, "unrecognised MLX LoRA key: " + mlxKey);
        String module = GEMMA3_MODULES.get(m.group(2));
        if (module == null) {
            throw new InvalidInputException(src, 0, "unknown module " + goQuote(m.group(2)) + " in " + mlxKey);
        }
        return "blk." + m.group(1) + "." + module + ".weight." + m.group(3);
    }

    private static int ggmlType(String src, SafetensorsTensor t) {
        return switch (t.dtype()) {
            case "F32" -> 0;
            case "F16" -> 1;
            case "BF16" -> 30;
            default ->
                throw new InvalidInputException(
                        src, 0, "tensor " + t.name() + ": unsupported dtype " + goQuote(t.dtype()) + " for GGUF");
        };
    }

    /** Go's %q for the strings these messages quote: backslash escapes for quotes and control bytes. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
