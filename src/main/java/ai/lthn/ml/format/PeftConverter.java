package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts an MLX LoRA adapter (safetensors + {@code adapter_config.json}) to HuggingFace PEFT
 * format, writing {@code adapter_model.safetensors} and {@code adapter_config.json} byte for byte
 * as go-ml's {@code ConvertMLXtoPEFT} (3918051) writes them: keys renamed ({@code .lora_a} →
 * {@code .lora_A.default.weight}, {@code .lora_b} → {@code .lora_B.default.weight}, prefixed with
 * {@code base_model.model.}), 2-D tensors transposed and their shapes swapped.
 *
 * <p>Where go-ml is unsafe this does better (see FINDINGS.md): the input is validated before
 * anything is written (go-ml panics on bad offsets and silently skips a transpose whose shape
 * disagrees with its bytes); two MLX keys that rename to the same PEFT key are an error (go-ml
 * keeps one at random); 2-D tensors of other known dtypes are transposed by their element size,
 * while a 2-D tensor of an unknown dtype keeps its bytes and shape (go-ml swapped the shape
 * without moving the bytes); both files appear together or not at all.
 */
public final class PeftConverter {
    private static final Logger LOG = LoggerFactory.getLogger(PeftConverter.class);

    private static final Pattern LORA_A = Pattern.compile("\\.lora_a\\z");
    private static final Pattern LORA_B = Pattern.compile("\\.lora_b\\z");
    private static final Pattern LAYER = Pattern.compile("layers\\.([0-9]+)");
    private static final Pattern MODULE = Pattern.compile("model\\.layers\\.[0-9]+\\.(.*?)\\.lora_[ab]\\z");

    /** The model file's name in the output directory. */
    public static final String MODEL_FILE = "adapter_model.safetensors";
    /** The config file's name in the output directory. */
    public static final String CONFIG_FILE = "adapter_config.json";

    private PeftConverter() {}

