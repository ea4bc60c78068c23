package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code lora_parameters} of an MLX {@code adapter_config.json}, decoded as go-ml decodes
 * them: {@code rank} an integer, {@code scale} and {@code dropout} numbers, missing ones zero,
 * field names matched exactly or else case-insensitively, the last occurrence winning. A rank
 * of 0 becomes 8 and a scale of 0 becomes 20.
 *
 * @param rank the LoRA rank (8 when absent or 0)
 * @param scale the LoRA scale (20 when absent or 0)
 * @param dropout the dropout (0 when absent)
 */
record MlxLoraConfig(long rank, double scale, double dropout) {
    /** The largest config file read (a real one is a few kilobytes). */
    static final long MAX_SIZE = 16L * 1024 * 1024;

    private static final ObjectReader JSON = Json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Reads and decodes {@code path}, dropout included (the PEFT conversion's fields). */
    static MlxLoraConfig read(Path path) {
        return read(path, true);
    }

    /**
     * Reads and decodes {@code path}; without {@code withDropout} the dropout is neither read nor
     * checked (go-ml's GGUF conversion declares no dropout field) and is 0.
     */
    static MlxLoraConfig read(Path path, boolean withDropout) {
        String src = path.toString();
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_SIZE)
                throw new InvalidInputException(src, 0, "config is " + size + " bytes, over " + MAX_SIZE);
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new MlIOException("read config " + path + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(src, 0, "parse config: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MlIOException("read config " + path + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) throw new InvalidInputException(src, 0, "parse config: empty file");
        if (root.isNull()) return withDefaults(0, 0, 0);
        if (!root.isObject()) throw new InvalidInputException(src, 0, "parse config: not a JSON object");
        JsonNode params = field(root, "lora_parameters");
        if (params == null || params.isNull()) return withDefaults(0, 0, 0);
        if (!params.isObject())
            throw new InvalidInputException(src, 0, "parse config: lora_parameters is not an object");
        long rank = 0;
        JsonNode r = field(params, "rank");
        if (r != null && !r.isNull()) {
            if (!r.isIntegralNumber() || !r.canConvertToLong()) {
                throw new InvalidInputException(
                        src, 0, "parse config: lora_parameters.rank " + r + " is not a 64-bit integer");
            }
            rank = r.longValue();
        }
        return withDefaults(rank, number(src, params, "scale"), withDropout ? number(src, params, "dropout") : 0);
    }

    private static MlxLoraConfig withDefaults(long rank, double scale, double dropout) {
        return new MlxLoraConfig(rank == 0 ? 8 : rank, scale == 0 ? 20.0 : scale, dropout);
    }

    private static double number(String src, JsonNode params, String name) {
        JsonNode n = field(params, name);
        if (n == null || n.isNull()) return 0;
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new InvalidInputException(
                    src, 0, "parse config: lora_parameters." + name + " " + n + " is not a float64");
        }
        return n.doubleValue();
    }

    /** Go's field matching: the exact name, else a case-insensitive one; the last occurrence wins. */
    private static JsonNode field(JsonNode obj, String name) {
        JsonNode found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(name) || e.getKey().equalsIgnoreCase(name)) found = e.getValue();
        }
        return found;
    }
}
