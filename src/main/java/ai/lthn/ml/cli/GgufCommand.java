package ai.lthn.ml.cli;

import ai.lthn.ml.MlException;
import ai.lthn.ml.format.GgufFile;
import ai.lthn.ml.format.GgufLoraConverter;
import ai.lthn.ml.format.GgufTensorInfo;
import ai.lthn.ml.format.GgufType;
import ai.lthn.ml.format.GgufValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ml gguf}: go-ml's MLX LoRA adapter → GGUF v3 conversion, and {@code --inspect} to print
 * any GGUF file's version, metadata (long arrays summarised) and tensor table.
 */
@Command(
        name = "gguf",
        mixinStandardHelpOptions = true,
        description = "Convert MLX LoRA adapter to GGUF format, or inspect a GGUF file",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:written or inspected", "1:missing flag, bad input or I/O failure", "2:usage"})
final class GgufCommand implements Callable<Integer> {
    /** Arrays longer than this are summarised by --inspect. */
    static final int SHOWN = 8;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", description = "the MLX adapter (safetensors)")
    Path input;

    @Option(names = "--config", description = "the MLX adapter_config.json")
    Path config;

    @Option(names = "--output", description = "the GGUF file to write")
    Path output;

    @Option(names = "--arch", defaultValue = "gemma3", description = "general.architecture (default ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--inspect", paramLabel = "FILE", description = "print a GGUF file's header, metadata and tensors")
    Path inspect;

    @Option(names = "--json", description = "with --inspect: print JSON")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (inspect != null) {
            try (GgufFile g = GgufFile.open(inspect)) {
                PrintWriter out = spec.commandLine().getOut();
                if (json) out.println(toJson(g));
                else printText(g, out);
                out.flush();
                return 0;
            } catch (MlException e) {
                err.println("ml gguf: inspect: " + e.getMessage());
                return 1;
            }
        }
        if (input == null || config == null || output == null) {
            err.println("ml gguf: --input, --config, and --output are required");
            return 1;
        }
        try {
            GgufLoraConverter.Result r = GgufLoraConverter.convert(input, config, output, arch);
            spec.commandLine()
                    .getOut()
                    .println("GGUF LoRA adapter written to " + output + " (" + r.tensors() + " tensors, alpha="
                            + Math.round(r.alpha()) + ")");
            return 0;
        } catch (MlException e) {
            err.println("ml gguf: convert to GGUF: " + e.getMessage());
            return 1;
        }
    }

    private static void printText(GgufFile g, PrintWriter out) {
        out.printf(
                "GGUF v%d: %d metadata, %d tensors, alignment %d, data at byte %d%n",
                g.version(), g.metadata().size(), g.tensors().size(), g.alignment(), g.dataStart());
        out.println("metadata:");
        for (Map.Entry<String, GgufValue> e : g.metadata().entrySet()) {
            out.printf("  %s (%s) = %s%n", e.getKey(), typeName(e.getValue()), text(e.getValue()));
        }
        out.println("tensors:");
        out.printf("  %-48s %-8s %-24s %12s %12s%n", "name", "type", "dims", "offset", "bytes");
        for (GgufTensorInfo t : g.tensors()) {
            out.printf(
                    "  %-48s %-8s %-24s %12d %12s%n",
                    t.name(), t.typeName(), t.dims(), t.offset(), t.byteLength() < 0 ? "?" : t.byteLength());
        }
    }

    private static String typeName(GgufValue v) {
        return v.type() == GgufType.ARRAY
                ? "array of " + v.elements().size() + " "
                        + v.elementType().name().toLowerCase()
                : v.type().name().toLowerCase();
    }

    private static String text(GgufValue v) {
        return switch (v.type()) {
            case STRING -> quote((String) v.value());
            case UINT64 -> Long.toUnsignedString((Long) v.value());
            case ARRAY -> {
                List<GgufValue> el = v.elements();
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < Math.min(SHOWN, el.size()); i++) {
                    if (i > 0) sb.append(", ");
                    sb.append(text(el.get(i)));
                }
                if (el.size() > SHOWN)
                    sb.append(", … ").append(el.size() - SHOWN).append(" more");
                yield sb.append(']').toString();
            }
            default -> String.valueOf(v.value());
        };
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static String toJson(GgufFile g) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("file", g.path().toString());
        root.put("version", g.version());
        root.put("alignment", g.alignment());
        root.put("data_offset", g.dataStart());
        Map<String, Object> md = new LinkedHashMap<>();
        for (Map.Entry<String, GgufValue> e : g.metadata().entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("type", e.getValue().type().name().toLowerCase());
            if (e.getValue().type() == GgufType.ARRAY) {
                List<GgufValue> el = e.getValue().elements();
                one.put("element_type", e.getValue().elementType().name().toLowerCase());
                one.put("count", el.size());
                List<Object> shown = new ArrayList<>();
                for (int i = 0; i < Math.min(SHOWN, el.size()); i++) shown.add(jsonValue(el.get(i)));
                one.put("values", shown);
                one.put("truncated", el.size() > SHOWN);
            } else {
                one.put("value", jsonValue(e.getValue()));
            }
            md.put(e.getKey(), one);
        }
        root.put("metadata", md);
        List<Object> ts = new ArrayList<>();
        for (GgufTensorInfo t : g.tensors()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", t.name());
            one.put("type", t.typeName());
            one.put("dims", t.dims());
            one.put("offset", t.offset());
            one.put("bytes", t.byteLength() < 0 ? null : t.byteLength());
            ts.add(one);
        }
        root.put("tensors", ts);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object jsonValue(GgufValue v) {
        return switch (v.type()) {
            case UINT64 -> new java.math.BigInteger(Long.toUnsignedString((Long) v.value()));
            case FLOAT32, FLOAT64 -> {
                double d = ((Number) v.value()).doubleValue();
                yield Double.isFinite(d) ? v.value() : String.valueOf(d);
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (GgufValue e :
                        v.elements().subList(0, Math.min(SHOWN, v.elements().size()))) l.add(jsonValue(e));
                yield l;
            }
            default -> v.value();
        };
    }
}