    /**
     * Converts {@code safetensorsIn} + {@code adapterConfigIn} into {@code outputDir} (created if
     * missing).
     *
     * @param safetensorsIn the MLX LoRA adapter weights
     * @param adapterConfigIn the MLX {@code adapter_config.json} (rank, scale, layers)
     * @param outputDir the PEFT directory; {@link #MODEL_FILE} and {@link #CONFIG_FILE} are
     *     written in it, replacing earlier ones
     * @param baseModel written as {@code base_model_name_or_path} (may be empty)
     * @return the files written and what they hold
     * @throws InvalidInputException naming the file and field when an input is malformed
     * @throws MlIOException when a file cannot be read or written
     */
    public static PeftConversion convert(Path safetensorsIn, Path adapterConfigIn, Path outputDir, String baseModel) {
        Objects.requireNonNull(safetensorsIn, "safetensorsIn");
        Objects.requireNonNull(adapterConfigIn, "adapterConfigIn");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(baseModel, "baseModel");
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new MlIOException("create output dir " + outputDir + ": " + e.getMessage(), e);
        }
        MlxLoraConfig cfg = MlxLoraConfig.read(adapterConfigIn);
        Path modelFile = outputDir.resolve(MODEL_FILE);
        Path configFile = outputDir.resolve(CONFIG_FILE);
        try (SafetensorsFile in = SafetensorsFile.open(safetensorsIn);
                AtomicOutput out = new AtomicOutput()) {
            LOG.info("loaded {} tensors from {}", in.tensors().size(), safetensorsIn);
            List<SafetensorsWriter.Entry> entries = peftTensors(in);
            TreeSet<Long> layers = new TreeSet<>();
            TreeSet<String> modules = new TreeSet<>(GoJsonText.BYTE_ORDER);
            for (String key : in.tensors().keySet()) {
                Matcher m = MODULE.matcher(key);
                if (m.find()) {
                    String[] parts = m.group(1).split("\\.", -1);
                    modules.add(parts[parts.length - 1]);
                }
                Matcher l = LAYER.matcher(key);
                if (l.find()) layers.add(goAtoi(l.group(1)));
            }
            byte[] config = configJson(cfg, baseModel, layers, modules, safetensorsIn, adapterConfigIn);
            SafetensorsWriter.write(out, modelFile, entries);
            out.write(configFile, ch -> {
                ByteBuffer b = ByteBuffer.wrap(config);
                while (b.hasRemaining()) ch.write(b);
            });
            out.commit();
            LOG.info("converted {} tensors, {} layers, target modules: {}", entries.size(), layers.size(), modules);
            return new PeftConversion(modelFile, configFile, entries.size(), List.copyOf(layers), List.copyOf(modules));
        }
    }

    /** go-ml's key rename. */
    static String renameMlxKey(String mlxKey) {
        String k = LORA_A.matcher(mlxKey).replaceAll(".lora_A.default.weight");
        k = LORA_B.matcher(k).replaceAll(".lora_B.default.weight");
        return "base_model.model." + k;
    }

    private static List<SafetensorsWriter.Entry> peftTensors(SafetensorsFile in) {
        String src = in.path().toString();
        Map<String, String> seen = new HashMap<>();
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (SafetensorsTensor t : in.tensors().values()) {
            String key = renameMlxKey(t.name());
            String other = seen.put(key, t.name());
            if (other != null) {
                throw new InvalidInputException(
                        src, 8, "tensors " + other + " and " + t.name() + " both become " + key);
            }
            ByteBuffer data = in.data(t.name());
            List<Long> shape = t.shape();
            if (shape.size() == 2 && t.elementSize() > 0) {
                long rows = shape.get(0);
                long cols = shape.get(1);
                if (t.byteLength() > 0) { // else a dimension is 0: nothing to move
                    data = ByteBuffer.wrap(Transpose.transpose(data, (int) rows, (int) cols, t.elementSize()));
                }
                shape = List.of(cols, rows);
            } else if (shape.size() == 2) {
                LOG.warn(
                        "{}: tensor {} has dtype {}, whose element size is unknown: kept untransposed",
                        src,
                        t.name(),
                        t.dtype());
            }
            entries.add(new SafetensorsWriter.Entry(key, t.dtype(), shape, data));
        }
        return entries;
    }

    /** Go's strconv.Atoi on a digit string, clamped to the int64 range as Go clamps it. */
    private static long goAtoi(String digits) {
        BigInteger v = new BigInteger(digits);
        return v.bitLength() < 64 ? v.longValue() : Long.MAX_VALUE;
    }

    /** The PEFT config as go-ml's json.MarshalIndent writes it: keys sorted, 2-space indent, no final newline. */
    static byte[] configJson(
            MlxLoraConfig cfg,
            String baseModel,
            Iterable<Long> layers,
            Iterable<String> modules,
            Path safetensorsIn,
            Path configIn) {
        double alpha = cfg.scale() * (double) cfg.rank();
        if (!Double.isFinite(alpha)) {
            throw new InvalidInputException(
                    configIn.toString(),
                    0,
                    "lora_alpha = scale " + cfg.scale() + " × rank " + cfg.rank() + " is not finite");
        }
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"auto_mapping\": null,\n");
        sb.append("  \"base_model_name_or_path\": ");
        GoJsonText.quote(sb, baseModel).append(",\n");
        sb.append("  \"bias\": \"none\",\n");
        sb.append("  \"fan_in_fan_out\": false,\n");
        sb.append("  \"inference_mode\": true,\n");
        sb.append("  \"init_lora_weights\": true,\n");
        sb.append("  \"layers_pattern\": null,\n");
        sb.append("  \"layers_to_transform\": ");
        array(sb, layers, (b, v) -> b.append(v));
        sb.append(",\n  \"lora_alpha\": ")
                .append(GoJsonText.number(goRound(alpha)))
                .append(",\n");
        sb.append("  \"lora_dropout\": ")
                .append(GoJsonText.number(cfg.dropout()))
                .append(",\n");
        sb.append("  \"modules_to_save\": null,\n");
        sb.append("  \"peft_type\": \"LORA\",\n");
        sb.append("  \"r\": ").append(cfg.rank()).append(",\n");
        sb.append("  \"revision\": null,\n");
        sb.append("  \"target_modules\": ");
        array(sb, modules, GoJsonText::quote);
        sb.append(",\n  \"task_type\": \"CAUSAL_LM\"\n}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static <T> void array(
            StringBuilder sb, Iterable<T> items, java.util.function.BiConsumer<StringBuilder, T> item) {
        boolean any = false;
        for (T t : items) {
            sb.append(any ? ",\n    " : "[\n    ");
            item.accept(sb, t);
            any = true;
        }
        sb.append(any ? "\n  ]" : "[]");
    }

    /** Go's math.Round: half away from zero, exact. */
    static double goRound(double v) {
        if (v == 0 || Math.abs(v) >= 0x1p52) return v;
        double r = new BigDecimal(v).setScale(0, RoundingMode.HALF_UP).doubleValue();
        return r == 0 ? Math.copySign(0.0, v) : r;
    }
}
